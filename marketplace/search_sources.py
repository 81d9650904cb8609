"""What the forgiving search (marketplace/catalog/, docs/search.md) reads from the domain apps.

The library code imports no app, so the project wiring tells it, when the "marketplace" app is ready:

* the lexicon's sources: the words of what public pages show (published solutions' titles, summaries and
  organisations, published pilots' titles and summaries, the fields of action and the standards);
* the related text that also matches a row: the names of a solution's fields of action and standards, of a
  pilot project's fields of action ("Mobilität" finds the pilots of that field). Not the fields'
  descriptions (a word in one would find every row of the field) and not the organisations' names (matching
  2,000 of them took 10 ms a query; they correct typos as words of the lexicon).
"""

from marketplace.catalog import lexicon, search


def register() -> None:
    from pilots.models import PilotProject
    from solutions.models import Category, Solution, Standard

    lexicon.register_source(
        lambda: Solution.objects.published().order_by().values_list("title", "summary", "vendor__name")
    )
    lexicon.register_source(
        lambda: PilotProject.objects.published().order_by().values_list("title", "summary")
    )
    lexicon.register_source(lambda: Category.objects.order_by().values_list("description_de"))
    lexicon.register_source(lambda: Category.objects.order_by().values_list("name_de"), related=True)
    lexicon.register_source(lambda: Standard.objects.order_by().values_list("name"), related=True)
    search.register_related_text(Solution, "categories__name_de", "standards__name")
    search.register_related_text(PilotProject, "categories__name_de")

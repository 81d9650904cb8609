"""The editors' admin of the search's synonyms (``SearchSynonym``, docs/search.md).

marketplace/admin.py imports this module, so the registration runs when the admin autodiscovers the
"marketplace" app. A change takes effect with the next search: it changes the content version.
"""

from django.contrib import admin

from .models import SearchSynonym


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["term", "expansion_list"]
    search_fields = ["term"]
    ordering = ["term"]

    @admin.display(description=SearchSynonym._meta.get_field("expansions").verbose_name)
    def expansion_list(self, synonym: SearchSynonym) -> str:
        return ", ".join(synonym.expansions)

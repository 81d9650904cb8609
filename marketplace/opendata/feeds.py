"""Atom feeds of newly published solutions and pilot projects: all of them, or one field of action."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from pilots.models import PilotProject
from solutions.models import Category, Solution

ITEMS = 50


class _NewlyPublished(Feed):
    feed_type = Atom1Feed
    model = None
    list_url_name = ""

    def get_object(self, request, category: str | None = None):
        if category is None:
            return None
        try:
            return Category.objects.get(slug=category)
        except Category.DoesNotExist:
            raise Http404(_("No such field of action.")) from None

    def link(self, category):
        url = reverse(self.list_url_name)
        return f"{url}?category={category.slug}" if category else url

    def items(self, category):
        rows = self.model.objects.published()
        if category is not None:
            rows = rows.filter(categories=category)
        return rows.exclude(published_at=None).order_by("-published_at", "-pk")[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class SolutionFeed(_NewlyPublished):
    model = Solution
    list_url_name = "solutions:list"

    def title(self, category):
        if category:
            return _("New solutions: %(category)s") % {"category": category.name}
        return _("New solutions")

    def subtitle(self, category):
        return _("Smart-city solutions newly published on the marketplace.")

    def items(self, category):
        return super().items(category).select_related("vendor")

    def item_author_name(self, item):
        return item.vendor.name


class PilotFeed(_NewlyPublished):
    model = PilotProject
    list_url_name = "pilots:list"

    def title(self, category):
        if category:
            return _("New pilot projects: %(category)s") % {"category": category.name}
        return _("New pilot projects")

    def subtitle(self, category):
        return _("Pilot projects of municipalities newly published on the marketplace.")

    def items(self, category):
        return super().items(category).select_related("lead_municipality")

    def item_author_name(self, item):
        return item.lead_municipality.name

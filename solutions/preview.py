"""A listing as its public page will show it once published: for a listing with a pending revision, the
revision applied in memory (nothing is saved).

The vendor's preview (vendor:solution_preview) renders the public page body with these; so can anything
else that must show "what will be published" (e.g. the editors' review page).
"""

import copy

from django.http import HttpRequest
from django.utils.functional import cached_property

from solutions.models import Category, Solution, SolutionRevision, Standard
from solutions.views import SolutionDetail

M2M = {"categories": Category, "standards": Standard}


def pending_revision(solution: Solution) -> SolutionRevision | None:
    return solution.revisions.filter(status=SolutionRevision.Status.PENDING).first()


def as_published(solution: Solution, revision: SolutionRevision | None) -> Solution:
    """A copy of `solution` with the revision's values set (its many-to-many values: see PreviewDetail).

    The copy is never saved; `solution` itself is left unchanged.
    """
    if revision is None:
        return solution
    preview = copy.copy(solution)
    for name, value in revision.data.items():
        if name not in M2M:
            setattr(preview, name, value)
    return preview


class PreviewDetail(SolutionDetail):
    """What the public detail page shows besides the listing, with the revision's fields of action and
    standards instead of the saved ones."""

    def __init__(self, request: HttpRequest, solution: Solution, revision: SolutionRevision | None = None):
        super().__init__(request, solution)
        self.revision = revision

    def _related(self, name: str) -> list | None:
        if self.revision is None or name not in self.revision.data:
            return None
        return list(M2M[name].objects.filter(pk__in=self.revision.data[name] or []))

    @cached_property
    def categories(self) -> list:
        related = self._related("categories")
        return super().categories if related is None else related

    @cached_property
    def standards(self) -> list:
        related = self._related("standards")
        return super().standards if related is None else related


def preview_context(request: HttpRequest, solution: Solution) -> dict:
    """The context of the public detail body (templates/solutions/_detail_body.html) for `solution` as it
    will be published: `solution` (with the pending revision applied), `data` and `revision`."""
    revision = pending_revision(solution)
    shown = as_published(solution, revision)
    return {"solution": shown, "data": PreviewDetail(request, shown, revision), "revision": revision}

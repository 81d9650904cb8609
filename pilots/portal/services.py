"""Write operations of the reference proposals. Each docstring lists every side effect."""

from django.utils.translation import gettext as _

from marketplace import mail
from pilots.models import ReferenceProposal
from solutions import services as portal_services
from solutions.models import Solution
from solutions.portal import access


def propose_reference(solution: Solution, *, by, form) -> ReferenceProposal:
    """Save a reference proposed by the vendor from a valid ReferenceForm.

    Nothing becomes public: the proposal waits for an editor, who accepts it as a Reference or declines it.
    Side effects: a pending ReferenceProposal row; an e-mail to the editors.
    """
    if not access.is_member(by, solution.vendor):
        raise portal_services.PortalError([_("You are not a member of this organisation.")])
    proposal = form.save(commit=False)
    proposal.solution = solution
    proposal.proposed_by = by
    proposal.save()
    mail.notify_editors(template="emails/new_reference.txt", context={"reference": proposal})
    return proposal

"""Views of the vendor portal, split by resource."""

from django.contrib import messages

from solutions.services import PortalError


def run_step(request, step, *, done: str) -> bool:
    """Run one portal service call; tell the person what happened. True when the step succeeded.

    A refusal (PortalError) becomes one error message per problem, success the message `done`.
    """
    try:
        step()
    except PortalError as error:
        for problem in error.problems:
            messages.error(request, problem)
        return False
    messages.success(request, done)
    return True

"""Login lockout with a limit of its own per account name (settings.AXES_HANDLER).

django-axes 8 counts failures for every combination in AXES_LOCKOUT_PARAMETERS but compares each count
with the same AXES_FAILURE_LIMIT. We want few guesses per name and address and more per name from all
addresses together (settings.AXES_ACCOUNT_FAILURE_LIMIT): one address alone must not lock a vendor out.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def _is_account_only(parameter) -> bool:
    return parameter == "username" or (
        isinstance(parameter, list | tuple) and list(parameter) == ["username"]
    )


class AccountLockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        """The failures of the combination closest to its limit, in units of AXES_FAILURE_LIMIT.

        Axes locks when this reaches AXES_FAILURE_LIMIT, so the name-only count is scaled down by
        AXES_FAILURE_LIMIT / AXES_ACCOUNT_FAILURE_LIMIT: it reaches the limit exactly when the account's
        own failures reach AXES_ACCOUNT_FAILURE_LIMIT. The other combinations count as they are.
        """
        limit = get_failure_limit(request, credentials)
        account_limit = max(settings.AXES_ACCOUNT_FAILURE_LIMIT, 1)
        counts = [0]
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            counts.append(failures * limit // account_limit if _is_account_only(parameter) else failures)
        return max(counts)

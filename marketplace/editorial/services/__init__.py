"""The editors' write operations. Each docstring lists every side effect.

Admin actions, the review page and tests call these (`from marketplace.editorial import services`);
models and signals stay free of side effects.

- listings.py    publish, publish_many, request_changes, reject, archive, restore for every listing model,
                 each described by its Workflow (workflows.py)
- revisions.py   pending revisions and new documents of published listings
- vendors.py     verifying organisations and their proposed profile changes
- references.py  verifying references and deciding on the ones vendors propose
- rules.py       ModerationError, the permission and reason checks, the recorded save
"""

from marketplace.editorial.services.listings import (
    archive,
    changed_meanwhile,
    listing_version,
    publish,
    publish_many,
    publish_problem,
    publish_refusal,
    reject,
    request_changes,
    requestable_fields,
    restore,
)
from marketplace.editorial.services.references import (
    VERIFY_REFERENCE_PERMISSION,
    accept_reference_proposal,
    decline_reference_proposal,
    verify_reference,
)
from marketplace.editorial.services.revisions import (
    accept_documents,
    accept_pending_revision,
    accept_revision,
    discard_pending_revision,
    discard_revision,
)
from marketplace.editorial.services.rules import ModerationError, require_permission, require_reason
from marketplace.editorial.services.vendors import (
    VERIFY_VENDOR_PERMISSION,
    accept_vendor_changes,
    discard_vendor_changes,
    verify_vendor,
)
from marketplace.editorial.services.workflows import PILOTS, SOLUTIONS, Workflow, workflow_for

__all__ = [
    "PILOTS",
    "SOLUTIONS",
    "VERIFY_REFERENCE_PERMISSION",
    "VERIFY_VENDOR_PERMISSION",
    "ModerationError",
    "Workflow",
    "accept_documents",
    "accept_pending_revision",
    "accept_reference_proposal",
    "accept_revision",
    "accept_vendor_changes",
    "archive",
    "changed_meanwhile",
    "decline_reference_proposal",
    "discard_pending_revision",
    "discard_revision",
    "discard_vendor_changes",
    "listing_version",
    "publish",
    "publish_many",
    "publish_problem",
    "publish_refusal",
    "reject",
    "request_changes",
    "requestable_fields",
    "require_permission",
    "require_reason",
    "restore",
    "verify_reference",
    "verify_vendor",
    "workflow_for",
]

"""The solutions app's models, one module per subject; imported here so `solutions.models.X` keeps working."""

from .listings import (
    Solution,
    SolutionDocument,
    SolutionDocumentQuerySet,
    SolutionQuerySet,
    SolutionRevision,
    _random_document_name,  # noqa: F401 - named by migration 0003 as solutions.models._random_document_name
    file_version,
)
from .organisations import EmailVerification, JoinRequest, Vendor, VendorMembership, VendorQuerySet
from .taxonomy import Category, Standard

__all__ = [
    "Category",
    "EmailVerification",
    "JoinRequest",
    "Solution",
    "SolutionDocument",
    "SolutionDocumentQuerySet",
    "SolutionQuerySet",
    "SolutionRevision",
    "Standard",
    "Vendor",
    "VendorMembership",
    "VendorQuerySet",
    "file_version",
]

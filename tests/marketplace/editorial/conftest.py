"""Fixtures shared by the editorial tests: an editor of the "Redaktion" group, a vendor organisation with
its administrator, and local HTTP servers for the link checks."""

import pytest
from django.contrib.auth.models import Group

from solutions.models import VendorMembership
from tests.factories import UserFactory, VendorFactory, VendorMembershipFactory
from tests.marketplace.editorial.linkcheck_servers import Servers


@pytest.fixture
def editor():
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(Group.objects.get(name="Redaktion"))
    return user


@pytest.fixture
def member():
    return UserFactory(username="member", email="member@example.org")


@pytest.fixture
def vendor(member):
    vendor = VendorFactory(name="Eigene GmbH")
    VendorMembershipFactory(vendor=vendor, user=member, role=VendorMembership.Role.ADMIN)
    return vendor


@pytest.fixture
def start_server():
    """Start local recording HTTP servers for the link-check tests; all are stopped after the test."""
    servers = Servers()
    yield servers.start
    servers.stop()


@pytest.fixture
def server(start_server):
    return start_server()

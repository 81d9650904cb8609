"""Fixtures shared by the marketplace tests."""

import pytest

from tests.marketplace.linkcheck_servers import Servers


@pytest.fixture
def start_server():
    """Start local recording HTTP servers for the link-check tests; all are stopped after the test."""
    servers = Servers()
    yield servers.start
    servers.stop()


@pytest.fixture
def server(start_server):
    return start_server()

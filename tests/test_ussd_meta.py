"""Meta-test: every registered USSD screen is shown by at least one test."""

import pytest

from menus.registry import REGISTRY
from tests.fixtures.ussd import VISITED, whole_ussd_suite


def test_every_screen_is_visited_by_a_test(request):
    """Runs last (tests/fixtures/ussd.py orders it); judged only on a whole USSD run."""
    if not whole_ussd_suite(request.config):
        pytest.skip("run every tests/test_ussd_*.py test to judge which screens are visited")
    assert sorted(set(REGISTRY.names()) - VISITED) == []

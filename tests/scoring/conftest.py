"""Rule sets for the scoring tests: the packaged ones, loaded as the application loads them."""

from __future__ import annotations

import pytest

from jixiao.core.rules import ProjectRules
from jixiao.interchange.rule_files import load_rule_set

PACKAGED = ("mof-2020-project", "regional-tiered-project")


@pytest.fixture(scope="session")
def mof() -> ProjectRules:
    return load_rule_set("mof-2020-project")


@pytest.fixture(scope="session")
def regional() -> ProjectRules:
    return load_rule_set("regional-tiered-project")


@pytest.fixture(scope="session", params=PACKAGED)
def packaged(request: pytest.FixtureRequest) -> ProjectRules:
    """Each packaged rule set in turn."""
    return load_rule_set(request.param)

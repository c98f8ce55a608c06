"""Self-evaluation coverage: stated in the report, a finding below the rule file's share."""

from __future__ import annotations

from decimal import Decimal
from importlib.resources import files

from jixiao.core.coverage import Coverage
from jixiao.core.review import coverage_findings
from jixiao.interchange.department_rule_files import (
    load_department_framework,
    parse_department_framework,
)

HALF = Coverage(
    projects_evaluated=3,
    projects_total=5,
    funds_evaluated=Decimal("600"),
    funds_total=Decimal("1000"),
)
FULL = Coverage(
    projects_evaluated=5,
    projects_total=5,
    funds_evaluated=Decimal("1000"),
    funds_total=Decimal("1000"),
)


def test_the_packaged_framework_asks_for_full_coverage() -> None:
    assert load_department_framework("mof-2013-dept").coverage_at_least == Decimal("1")


def test_a_rule_file_sets_its_own_coverage_share() -> None:
    text = (files("jixiao") / "rules" / "mof-2013-dept.yaml").read_text(encoding="utf-8")
    framework = parse_department_framework(
        text.replace("coverage_at_least: 100%", "coverage_at_least: 50%")
    )
    assert framework.coverage_at_least == Decimal("0.5")


def test_coverage_below_the_share_is_a_finding_and_above_it_is_not() -> None:
    (finding,) = coverage_findings(HALF, Decimal("1"))
    assert finding.id == "self-evaluation-coverage-low"
    assert "自评覆盖项目3个，占全部5个项目的60.00%" in finding.message
    assert list(coverage_findings(HALF, Decimal("0.5"))) == []
    assert list(coverage_findings(FULL, Decimal("1"))) == []


def test_a_text_that_claims_full_coverage_without_it_is_a_finding() -> None:
    claim = "按照“全方位、全过程、全覆盖”的预算绩效管理体系实施管理。"
    ids = [f.id for f in coverage_findings(HALF, Decimal("0.5"), claim)]
    assert ids == ["full-coverage-claimed"]
    assert list(coverage_findings(FULL, Decimal("1"), claim)) == []

"""What the variant suites assert of a review: no finding on a correct form, each seeded
mistake reported once; and the ways of saving a workbook as test parameters."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterable

import pytest

from jixiao.interchange.excel.review import ReviewResult, review_lines

OFFICE = shutil.which("soffice") is not None
SLOW_FILES = frozenset({"xls", "office-xlsx"})
"""The ways of saving that go through LibreOffice."""


def file_params(names: Iterable[str]) -> list[object]:
    """``real_variants.FILES`` names as parameters, those needing LibreOffice skipped without it."""
    skip = pytest.mark.skipif(not OFFICE, reason="LibreOffice is not installed")
    return [pytest.param(name, marks=skip) if name in SLOW_FILES else name for name in names]


def assert_reported_once(result: ReviewResult, expected: str) -> None:
    """The mistake's finding and no other; no cell reported twice for the same check."""
    found = [(f.id, f.where) for f in result.findings]
    assert not [key for key, count in Counter(found).items() if count > 1], found
    assert {id_ for id_, _ in found} == {expected}, "\n".join(review_lines(result))

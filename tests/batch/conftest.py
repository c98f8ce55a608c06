"""Two departments' 2024 years stored, for the city batch's tests."""

from __future__ import annotations

import pytest

from jixiao.storage import models as m
from tests.web.conftest import department_text, store_text

CODES = ("other-dept", "test-dept")


@pytest.fixture
def two_departments(db: None, small_year_text: str) -> tuple[str, ...]:
    store_text(small_year_text)
    store_text(department_text(small_year_text, "other-dept", "另一区另一局"))
    assert m.FiscalYear.objects.filter(year=2024).count() == 2
    return CODES

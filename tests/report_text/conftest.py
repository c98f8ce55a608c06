"""The report text tests reuse the web tests' personas and datasets (``tests/web/conftest.py``)."""

from __future__ import annotations

from tests.web.conftest import (  # noqa: F401 - fixtures shared with the web tests
    _static_files_without_manifest,
    _static_root_exists,
    world,
)

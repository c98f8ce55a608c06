"""The hardening tests reuse the web tests' personas and datasets (``tests/web/conftest.py``)
and the API tests' token client."""

from __future__ import annotations

from tests.api.conftest import api, tokens  # noqa: F401 - fixtures shared with the API tests
from tests.web.conftest import (  # noqa: F401 - fixtures shared with the web tests
    _static_files_without_manifest,
    _static_root_exists,
    world,
)

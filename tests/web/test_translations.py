"""The English catalogue: complete, and compiled from the current .po."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "src" / "jixiao" / "web" / "locale"
PO = LOCALE / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _catalog(mo: Path) -> dict[object, str]:
    with mo.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)  # type: ignore[attr-defined]


def test_the_compiled_catalogue_is_the_current_po_file(tmp_path: Path) -> None:
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext (msgfmt) is not installed: apt-get install gettext")
    fresh = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh), str(PO)], check=True)
    assert _catalog(MO) == _catalog(fresh), (
        "django.mo is older than django.po: run `django-admin compilemessages` in src/jixiao/web"
    )


def test_every_message_has_an_english_translation() -> None:
    catalog = _catalog(MO)
    untranslated = [key for key, text in catalog.items() if key and not text]
    assert not untranslated
    assert catalog["首页"] == "Home"

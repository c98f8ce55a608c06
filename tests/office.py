"""Helpers for tests that check documents with headless LibreOffice and poppler."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest


def require_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if not missing:
        return
    message = f"needs {', '.join(missing)}"
    if os.environ.get("JIXIAO_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(f"JIXIAO_REQUIRE_LIBREOFFICE=1 but {message}")
    pytest.skip(message)


def to_pdf(docx: Path, tmp_path: Path) -> Path:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / f"{docx.stem}.pdf"
    assert pdf.exists()
    return pdf


def pdf_pages_and_size(pdf: Path) -> tuple[int, tuple[float, float]]:
    """Number of pages and the first page's size in points, as pdfinfo reads them."""
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    pages = re.search(r"Pages:\s+(\d+)", info)
    assert size and pages, info
    return int(pages.group(1)), (float(size.group(1)), float(size.group(2)))

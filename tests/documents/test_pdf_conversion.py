"""Converting to PDF refuses clearly, in Chinese, when LibreOffice is missing or fails."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from jixiao.documents import pdf
from jixiao.documents.pdf import FONT_REPLACEMENTS, PdfError, convert_to_pdf, write_profile


@pytest.fixture
def docx(tmp_path: Path) -> Path:
    path = tmp_path / "报告.docx"
    Document().save(str(path))
    return path


def _program(tmp_path: Path, body: str) -> Callable[[], str]:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return lambda: str(script)


def test_without_libreoffice_it_says_what_to_install(
    docx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    with pytest.raises(PdfError, match="未找到 LibreOffice"):
        convert_to_pdf(docx)


def test_a_failing_libreoffice_is_reported_with_its_last_words(
    docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice", _program(tmp_path, "echo 'Error: source file' >&2; exit 1"))
    with pytest.raises(
        PdfError, match=r"未能把“报告.docx”转换为 PDF（退出码 1）：Error: source file"
    ):
        convert_to_pdf(docx)


def test_a_conversion_that_hangs_is_stopped_at_the_time_limit(
    docx: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice", _program(tmp_path, "exec sleep 30"))
    with pytest.raises(PdfError, match="超过 1 秒"):
        convert_to_pdf(docx, timeout=1)


def test_the_profile_replaces_only_the_official_fonts_that_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "_installed_families", lambda: {"黑体"})
    xcu = (write_profile(tmp_path / "p") / "user" / "registrymodifications.xcu").read_text()
    assert "<value>仿宋_GB2312</value>" in xcu and "<value>Noto Serif CJK SC</value>" in xcu
    assert "<value>AR PL UKai CN</value>" in xcu
    assert "<value>黑体</value>" not in xcu  # installed: printed as it is
    assert xcu.count("<node ") == len(FONT_REPLACEMENTS) - 1


@pytest.mark.django_db
def test_asking_for_pdf_without_libreoffice_exits_2_with_the_reason_and_keeps_the_docx(
    jixiao: Callable[..., tuple[int, str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    code, _out, err = jixiao("demo", "--out", tmp_path / "out", "--pdf")
    assert code == 2
    assert "未找到 LibreOffice" in err and "Traceback" not in err
    assert (tmp_path / "out" / "2023-liwan-ghzy-self-evaluation.docx").exists()

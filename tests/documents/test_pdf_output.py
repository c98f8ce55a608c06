"""The demo's reports as PDF, made by LibreOffice as `jixiao demo --pdf` makes them.

One conversion per document for the whole module (LibreOffice is slow): the demo runs
once in a subprocess with its own JIXIAO_HOME.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from jixiao.documents.titles import title_lines
from tests.office import require_tools

pytestmark = pytest.mark.libreoffice

PUNCTUATION = "。，；、：“”（）"
REPORT = "2023-liwan-ghzy-self-evaluation"
MONITORING = "2023-liwan-ghzy-monitoring-20230731"
PAGE_NUMBER = re.compile(r"[—-]\s*\d+\s*[—-]")
HANGING = "。，；、：”）"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_tools("soffice", "pdffonts", "pdftotext")
    home = tmp_path_factory.mktemp("home")
    out = home / "report"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIXIAO_HOME"] = str(home)
    finished = subprocess.run(
        [sys.executable, "-c", "from jixiao.cli import main; raise SystemExit(main())",
         "demo", "--out", str(out), "--pdf"],
        capture_output=True, text=True, env=env, timeout=900, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr
    return out


def _fonts(pdf: Path, page: int) -> list[str]:
    listed = subprocess.run(
        ["pdffonts", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()[2:]  # fmt: skip
    return [line.split()[0] for line in listed]


def _all_embedded(pdf: Path) -> bool:
    listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    return all(" yes " in line[60:] for line in listed.splitlines()[2:])


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's text lines, spaces and the page number left out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in text.split("\f"):
        lines = [re.sub(r"\s", "", line) for line in page.splitlines()]
        pages.append([line for line in lines if line and not PAGE_NUMBER.fullmatch(line)])
    return pages


def _body_pages(pdf: Path) -> list[list[str]]:
    """The pages before the appended forms (附表)."""
    body = []
    for lines in _pages(pdf):
        if lines and lines[0].startswith("附表"):
            break
        body.append(lines)
    return body


def _body_text(docx: Path) -> str:
    """The text of paragraphs and tables before the appended forms (附表)."""
    texts = []
    for block in Document(str(docx)).element.body.iterchildren():
        text = "".join(t.text or "" for t in block.iter(qn("w:t")))
        if text.startswith("附表"):
            break
        texts.append(text)
    return "".join(texts)


@pytest.mark.parametrize("name", [REPORT, MONITORING])
def test_title_body_and_headings_print_in_distinct_embedded_faces(demo: Path, name: str) -> None:
    pdf = demo / f"{name}.pdf"
    fonts = _fonts(pdf, 1)  # title, 一级 and 二级 headings and body are all on page 1
    assert any("SerifCJK" in f for f in fonts), fonts  # 仿宋 body, 小标宋 title
    assert any("SansCJK" in f for f in fonts), fonts  # 黑体 一级标题
    assert any("Kai" in f for f in fonts), fonts  # 楷体 二级标题
    assert _all_embedded(pdf)


@pytest.mark.parametrize("name", [REPORT, MONITORING])
def test_the_pdf_keeps_every_punctuation_mark_of_the_word_text(demo: Path, name: str) -> None:
    printed = "".join("".join(lines) for lines in _body_pages(demo / f"{name}.pdf"))
    written = re.sub(r"\s", "", _body_text(demo / f"{name}.docx"))
    for mark in PUNCTUATION:
        assert printed.count(mark) == written.count(mark), mark


def _holds_a_table(lines: list[str]) -> bool:
    """A page with the 成本效益分析 table, whose 五号 rows are off the body's line grid."""
    return any(line.startswith("项目名称产出指标") for line in lines)


def test_a_full_body_page_holds_22_lines_of_28_characters(demo: Path) -> None:
    pages = _body_pages(demo / f"{REPORT}.pdf")
    # the first holds the title, the last ends the text
    full = [lines for lines in pages[1:-1] if not _holds_a_table(lines)]
    assert full and all(len(lines) == 22 for lines in full), [len(p) for p in full]
    chinese_only = [
        line.rstrip(HANGING) for lines in full for line in lines if not re.search(r"[!-~]", line)
    ]
    assert max(len(line) for line in chinese_only) == 28
    assert sum(len(line) == 28 for line in chinese_only) > len(chinese_only) / 2


@pytest.mark.parametrize("name", [REPORT, MONITORING])
def test_the_title_breaks_where_title_lines_says(demo: Path, name: str) -> None:
    title = Document(str(demo / f"{name}.docx")).core_properties.title
    lines = title_lines(title)
    first_page = _pages(demo / f"{name}.pdf")[0]
    start = first_page.index(lines[0])
    assert first_page[start : start + len(lines)] == lines
    assert "荔湾区分" not in [line[-4:] for line in lines]

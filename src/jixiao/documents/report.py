"""Render a :class:`~jixiao.core.narrative.ReportContent` as Word (.docx) or Markdown.

Both renderings print exactly the words of the ``ReportContent``; the layout comes from
templates in ``jixiao/documents/templates``: ``self-evaluation.docx`` (docxtpl, may be
restyled in Word or replaced by a user's own) and ``self-evaluation.md.j2`` (Jinja2).
When the content carries the year's evaluation, both append its forms (附表), laid out by
:mod:`jixiao.documents.evaluation_forms` exactly as in the Excel workbook.
"""

from __future__ import annotations

import functools
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

from jixiao.core.consistency import Finding
from jixiao.core.narrative import ReportContent
from jixiao.documents.docx_jinja import DOCX_JINJA
from jixiao.documents.docx_layout import finish_for_print
from jixiao.documents.evaluation_forms import forms_context

DOCX_TEMPLATE_NAME = "self-evaluation.docx"
MARKDOWN_TEMPLATE_NAME = "self-evaluation.md.j2"


class TemplateError(Exception):
    """A report template could not be opened or rendered; the message says which and why."""


def _template_resource(name: str) -> Traversable:
    return files("jixiao.documents") / "templates" / name


def _plain(value: Any) -> Any:
    """Dataclasses → dicts, tuples → lists, recursively; findings get ``severity_label``."""
    if isinstance(value, Finding):
        return {
            "id": value.id,
            "severity": str(value.severity),
            "severity_label": value.severity.label,
            "message": value.message,
            "location": value.location,
        }
    if is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


def report_context(content: ReportContent) -> dict[str, Any]:
    """The template variables: one per ``ReportContent`` field, as plain data.

    The ``evaluation`` becomes the forms the report appends: ``department_form`` (or None)
    and ``project_forms``, as the strings their cells print (``evaluation_forms``);
    ``cost_heading`` numbers 成本效益分析 after 主要工作成效.
    """
    context = {
        field.name: _plain(getattr(content, field.name))
        for field in fields(content)
        if field.name != "evaluation"
    }
    context["cost_heading"] = content.cost_heading
    context.update(forms_context(content.evaluation))
    return context


INDICATOR_HEADERS = ("一级指标", "二级指标")


def _cell_text(cell: Any) -> str:
    return "".join(text.text or "" for text in cell.iter(qn("w:t")))


def _merge_down(cells: list[Any]) -> None:
    """Merge a column's run of cells vertically: the first keeps the text."""
    cells[0].vMerge = "restart"
    for cell in cells[1:]:
        cell.vMerge = "continue"
        for paragraph in cell.findall(qn("w:p")):
            for run in paragraph.findall(qn("w:r")):
                paragraph.remove(run)


def _merge_block(rows: list[list[Any]]) -> None:
    keys = [[_cell_text(row[0])] for row in rows]
    for column in (0, 1):
        if column == 1:
            keys = [[*key, _cell_text(row[1])] for key, row in zip(keys, rows, strict=True)]
        start = 0
        for index in range(1, len(rows) + 1):
            if index == len(rows) or keys[index] != keys[start]:
                if index - start > 1:
                    _merge_down([row[column] for row in rows[start:index]])
                start = index


def merge_indicator_groups(body: Any) -> None:
    """Merge the 一级 / 二级指标 cells down their groups, as the printed forms do.

    In every table whose header row starts 一级指标 | 二级指标, the rows below it (up to the
    first row with another number of cells, e.g. 总分) are indicator rows; a run of equal
    一级 texts is merged, and within it a run of equal 二级 texts. Word row loops cannot
    merge by content, so this is done on the rendered document.
    """
    for table in body.iter(qn("w:tbl")):
        block: list[list[Any]] | None = None
        width = 0
        for row in table.findall(qn("w:tr")):
            cells = row.findall(qn("w:tc"))
            if [_cell_text(cell) for cell in cells[:2]] == list(INDICATOR_HEADERS):
                block, width = [], len(cells)
                continue
            if block is None:
                continue
            if len(cells) == width:
                block.append(cells)
                continue
            _merge_block(block)
            block = None
        if block:
            _merge_block(block)


@contextmanager
def _docx_template_path(template: Path | None) -> Iterator[Path]:
    if template is not None:
        yield Path(template)
        return
    with as_file(_template_resource(DOCX_TEMPLATE_NAME)) as packaged:
        yield Path(packaged)


def _describe(error: Exception) -> str:
    if isinstance(error, jinja2.TemplateSyntaxError):
        return f"模板语法错误（{error.message}），请检查 {{{{ … }}}} 与 {{% … %}} 标签是否完整闭合"
    if isinstance(error, jinja2.TemplateError):
        return f"模板标签错误（{type(error).__name__}: {error}）"
    if isinstance(error, etree.LxmlError):
        return f"渲染结果不是合法的 Word XML（{error}）"
    if isinstance(error, zipfile.BadZipFile | KeyError | OpcError):
        return f"不是有效的 Word（.docx）文件（{error}）"
    return f"{type(error).__name__}: {error}"


def render_docx(
    content: ReportContent,
    out_path: Path,
    template: Path | None = None,
    *,
    department: str | None = None,
    prepared_on: date | None = None,
) -> Path:
    """Write the report as a Word file at ``out_path`` and return that path.

    ``template`` is a docxtpl template whose tags use the ``ReportContent`` field names;
    by default the packaged ``self-evaluation.docx``.  Texts are XML-escaped.  A template
    that cannot be opened or rendered raises :class:`TemplateError`. The rendered file is
    finished for print (:func:`~jixiao.documents.docx_layout.finish_for_print`); its
    author is ``department`` (by default the evaluated department's name) and its date
    ``prepared_on`` (by default today).
    """
    out_path = Path(out_path)
    with _docx_template_path(template) as template_path:
        if not template_path.is_file():
            raise TemplateError(f"找不到 Word 模板文件：{template_path}")
        try:
            document = DocxTemplate(template_path)
            document.render(report_context(content), DOCX_JINJA, autoescape=True)
            merge_indicator_groups(document.docx.element.body)
            if department is None and content.evaluation is not None:
                department = content.evaluation.department_name
            finish_for_print(
                document.docx, content.title, department or "", prepared_on or date.today()
            )
        except (
            jinja2.TemplateError,
            etree.LxmlError,
            zipfile.BadZipFile,
            OpcError,
            KeyError,
            ValueError,
        ) as error:
            raise TemplateError(
                f"Word 模板“{template_path}”无法渲染：{_describe(error)}"
            ) from error
    out_path.parent.mkdir(parents=True, exist_ok=True)
    document.save(out_path)
    return out_path


def escape_html(value: object) -> str:
    """Text as Markdown shows it, never as HTML: a name like ``<img onerror=…>`` stays text."""
    if isinstance(value, markupsafe.Markup):
        return str(value)
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markdown_cell(value: object) -> markupsafe.Markup:
    """A table cell's text for a pipe table: HTML and pipes escaped, line breaks as <br>."""
    text = escape_html(value).replace("\\", "\\\\").replace("|", "\\|")
    return markupsafe.Markup("<br>".join(line.strip() for line in text.splitlines()) or " ")


@functools.lru_cache(maxsize=4)
def _markdown_template(source: str) -> jinja2.Template:
    """The Markdown template compiled once per process for each source text."""
    return _markdown_environment().from_string(source)


def _markdown_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        autoescape=False,  # Markdown, not HTML: only &, < and > are escaped (finalize)
        finalize=escape_html,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["cell"] = markdown_cell
    return environment


def render_markdown(content: ReportContent) -> str:
    """The report as Markdown: ``#`` title, ``##``/``###`` headings, blank-line paragraphs."""
    source = _template_resource(MARKDOWN_TEMPLATE_NAME).read_text(encoding="utf-8")
    try:
        template = _markdown_template(source)
        text = template.render(report_context(content))
    except jinja2.TemplateError as error:
        raise TemplateError(
            f"Markdown 模板“{MARKDOWN_TEMPLATE_NAME}”无法渲染：{_describe(error)}"
        ) from error
    # Collapse the blank lines left by empty sections to one.
    lines: list[str] = []
    for line in text.splitlines():
        if line.strip() or (lines and lines[-1].strip()):
            lines.append(line.rstrip())
    return "\n".join(lines).strip() + "\n"

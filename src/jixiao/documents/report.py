"""Render a :class:`~jixiao.core.narrative.ReportContent` as Word (.docx) or Markdown.

Both renderings print exactly the words of the ``ReportContent``; the layout comes from
templates in ``jixiao/documents/templates``: ``self-evaluation.docx`` (docxtpl, may be
restyled in Word or replaced by a user's own) and ``self-evaluation.md.j2`` (Jinja2).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from importlib.resources import as_file, files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import jinja2
from docx.opc.exceptions import OpcError
from docxtpl import DocxTemplate
from lxml import etree

from jixiao.core.consistency import Finding
from jixiao.core.narrative import ReportContent

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
    """The template variables: one per ``ReportContent`` field, as plain data."""
    context = _plain(content)
    assert isinstance(context, dict)
    return context


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


def render_docx(content: ReportContent, out_path: Path, template: Path | None = None) -> Path:
    """Write the report as a Word file at ``out_path`` and return that path.

    ``template`` is a docxtpl template whose tags use the ``ReportContent`` field names;
    by default the packaged ``self-evaluation.docx``.  Texts are XML-escaped.  A template
    that cannot be opened or rendered raises :class:`TemplateError`.
    """
    out_path = Path(out_path)
    with _docx_template_path(template) as template_path:
        if not template_path.is_file():
            raise TemplateError(f"找不到 Word 模板文件：{template_path}")
        try:
            document = DocxTemplate(template_path)
            document.render(report_context(content), autoescape=True)
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


def _markdown_environment() -> jinja2.Environment:
    return jinja2.Environment(
        autoescape=False,  # Markdown, not HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_markdown(content: ReportContent) -> str:
    """The report as Markdown: ``#`` title, ``##``/``###`` headings, blank-line paragraphs."""
    source = _template_resource(MARKDOWN_TEMPLATE_NAME).read_text(encoding="utf-8")
    try:
        template = _markdown_environment().from_string(source)
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

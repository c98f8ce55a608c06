"""The process's docxtpl environment compiles a template part once and never reuses a stale one."""

from __future__ import annotations

from jixiao.documents.docx_jinja import DOCX_JINJA


def test_the_same_source_is_compiled_once() -> None:
    source = "<w:t>{{ name }}</w:t>"
    assert DOCX_JINJA.from_string(source) is DOCX_JINJA.from_string(source)


def test_a_changed_source_is_compiled_anew() -> None:
    first = DOCX_JINJA.from_string("<w:t>{{ name }}：一</w:t>")
    second = DOCX_JINJA.from_string("<w:t>{{ name }}：二</w:t>")
    assert first is not second
    assert second.render(name="甲") == "<w:t>甲：二</w:t>"


def test_a_kept_part_renders_each_context_and_escapes_it() -> None:
    template = DOCX_JINJA.from_string("<w:t>{{ name }}</w:t>")
    assert template.render(name="甲 & 乙") == "<w:t>甲 &amp; 乙</w:t>"
    assert DOCX_JINJA.from_string("<w:t>{{ name }}</w:t>").render(name="丙") == "<w:t>丙</w:t>"


def test_the_markdown_template_is_compiled_once_per_source() -> None:
    from jixiao.documents.report import _markdown_template

    source = "# {{ title }}\n"
    assert _markdown_template(source) is _markdown_template(source)
    assert _markdown_template("## {{ title }}\n").render(title="甲") == "## 甲\n"

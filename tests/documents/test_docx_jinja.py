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


def test_threads_rendering_at_once_share_one_kept_part_per_source() -> None:
    """Several threads (a web server's) ask for the same new parts at the same moment, and
    for more parts than are kept: each gets a part that renders its own text, every thread
    gets the one part kept for a source, and no more than the limit is kept."""
    import sys
    import threading

    from jixiao.documents.docx_jinja import _KEPT, _KeepingEnvironment

    environment = _KeepingEnvironment()
    shared = [f"<w:t>{{{{ name }}}}：共{n}</w:t>" for n in range(4)]
    own = [f"<w:t>{{{{ name }}}}：单{n}</w:t>" for n in range(_KEPT * 2)]
    threads_count = 8
    start = threading.Barrier(threads_count)
    got: list[list[object]] = [[] for _ in range(threads_count)]
    failures: list[BaseException] = []

    def work(index: int) -> None:
        try:
            start.wait()
            for source in shared:
                template = environment.from_string(source)
                got[index].append(template)
                assert template.render(name="甲") == source.replace("{{ name }}", "甲")
            start.wait()  # none is pushed out of the kept parts before every thread has it
            for source in own[index::threads_count] * 3:
                assert environment.from_string(source).render(name="乙") == source.replace(
                    "{{ name }}", "乙"
                )
        except BaseException as error:  # handed to the test's own thread
            failures.append(error)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    for position in range(len(shared)):
        assert len({id(templates[position]) for templates in got}) == 1
    assert len(environment._compiled) <= _KEPT

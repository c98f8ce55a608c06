"""One Jinja environment for every docxtpl render of the process.

docxtpl compiles each part of a template (body, headers, footers) afresh on every render
when it is given ``autoescape=True`` alone; in a batch the same template's parts are
compiled once per department. Here a compiled part is kept, keyed by its exact source
text, so a changed template (or another one) is compiled anew and never mistaken for a
kept one.

The kept parts are shared by every thread of the process (the web server renders reports
at once for several users): a lock guards the dict, never a compilation, so two threads
compiling the same new part may both compile it and the first one kept is the one used.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import jinja2

_KEPT = 32
"""Compiled parts kept: a few templates' bodies, headers and footers."""


class _KeepingEnvironment(jinja2.Environment):
    """An autoescaping environment that compiles each source text once."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: OrderedDict[str, jinja2.Template] = OrderedDict()
        self._lock = threading.Lock()

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: Any = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        kept = self._kept(source)
        if kept is not None:
            return kept
        return self._keep(source, super().from_string(source))

    def _kept(self, source: str) -> jinja2.Template | None:
        with self._lock:
            template = self._compiled.get(source)
            if template is not None:
                self._compiled.move_to_end(source)
            return template

    def _keep(self, source: str, compiled: jinja2.Template) -> jinja2.Template:
        with self._lock:
            template = self._compiled.setdefault(source, compiled)
            self._compiled.move_to_end(source)
            if len(self._compiled) > _KEPT:
                self._compiled.popitem(last=False)
            return template


DOCX_JINJA = _KeepingEnvironment()
"""Pass as ``jinja_env`` to ``DocxTemplate.render`` (with ``autoescape=True``)."""

"""One Jinja environment for every docxtpl render of the process.

docxtpl compiles each part of a template (body, headers, footers) afresh on every render
when it is given ``autoescape=True`` alone; in a batch the same template's parts are
compiled once per department. Here a compiled part is kept, keyed by its exact source
text, so a changed template (or another one) is compiled anew and never mistaken for a
kept one.
"""

from __future__ import annotations

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

    def from_string(  # type: ignore[override]
        self, source: Any, globals: Any = None, template_class: Any = None
    ) -> jinja2.Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            self._compiled[source] = template
            if len(self._compiled) > _KEPT:
                self._compiled.popitem(last=False)
        else:
            self._compiled.move_to_end(source)
        return template


DOCX_JINJA = _KeepingEnvironment()
"""Pass as ``jinja_env`` to ``DocxTemplate.render`` (with ``autoescape=True``)."""

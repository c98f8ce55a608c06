"""Serve plotly.js from the plotly wheel as a static file: charts work offline, no CDN."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, overload

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import CheckMessage, Error
from django.core.files.storage import FileSystemStorage

PLOTLY_STATIC_PATH = "jixiao/vendor/plotly.min.js"
"""Where templates find it: ``{% static "jixiao/vendor/plotly.min.js" %}``."""


def plotly_package_data() -> Path:
    return Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    """Finds ``jixiao/vendor/plotly.min.js`` in plotly's own package data."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=str(plotly_package_data()))
        self.storage.prefix = "jixiao/vendor"  # type: ignore[attr-defined]

    def check(self, **kwargs: Any) -> list[CheckMessage]:
        if not (plotly_package_data() / "plotly.min.js").exists():
            return [Error("plotly.min.js is missing from the plotly package", id="jixiao.E001")]
        return []

    @overload
    def find(self, path: str, find_all: Literal[False] = False) -> str | None: ...
    @overload
    def find(self, path: str, find_all: Literal[True]) -> list[str]: ...
    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str] | None:
        if path != PLOTLY_STATIC_PATH:
            return [] if find_all else None
        found = str(plotly_package_data() / "plotly.min.js")
        return [found] if find_all else found

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        yield "plotly.min.js", self.storage

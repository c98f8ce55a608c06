"""Read a report outline file (``jixiao/rules/outlines/<name>.yaml``) into an Outline."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import yaml

from jixiao.core.outline import Outline, OutlineError, OutlineSection, checked


def outline_names() -> tuple[str, ...]:
    folder = files("jixiao") / "rules" / "outlines"
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def outline_from_data(data: Any) -> Outline:
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise OutlineError("提纲文件须有 name、title 和 sections 列表")
    return checked(
        Outline(
            name=str(data.get("name", "")),
            title=str(data.get("title", "")),
            source=str(data.get("source", "")),
            sections=tuple(
                OutlineSection(
                    heading=str(row["heading"]),
                    level=int(row.get("level", 2)),
                    key=str(row.get("key", "")),
                    required=bool(row.get("required", False)),
                    label=str(row.get("label", "")),
                )
                for row in data["sections"]
            ),
        )
    )


@cache
def load_outline(name: str) -> Outline:
    """The packaged outline ``name``; OutlineError when there is none by that name."""
    if name not in outline_names():
        raise OutlineError(f"没有名为“{name}”的报告提纲（可用：{'、'.join(outline_names())}）")
    path = files("jixiao") / "rules" / "outlines" / f"{name}.yaml"
    return outline_from_data(yaml.safe_load(path.read_text(encoding="utf-8")))

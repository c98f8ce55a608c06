"""The JSON Schema of the dataset file, generated from the models in dataset.py.

``python -m jixiao.interchange.schema [OUT]`` writes it to OUT (or stdout). The copy in
docs/dataset.schema.json is generated this way; a test keeps it from going stale.
Editors such as VS Code's YAML extension use it for completion and checking as you type;
jixiao itself validates with the models, which also check what a schema cannot
(references between codes, the precision of amounts, dates inside the year).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jixiao.interchange.dataset import FORMAT, Dataset

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
TITLE = f"jixiao dataset file ({FORMAT})"


def dataset_json_schema() -> dict[str, Any]:
    """The dataset file's JSON Schema (draft 2020-12)."""
    schema = Dataset.model_json_schema()
    return {"$schema": JSON_SCHEMA_DIALECT, **schema, "title": TITLE}


def schema_text() -> str:
    """The schema as the file docs/dataset.schema.json holds it."""
    return json.dumps(dataset_json_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) > 1 or any(arg in ("-h", "--help") for arg in args):
        print("用法：python -m jixiao.interchange.schema [OUT]", file=sys.stderr)
        return 2
    text = schema_text()
    if args:
        Path(args[0]).write_text(text, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

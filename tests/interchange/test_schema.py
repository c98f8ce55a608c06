"""The JSON Schema and the format document stay true to the models in dataset.py."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml
from pydantic import BaseModel

from jixiao.interchange.dataset import Dataset
from jixiao.interchange.dataset_file import parse_dataset
from jixiao.interchange.schema import dataset_json_schema, main, schema_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "docs" / "dataset.schema.json"
FORMAT_DOC = ROOT / "docs" / "dataset-format.md"
DEMO = ROOT / "src" / "jixiao" / "demo" / "liwan-2023.yaml"
REGENERATE = "python -m jixiao.interchange.schema docs/dataset.schema.json"


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """Every model an annotation names, through list[...], dict[...], Optional and Annotated."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
        return
    for argument in get_args(annotation):
        yield from _models(argument)


def _all_models() -> list[type[BaseModel]]:
    return list(dict.fromkeys(_models(Dataset)))


def _section(document: str, model: type[BaseModel]) -> str:
    """The text under the heading that names the model as `Model`, up to the next heading."""
    match = re.search(rf"^#+ [^\n]*`{model.__name__}`[^\n]*\n(.*?)(?=^#|\Z)", document, re.M | re.S)
    assert match, f"docs/dataset-format.md has no heading naming `{model.__name__}`"
    return match.group(1)


def _table_fields(section: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.M))


def _json_ready(value: Any) -> Any:
    """A YAML document as JSON would hold it: dates become ISO text."""
    if isinstance(value, dict):
        return {str(key): _json_ready(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_ready(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def _example_blocks() -> list[str]:
    blocks = re.findall(r"^```yaml\n(.*?)^```", FORMAT_DOC.read_text(encoding="utf-8"), re.M | re.S)
    return [block for block in blocks if block.startswith("format: jixiao-dataset/1")]


def test_it_keeps_the_schema_file_equal_to_what_the_models_generate() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        f"docs/dataset.schema.json is stale; regenerate it with: {REGENERATE}"
    )


def test_it_declares_draft_2020_12_and_titles_the_format() -> None:
    schema = dataset_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "jixiao dataset file (jixiao-dataset/1)"
    assert "$id" not in schema
    assert set(schema["required"]) == {"unit", "department", "year"}


def test_it_writes_the_schema_to_the_file_given(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    assert main([str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert json.loads(text) == dataset_json_schema()
    assert "金额" in text  # not escaped


def test_it_writes_the_schema_to_stdout_without_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    assert capsys.readouterr().out == schema_text()


def test_it_accepts_the_demo_file_by_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    document = _json_ready(yaml.safe_load(DEMO.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(dataset_json_schema()).validate(document)


def test_it_accepts_every_example_of_the_format_document_by_the_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(dataset_json_schema())
    for block in _example_blocks():
        validator.validate(_json_ready(yaml.safe_load(block)))


def test_it_finds_every_model_of_the_format() -> None:
    names = {model.__name__ for model in _all_models()}
    assert {"Dataset", "Department", "NamedCode", "Metric", "Line", "Payment"} <= names


def test_it_mentions_every_field_name_in_the_format_document() -> None:
    document = FORMAT_DOC.read_text(encoding="utf-8")
    missing = [
        f"{model.__name__}.{name}"
        for model in _all_models()
        for name in model.model_fields
        if f"`{name}`" not in document
    ]
    assert not missing, f"docs/dataset-format.md does not mention: {', '.join(missing)}"


def test_it_documents_every_field_of_every_model_in_that_models_table() -> None:
    document = FORMAT_DOC.read_text(encoding="utf-8")
    for model in _all_models():
        documented = _table_fields(_section(document, model))
        fields = set(model.model_fields)
        assert documented == fields, (
            f"`{model.__name__}` table in docs/dataset-format.md: "
            f"missing {sorted(fields - documented)}, unknown {sorted(documented - fields)}"
        )


def test_it_has_examples_in_the_format_document() -> None:
    assert len(_example_blocks()) >= 3


@pytest.mark.parametrize("index", range(len(_example_blocks())))
def test_it_parses_each_example_of_the_format_document(index: int) -> None:
    dataset = parse_dataset(_example_blocks()[index].encode("utf-8"))
    assert dataset.format == "jixiao-dataset/1"

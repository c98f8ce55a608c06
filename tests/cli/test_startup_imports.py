"""Commands import the heavy libraries they use, where they use them: `jixiao load` and
`jixiao report` never import matplotlib (charts), openpyxl (Excel) or numpy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("matplotlib", "openpyxl", "numpy")

SCRIPT = """
import json, sys
from jixiao.cli import main
codes = [main(args) for args in json.loads(sys.argv[1])]
print(json.dumps({"codes": codes, "heavy": sorted(
    name for name in sys.modules if name.split(".")[0] in json.loads(sys.argv[2]))}))
"""


def _heavy_imports(home: Path, *commands: list[str]) -> tuple[list[int], list[str]]:
    """Run the commands in one fresh process; their exit codes and the heavy modules loaded."""
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "JIXIAO_HOME": str(home), "PYTHONPATH": src}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, json.dumps(commands), json.dumps(HEAVY)],
        env=env, capture_output=True, text=True, check=True, timeout=600,
    )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["codes"], result["heavy"]


def test_load_and_report_import_no_chart_excel_or_array_library(
    tmp_path: Path, small_year_text: str
) -> None:
    data = tmp_path / "year.yaml"
    data.write_text(small_year_text, encoding="utf-8")
    codes, heavy = _heavy_imports(
        tmp_path / "home",
        ["load", str(data)],
        ["report", "--department", "test-dept", "--year", "2024", "--out", str(tmp_path / "out")],
    )
    assert codes == [0, 0]
    assert heavy == []

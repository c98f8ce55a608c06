"""A layout added as data only: docs/excel.md's worked example, read from a file in tmp.

Also: the layouts files are checked (each defect named with its file and field), and every
form read says by which layout it was read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from jixiao.interchange.excel.form_layouts import EVALUATION, FUNDS, GOALS, MONITORING
from jixiao.interchange.excel.form_sheets import read_forms
from jixiao.interchange.excel.layout_files import ENVIRONMENT, load_layouts, shipped_layouts
from jixiao.interchange.excel.review import review_lines, review_workbook
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected
from tests.excel_forms.layout_forms import OPERATOR_COLUMNS, xlsx

Run = Callable[..., tuple[int, str, str]]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "excel.md"


def _example() -> tuple[str, list[list[Any]]]:
    """The worked example of docs/excel.md: its YAML, and its form's indicator table."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("#### 示例") :]
    yaml_text = re.search(r"<!-- layout-example -->\n```yaml\n(.*?)```", section, re.S)
    assert yaml_text is not None
    table = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("|")
    ]
    header, rows = (
        table[0],
        [row for row in table[2:] if row[0] in ("产出指标", "效益指标", "满意度指标")],
    )
    typed = [[_typed(cell) for cell in row] for row in rows]
    return yaml_text.group(1), [header, *typed]


def _typed(cell: str) -> Any:
    if not cell:
        return None
    return int(cell) if cell.isdigit() else cell


def _example_form(tmp_path: Path) -> tuple[Path, Path]:
    layout, indicators = _example()
    folder = tmp_path / "layouts"
    folder.mkdir()
    (folder / "city-training.yaml").write_text(layout, encoding="utf-8")
    rows = [
        ["2023年度某市部门项目绩效自评表"],
        ["项目名称", "职业技能培训", None, "主管部门", "某市人力资源和社会保障局"],
        ["项目资金（万元）", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
        ["年度资金总额", 80, 80, 80, 10, "100%", 10],
        *indicators,
        ["总分", None, None, None, None, None, 100, None, 97],
        ["评价等级", "优"],
    ]
    return xlsx(tmp_path / "自评表.xlsx", ("自评表", rows)), folder


def test_the_documented_layout_reads_its_form_given_on_the_command_line(
    jixiao: Run, tmp_path: Path
) -> None:
    path, folder = _example_form(tmp_path)
    code, out, err = jixiao("review", path, "--layouts", folder)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert (
        "【自评表】项目支出绩效自评表：职业技能培训；按规则计算：总分 97，等级 优；未发现问题"
        in lines
    )
    assert "  按版式“某市部门项目绩效自评表”读取" in lines


def test_without_the_layout_the_form_is_not_understood(jixiao: Run, tmp_path: Path) -> None:
    path, _ = _example_form(tmp_path)
    code, out, _ = jixiao("review", path)
    assert code != 0
    assert "某市部门项目绩效自评表" not in out


def test_the_environment_names_layouts_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, folder = _example_form(tmp_path)
    monkeypatch.setenv(ENVIRONMENT, str(folder))
    (form,) = read_forms(read_workbook(path), load_layouts())
    assert form.layout.id == "city-department-project"
    assert form.layout.origin == str(folder / "city-training.yaml")
    result = review_workbook(path)
    assert result.clean, review_lines(result)


def test_a_file_replaces_a_shipped_layout_of_the_same_id(tmp_path: Path) -> None:
    """A province adds a header word to the MoF form by restating that one column."""
    layout = tmp_path / "mof.yaml"
    layout.write_text(
        "format: jixiao-form-layout/1\nid: mof-project-evaluation\nname: 本省项目支出绩效自评表\n"
        "form: project-evaluation\nbase: mof-project-evaluation\nfallback: true\n"
        "identify: {titles: [绩效自评表]}\n"
        "tables:\n  indicators:\n    columns:\n"
        "      remark: {label: 偏差原因分析及改进措施, synonyms: [存在问题及整改措施]}\n",
        encoding="utf-8",
    )
    rows = [list(row) for row in OPERATOR_COLUMNS]
    rows[4] = ["一级指标", "二级指标", "三级指标", "指标类型", "年度指标值", "分值", "实际完成值",
               "得分", "存在问题及整改措施"]  # fmt: skip
    rows[5:12] = [
        ["产出指标", "数量指标", "养护道路里程", "定量", "≥120公里", 90, "125公里", 90, "无"]
    ]
    rows[6][5:9] = [100, None, 99.5, None]  # 总分
    path = xlsx(tmp_path / "a.xlsx", ("自评表", rows))
    (shipped,) = read_forms(read_workbook(path))
    assert shipped.layout.name == "财政部项目支出绩效自评表"
    assert "remark" not in shipped.indicators.header.columns
    (own,) = read_forms(read_workbook(path), load_layouts([layout]))
    assert own.layout.name == "本省项目支出绩效自评表"
    assert own.indicators.rows[0].values["remark"] == "无"


def test_the_mof_tables_are_the_shipped_layouts() -> None:
    by_id = {layout.id: layout for layout in shipped_layouts()}
    assert EVALUATION is by_id["mof-project-evaluation"].indicators
    assert FUNDS is by_id["mof-project-evaluation"].funds
    assert GOALS is by_id["mof-goals"].indicators
    assert MONITORING is by_id["mof-monitoring"].indicators
    assert [c.key for c in GOALS.columns] == [
        "seq",
        "level1",
        "level2",
        "level3",
        "kind",
        "target",
        "weight",
        "last_year",
        "cost_standard",
        "cost_share",
    ]
    assert by_id["mof-department-evaluation"].indicators == EVALUATION
    forms = [layout for layout in shipped_layouts() if layout.form.is_form]
    assert {layout.id for layout in forms if not layout.fallback} == {
        "province-operator-columns",
        "province-operator-columns-goals",
        "province-combined-target",
        "county-special-attainment",
        "province-monitoring",
    }


_GOOD = (
    "format: jixiao-form-layout/1\nid: x\nname: 某县自评表\nform: project-evaluation\n"
    "base: mof-project-evaluation\nidentify: {headers: [考核指标]}\n"
    "tables:\n  indicators:\n    columns:\n      level3: {label: 考核指标, required: true}\n"
)


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (
            _GOOD.replace("required: true", "type: money"),
            "tables.indicators.columns.level3.type",
            "text",
        ),
        (
            _GOOD.replace("base: mof-project-evaluation", "base: nowhere"),
            "base",
            "没有 id 为“nowhere”的版式",
        ),
        (
            _GOOD.replace("考核指标]}", "考核要点]}"),
            "identify.headers[0]",
            "“考核要点”不是指标表任何一列的列名或别名",
        ),
        (
            _GOOD + "      points: {label: 得分}\n",
            "tables.indicators.columns.points",
            "“points”不是此表能用的列",
        ),
        (
            _GOOD + "    order: [level1, level9]\n",
            "tables.indicators.order",
            "没有名为“level9”的列",
        ),
        (_GOOD.replace("identify: {headers: [考核指标]}\n", ""), "identify", "须写明识别此版式"),
        ("- 一\n- 二\n", "", "版式文件应为一个键值对象"),
        (_GOOD.replace("id: x", "id: X 1"), "id", ""),
    ],
)
def test_a_faulty_layout_file_is_refused_naming_file_and_field(
    tmp_path: Path, text: str, where: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputRejected) as refused:
        load_layouts([path])
    problems = refused.value.problems
    assert any(
        p.where.startswith(str(path)) and where in p.where and message in p.message
        for p in problems
    ), problems


def test_a_missing_layout_path_is_refused(jixiao: Run, tmp_path: Path) -> None:
    path, _ = _example_form(tmp_path)
    code, _, err = jixiao("review", path, "--layouts", tmp_path / "nowhere")
    assert code == 2
    assert "版式文件或目录不存在" in err

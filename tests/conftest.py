"""Shared fixtures: datasets written as the finance office writes them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from jixiao.cli import main

# Tests assert behaviour, never timing: a property example that is slow on a busy
# machine is not a failure.
settings.register_profile("jixiao", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("jixiao")

DEMO = Path(__file__).resolve().parent.parent / "src" / "jixiao" / "demo" / "liwan-2023.yaml"

SMALL_YEAR = """\
format: jixiao-dataset/1
unit: 万元
department:
  code: test-dept
  name: 测试区测试局
  offices:
    - {code: cwk, name: 财务科}
    - {code: ghk, name: 规划科}
year: 2024
functions:
  items: [负责规划编制。, 负责土地管理。]
key_tasks: [推进规划编制, 盘活存量土地]
achievements:
  - title: 完成规划编制
    text: 完成控规调整3项，整改率75%。
    metrics:
      - {name: 控规调整, value: 3, unit: 项}
      - {name: 应整改, value: 4, unit: 宗}
      - {name: 已整改, value: 3, unit: 宗}
      - {name: 整改率, value: 75.00, unit: "%", ratio_of: [已整改, 应整改]}
problems:
  - {title: 部分项目支出进度偏低}
improvement_measures: [加强项目进度管理。]
budget:
  totals:
    carryover: 12.5
  projects:
    - {code: P001, name: 国土空间规划编制, office: ghk, recurrent: true}
    - {code: P002, name: 土地储备前期, office: ghk}
  lines:
    - code: B01
      name: 人员经费
      funding_source: general_public_budget
      nature: basic
      basic_kind: personnel
      initial_budget: 300
      final_budget: 300
      executed: 298.5
    - code: L01
      name: 国土空间规划编制
      funding_source: general_public_budget
      nature: project
      project: P001
      initial_budget: 100
      adjustments:
        - {date: 2024-06-30, amount: 20, document_number: 测财〔2024〕8号, reason: 追加任务}
      final_budget: 120
    - code: L02
      name: 土地储备前期
      funding_source: government_fund_budget
      nature: project
      project: P002
      initial_budget: 500
      final_budget: 500
      executed: 210.25
  payments:
    - {line: L01, date: 2024-03-15, amount: 40, voucher: 记-031}
    - {line: L01, date: 2024-09-20, amount: 70.5, voucher: 记-092}
    - {line: L01, date: 2024-10-08, amount: -0.5, refund: true, voucher: 记-101}
evaluation:
  project_rules: mof-2020-project
  inputs: {编制数: 50, 在职人员数: 48}
goals:
  - name: 部门整体支出绩效目标
    expected_objective: 完成年度规划编制和土地储备任务。
    indicators:
      - {level1: 产出指标, level2: 数量指标, level3: 控规调整项目数, kind: quantitative,
         target: "≥3项", weight: 20, actual: 3项}
  - project: P001
    expected_objective: 完成国土空间规划编制。
    actual_objective: 已完成并报批。
    execution_reason: 部分合同尾款次年支付。
    claimed: {execution_rate: 91.67, execution_score: 9.17, total: 95.5, grade: 优}
    indicators:
      - {level1: 产出指标, level2: 数量指标, level3: 编制规划数量, kind: quantitative,
         target: "=1个", weight: 30, actual: 1个, claimed_score: 30}
      - {level1: 产出指标, level2: 时效指标, level3: 按期完成率, kind: quantitative,
         target: "≥95%", weight: 20, actual: 90%, claimed_score: 18.95,
         deviation_reason: 报批流程延长, improvement: 提前启动报批,
         progress: [{date: 2024-07-31, value: 60%, likelihood: 有可能,
                     reason_category: 制度保障, reason: 报批流程延长}]}
      - {level1: 效益指标, level2: 社会效益指标, level3: 规划管控作用, kind: qualitative,
         target: 效果明显, weight: 30, actual: 达成年度指标, state: 达成年度指标,
         assessed_score: 27.5, claimed_score: 28}
      - {level1: 满意度指标, level2: 服务对象满意度指标, level3: 群众满意度, kind: quantitative,
         target: "≥90%", weight: 10, last_year_actual: 92%, illustrative: true}
"""


@pytest.fixture
def small_year_text() -> str:
    return SMALL_YEAR


@pytest.fixture
def write_file(tmp_path: Path) -> Callable[[str | bytes, str], Path]:
    def write(content: str | bytes, name: str = "year.yaml") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def jixiao(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """Run the jixiao command line in-process: returns (exit status, stdout, stderr)."""

    def run(*args: str | Path) -> tuple[int, str, str]:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run

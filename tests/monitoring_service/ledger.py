"""A department-year with a ledger, written as the finance office writes it (万元).

At 2024-07-31 (序时进度 7/12) under the Guangzhou rules:

* P01 城市更新 (recurrent), 400 万元: 40 + 30 + 25.5 − 0.5 (refund) = 95 → 23.75 %, red;
  a September payment of 60 makes 155 by the end of October (38.75 % < 50 %: next year 60 %);
* P02 规划编制, 120 万元 (100 + 20 adjustment): 20 + 40 + 30.1234 = 90.1234 → 75.10 %,
  green; its August payment falls after 31 July;
* P03, named like a spreadsheet formula, 50 万元: nothing spent → red;
* B01 人员经费 10 a month; B02 has only an executed total (决算口径): not monitored.
"""

from __future__ import annotations

from jixiao.interchange.dataset_file import parse_dataset
from jixiao.services.storing import store_dataset
from jixiao.storage import models as m

DEPARTMENT = "jc-dept"
INJECTED_NAME = '=HYPERLINK("http://example.com","点我")'
INJECTED_REASON = "+人员不足@外包"

_SALARIES = "".join(
    f"    - {{line: B01, date: 2024-{month:02d}-25, amount: 10}}\n" for month in range(1, 11)
)

LEDGER_YEAR = f"""\
format: jixiao-dataset/1
unit: 万元
department: {{code: {DEPARTMENT}, name: 监测区测试局}}
year: 2024
budget:
  projects:
    - {{code: P01, name: 城市更新项目, recurrent: true}}
    - {{code: P02, name: 规划编制项目}}
    - {{code: P03, name: '{INJECTED_NAME}'}}
  lines:
    - {{code: B01, name: 人员经费, funding_source: general_public_budget, nature: basic,
       basic_kind: personnel, initial_budget: 120, final_budget: 120}}
    - {{code: B02, name: 公用经费, funding_source: general_public_budget, nature: basic,
       basic_kind: operations, initial_budget: 30, final_budget: 30, executed: 18}}
    - {{code: L01, name: 城市更新, funding_source: government_fund_budget, nature: project,
       project: P01, initial_budget: 400, final_budget: 400}}
    - code: L02
      name: 规划编制
      funding_source: general_public_budget
      nature: project
      project: P02
      initial_budget: 100
      adjustments: [{{date: 2024-05-20, amount: 20, document_number: 测财〔2024〕5号}}]
      final_budget: 120
    - {{code: L03, name: 信息化, funding_source: general_public_budget, nature: project,
       project: P03, initial_budget: 50, final_budget: 50}}
  payments:
{_SALARIES}    - {{line: L01, date: 2024-03-10, amount: 40}}
    - {{line: L01, date: 2024-06-20, amount: 30}}
    - {{line: L01, date: 2024-07-05, amount: 25.5}}
    - {{line: L01, date: 2024-07-20, amount: -0.5, refund: true}}
    - {{line: L01, date: 2024-09-30, amount: 60}}
    - {{line: L02, date: 2024-02-01, amount: 20}}
    - {{line: L02, date: 2024-05-15, amount: 40}}
    - {{line: L02, date: 2024-07-31, amount: 30.1234}}
    - {{line: L02, date: 2024-08-02, amount: 10}}
evaluation: {{monitoring_rules: monitoring-guangzhou}}
goals:
  - project: P02
    expected_objective: 完成规划编制。
    indicators:
      - level1: 产出指标
        level2: 数量指标
        level3: 完成规划编制数量
        kind: quantitative
        target: "≥4个"
        weight: 50
        progress:
          - {{date: 2024-06-30, value: 1个}}
          - {{date: 2024-07-31, value: 2个, likelihood: 有可能, reason_category: 人员保障,
             reason: "{INJECTED_REASON}"}}
          - {{date: 2024-09-30, value: 4个, likelihood: 确定能}}
      - {{level1: 满意度指标, level2: 服务对象满意度指标, level3: 满意度, kind: quantitative,
         target: "≥90%", weight: 50}}
"""

EARLIER_YEAR = f"""\
format: jixiao-dataset/1
unit: 万元
department: {{code: {DEPARTMENT}, name: 监测区测试局}}
year: 2023
budget:
  projects:
    - {{code: P01, name: 城市更新项目}}
  lines:
    - {{code: L01, name: 城市更新, funding_source: government_fund_budget, nature: project,
       project: P01, initial_budget: 100, final_budget: 100}}
    - {{code: B01, name: 人员经费, funding_source: general_public_budget, nature: basic,
       basic_kind: personnel, initial_budget: 10, final_budget: 10}}
  payments:
    - {{line: L01, date: 2023-03-15, amount: 10}}
    - {{line: L01, date: 2023-06-15, amount: 20}}
    - {{line: L01, date: 2023-12-15, amount: 70}}
    - {{line: B01, date: 2023-01-15, amount: 10}}
"""


def store(text: str) -> m.FiscalYear:
    return store_dataset(parse_dataset(text.encode("utf-8")), replace=True)


def store_ledger_year() -> m.FiscalYear:
    return store(LEDGER_YEAR)

"""The user list (用户名单) workbook: one row per account to create, and its template.

Columns: 用户名 (required), 姓名 (required), 角色 (required: 系统管理员, 财政局, 财务科,
单位领导 or 业务科室), 部门代码 (财务科, 单位领导, 业务科室), 科室 (业务科室: the office's
name or code), 初始密码 (optional: a random one is made when blank). Reading only turns
cells into rows with located problems; whether the department, office and user name
exist is checked where accounts are created (``jixiao.web.accounts``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Font  # type: ignore[import-untyped]

from jixiao.interchange.excel.cells import read_code
from jixiao.interchange.excel.headers import Column, TableSpec, find_header, read_table
from jixiao.interchange.excel.limits import Limits
from jixiao.interchange.excel.workbook import read_workbook
from jixiao.interchange.problems import InputRejected, Problem

ROLE_NAMES = ("系统管理员", "财政局", "财务科", "单位领导", "业务科室")

USERS = TableSpec(
    "用户名单",
    (
        Column("username", "用户名", ("账号", "登录名", "用户账号"), read=read_code, required=True,
               note="必填；登录用，字母、数字和 @.+-_，不能与已有账号重复"),
        Column("full_name", "姓名", ("名字",), required=True, note="必填"),
        Column("role", "角色", ("用户角色",), required=True,
               note="必填：" + "、".join(ROLE_NAMES)),
        Column("department", "部门代码", ("部门编码", "部门"), read=read_code,
               note="财务科、单位领导、业务科室必填；系统管理员、财政局不填"),
        Column("office", "科室", ("责任科室", "科室名称", "科室代码"),
               note="业务科室必填：本部门已建立的科室名称或代码"),
        Column("password", "初始密码", ("密码",),
               note="可不填：不填时生成随机密码，导入后显示一次"),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class UserRow:
    where: str
    """The row, for messages (“用户名单!A5”)."""
    cells: dict[str, str]
    """Column key → the cell of that column in this row (“用户名单!C5”)."""
    username: str
    full_name: str
    role: str
    department: str
    office: str
    password: str


def read_user_list(path: Path, limits: Limits | None = None) -> list[UserRow]:
    """The rows of the first sheet holding a user list; InputRejected with every problem."""
    workbook = read_workbook(path, limits)
    for sheet in workbook.sheets:
        header = find_header(sheet, USERS, minimum=3)
        if header is None:
            continue
        table = read_table(sheet, USERS, header)
        assert table is not None
        problems = list(table.problems)
        missing = [c.label for c in USERS.columns if c.required and not table.has(c.key)]
        if missing:
            problems.append(Problem(sheet.name, f"用户名单缺少列：{'、'.join(missing)}"))
        if problems:
            raise InputRejected(problems)
        if not table.rows:
            raise InputRejected([Problem(sheet.name, "用户名单没有数据行")])
        return [
            UserRow(
                where=table.row_where(row),
                cells={c.key: table.where(row, c.key) for c in USERS.columns if table.has(c.key)},
                **{c.key: str(row.values.get(c.key) or "").strip() for c in USERS.columns},
            )
            for row in table.rows
        ]
    raise InputRejected(
        [Problem(workbook.name, "未找到用户名单：表头应有“用户名”“姓名”“角色”等列（可下载模板）")]
    )


def write_user_list_template(path: Path) -> Path:
    """An empty user list with its header, and a 说明 sheet saying what each column takes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "用户名单"
    sheet.append([c.label for c in USERS.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in "ABCDEF":
        sheet.column_dimensions[letter].width = 18
        sheet.column_dimensions[letter].number_format = "@"
    notes = book.create_sheet("说明")
    notes.append(["列", "填写要求"])
    for column in USERS.columns:
        notes.append([column.label, column.note])
    notes.column_dimensions["B"].width = 80
    book.save(path)
    return path

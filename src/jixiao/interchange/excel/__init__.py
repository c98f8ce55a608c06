"""Excel in and out: reading real-world sheets, templates, import and export.

The reading layer (no database; use it for any table):

- ``limits``    — file size, rows, zip-bomb checks, all before parsing (``Limits``,
  ``check_file``).
- ``workbook``  — ``read_workbook(path) -> Workbook`` of ``Sheet(name, rows)`` with raw cell
  values (.xlsx/.xls/.ods via python-calamine, CSV in UTF-8 or GBK), merged cells filled;
  ``cell_ref(row, col) -> "A1"``.
- ``cells``     — one raw value → a typed value (text, code, exact amount in 元, percent
  by declared meaning, date, integer, 是/否, vocabularies), or ``CellError``.
- ``headers``   — ``TableSpec``/``Column``; ``find_header`` (header row found by its text,
  units declared in the sheet or the header), ``read_table`` (typed rows, blank /
  subtotal / note rows skipped, every bad cell a ``Problem("sheet!A1", …)``),
  ``find_labelled`` (label → value blocks of forms).

- ``locate``    — one locate step for every kind: each sheet → ``Located`` (the layout
  picked by its title and header, the header found); forms first, then the budget and
  ledger tables.

On top of it, for 预算与执行 and 支出明细:

- ``layouts``   — the tables by name (their layouts are data: ``rules/layouts/budget.yaml``
  …), shared by templates, import and export.
- ``writer``    — the template layout (protected headers, dropdowns, number formats,
  formula-safe text), write-only openpyxl.
- ``templates`` — ``write_template(kind, path, meta=None)`` (``meta``: department and year).
- ``planning``  — sheet rows + stored year → changes and problems (pure).
- ``importing`` — ``tables_of`` / ``locate_tables``, department and year (``identity``) and
  ``ImportResult`` (``totals``: each sheet's data rows and the 合计 of its amount
  columns); ``services.excel_import.import_workbook`` stores, all or nothing.
- ``exporting`` — ``write_workbook(dataset, kind, path, ledger_totals, payments)``
  (``services.excel_export.export_workbook`` reads the stored year).

For the performance forms (项目支出绩效目标申报表, 项目支出绩效自评表, 部门整体支出绩效自评表,
绩效目标执行监控表):

- ``layout_files`` — layouts as data (``rules/layouts/*.yaml``, ``--layouts``,
  ``JIXIAO_LAYOUTS``) → ``FormLayout``: identifying words, columns, tables, totals; the
  budget and ledger tables too.
- ``form_vocabulary`` — the forms' vocabularies and cell readers; ``FormKind``.
- ``form_layouts`` — the MoF forms' tables; ``classify`` (``locate.locate_form``).
- ``form_sheets``  — ``read_forms(workbook, layouts)``: each form read, with its problems
  and the layout it was read by (pure).
- ``form_goals``   — rows → indicators and claimed figures (shared by import and review).
- ``form_planning`` — forms + stored year → ``planning.Plan`` (changes, problems).
- ``form_import``  — the checks of a form import that need no storage
  (``services.excel_form_import.import_forms`` stores, all or nothing).
- ``form_templates`` / ``form_exports`` — blank templates; exports that import back
  (``services.excel_export.export_form_workbook`` reads the stored year).
- ``review``       — ``review_workbook(path, rules=None) -> ReviewResult``, no database;
  ``attainment_review`` for a target-vs-actual table without weights.

Problems are ``jixiao.interchange.problems.Problem(where="sheet!C7", message=…)`` and a
refused input raises ``InputRejected`` carrying all of them.
"""

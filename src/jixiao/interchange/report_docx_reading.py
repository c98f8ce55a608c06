"""Word in: the paragraphs of an uploaded report (.docx, as Word or WPS saves it).

Only the body's paragraphs are read, in order, as plain text; tables (the 附表), styles,
headers and everything else of the document are ignored. The file is refused when it is
larger than the import limit or is not a Word document.
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import OpcError

from jixiao.interchange.excel.limits import Limits, size_text


class ReportFileError(ValueError):
    """The upload is not a readable Word file; the message says why, in Chinese."""


def report_paragraphs(raw: bytes, limits: Limits | None = None) -> list[str]:
    limits = limits or Limits.from_env()
    if len(raw) > limits.max_bytes:
        raise ReportFileError(
            f"文件大小为{size_text(len(raw))}，超过上传限制{size_text(limits.max_bytes)}。"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except zipfile.BadZipFile as error:
        raise ReportFileError(
            "不是有效的 Word（.docx）文件，请用 Word 或 WPS 另存为 .docx 后上传。"
        ) from error
    if unpacked > limits.max_uncompressed:
        raise ReportFileError(
            f"文件解压后为{size_text(unpacked)}，超过限制{size_text(limits.max_uncompressed)}。"
        )
    try:
        document = Document(io.BytesIO(raw))
    except (OpcError, KeyError, ValueError) as error:
        raise ReportFileError(
            "不是有效的 Word（.docx）文件，请用 Word 或 WPS 另存为 .docx 后上传。"
        ) from error
    return [paragraph.text for paragraph in document.paragraphs]

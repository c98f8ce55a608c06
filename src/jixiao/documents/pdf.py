"""Convert a Word report to PDF with LibreOffice (headless), fonts embedded.

Each conversion runs ``soffice`` with its own temporary profile, so that it neither
waits for nor disturbs a LibreOffice the user has open, and with a time limit. The
profile carries a font replacement table (Tools › Options › Fonts): the official fonts
the documents name (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体) are printed in
free faces of the same kind where they are not installed — without it LibreOffice
prints title, body and headings in one sans-serif face.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from jixiao.errors import UserFacingError

TIMEOUT_SECONDS = 180

SERIF = "Noto Serif CJK SC"  # a 宋 face: body (仿宋) and title (小标宋)
SANS = "Noto Sans CJK SC"  # 黑体
KAI = "AR PL UKai CN"  # 楷体
LATIN_SERIF = ("Liberation Serif", "Tinos", "Nimbus Roman", "DejaVu Serif Condensed")
"""Faces for Times New Roman, the first installed: the first three have its widths;
LibreOffice's own choice on a bare system, DejaVu Serif, sets digits so wide that
amounts wrap in table cells."""
FONT_REPLACEMENTS: dict[str, tuple[str, ...]] = {
    "方正小标宋简体": (SERIF,),
    "方正小标宋_GBK": (SERIF,),
    "仿宋_GB2312": (SERIF,),
    "仿宋": (SERIF,),
    "宋体": (SERIF,),
    "SimSun": (SERIF,),  # 宋体 as the workbooks name it
    "黑体": (SANS,),
    "楷体_GB2312": (KAI,),
    "楷体": (KAI,),
    "Times New Roman": LATIN_SERIF,
}
"""Official font → free faces, of which the first installed is used (Debian:
fonts-noto-cjk, fonts-arphic-ukai). A font that is installed is used as it is: the
replacement applies only where it is missing."""

NO_LIBREOFFICE = (
    "未找到 LibreOffice（soffice），无法生成 PDF。"
    "请安装 LibreOffice（Debian：libreoffice-writer-nogui）后重试；Word 文件已照常生成。"
)


class PdfError(UserFacingError):
    """The PDF could not be made; the message says why, in Chinese."""


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def available() -> bool:
    return soffice() is not None


def _installed_families() -> set[str]:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return set()
    try:
        listed = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=30, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {name.strip() for line in listed.splitlines() for name in line.split(",")}


def _replacement_table(installed: set[str]) -> str:
    """registrymodifications.xcu turning the font replacement table on, with one pair
    per official font that is not installed."""
    items = [
        '<item oor:path="/org.openoffice.Office.Common/Font/Substitution">'
        '<prop oor:name="Replacement" oor:op="fuse"><value>true</value></prop></item>'
    ]
    pairs = [
        (official, next((f for f in free if f in installed), free[0]))
        for official, free in FONT_REPLACEMENTS.items()
        if official not in installed
    ]
    for index, (official, free) in enumerate(pairs):
        items.append(
            '<item oor:path="/org.openoffice.Office.Common/Font/Substitution/FontPairs">'
            f'<node oor:name="_{index}" oor:op="replace">'
            '<prop oor:name="Always" oor:op="fuse"><value>true</value></prop>'
            '<prop oor:name="OnScreenOnly" oor:op="fuse"><value>false</value></prop>'
            f'<prop oor:name="ReplaceFont" oor:op="fuse"><value>{escape(official)}</value></prop>'
            f'<prop oor:name="SubstituteFont" oor:op="fuse"><value>{escape(free)}</value></prop>'
            "</node></item>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        + "\n".join(items)
        + "\n</oor:items>\n"
    )


def write_profile(folder: Path) -> Path:
    """A LibreOffice user profile in ``folder`` with the font replacement table."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(
        _replacement_table(_installed_families()), encoding="utf-8"
    )
    return folder


def convert_to_pdf(
    docx: Path, out_dir: Path | None = None, timeout: float = TIMEOUT_SECONDS
) -> Path:
    """Convert ``docx`` to ``out_dir/<same name>.pdf`` (default: beside it); return the PDF.

    Raises :class:`PdfError` when LibreOffice is missing, fails, or takes longer than
    ``timeout`` seconds.
    """
    docx = Path(docx)
    out_dir = Path(out_dir) if out_dir is not None else docx.parent
    program = soffice()
    if program is None:
        raise PdfError(NO_LIBREOFFICE)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{docx.stem}.pdf"
    with tempfile.TemporaryDirectory(prefix="jixiao-lo-") as tmp:
        profile = write_profile(Path(tmp) / "profile")
        command = [
            program,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(out_dir),
            str(docx),
        ]
        try:
            finished = subprocess.run(
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired as error:
            raise PdfError(
                f"LibreOffice 转换“{docx.name}”超过 {timeout:.0f} 秒仍未完成，已停止。"
            ) from error
        except OSError as error:
            raise PdfError(f"无法运行 LibreOffice（{error}），未生成 PDF。") from error
    if finished.returncode != 0 or not target.is_file():
        detail = (finished.stderr or finished.stdout or "").strip().splitlines()
        reason = f"：{detail[-1]}" if detail else ""
        raise PdfError(
            f"LibreOffice 未能把“{docx.name}”转换为 PDF（退出码 {finished.returncode}）{reason}"
        )
    return target

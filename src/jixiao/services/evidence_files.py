"""佐证材料 on disk: an uploaded file kept under the media root by a name the server makes
(a random hex name, the lower-case suffix only), refused when its kind is not one of
``EVIDENCE_SUFFIXES`` or it is larger than ``settings.EVIDENCE_MAX_BYTES``; read back only
from under the media root. The 抽查's evidence and the 整改通知's feedback share it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

EVIDENCE_SUFFIXES = frozenset(
    {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".ofd"}
)
"""Kinds of file accepted as evidence; the stored name keeps only the (lower-case) suffix."""


class EvidenceRefused(ValueError):
    """A file not accepted as evidence (its kind, its size) or not where it should be."""


def evidence_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def check_upload(name: str, size: int) -> str:
    """The file's suffix, when its kind and size are accepted; EvidenceRefused otherwise."""
    suffix = Path(name).suffix.lower()
    if suffix not in EVIDENCE_SUFFIXES:
        kinds = "、".join(sorted(EVIDENCE_SUFFIXES))
        raise EvidenceRefused(f"佐证材料“{name}”的文件类型不受支持（可上传 {kinds}）。")
    limit = settings.EVIDENCE_MAX_BYTES
    if size > limit:
        raise EvidenceRefused(f"佐证材料“{name}”超过 {limit // (1024 * 1024)} MB 的上限。")
    return suffix


def save_upload(folder: str, name: str, size: int, chunks: Iterable[bytes]) -> str:
    """Write an accepted upload under ``folder`` of the media root; its stored name."""
    suffix = check_upload(name, size)
    stored = f"{folder}/{uuid.uuid4().hex}{suffix}"
    path = evidence_root() / stored
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as file:
        for chunk in chunks:
            file.write(chunk)
    return stored


def discard(stored: str) -> None:
    """Remove a stored upload whose record could not be saved."""
    (evidence_root() / stored).unlink(missing_ok=True)


def stored_path(stored: str) -> Path:
    """The stored file, which must lie under the media root."""
    root = evidence_root()
    path = (root / stored).resolve()
    if not path.is_relative_to(root):
        raise EvidenceRefused("佐证材料的存储位置无效。")
    return path


def shown_name(name: str) -> str:
    """The uploader's file name without any folder, as kept for the download."""
    return Path(name).name[:255]

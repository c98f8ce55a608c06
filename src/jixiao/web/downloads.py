"""Downloads under a Chinese file name, with an ASCII one for clients that cannot read it.

``Content-Disposition: attachment; filename="2023-liwan-ghzy-audit.xlsx";
filename*=UTF-8''2023%E5%B9%B4…`` (RFC 6266): browsers save the file under the UTF-8
name; an old client falls back to the plain one. Django alone writes only one of the two.
"""

from __future__ import annotations

import re
from typing import IO, TypeVar
from urllib.parse import quote

from django.http import FileResponse
from django.http.response import HttpResponseBase

Response = TypeVar("Response", bound=HttpResponseBase)

_NOT_ASCII_SAFE = re.compile(r"[^A-Za-z0-9._()+-]+")


def ascii_name(name: str) -> str:
    """``name`` with everything but plain ASCII letters, digits and ``._()+-`` made "-"."""
    return _NOT_ASCII_SAFE.sub("-", name).strip("-") or "download"


def content_disposition(name: str, fallback: str) -> str:
    """The header value naming the file ``name``, with ``fallback`` for old clients."""
    return f"attachment; filename=\"{ascii_name(fallback)}\"; filename*=UTF-8''{quote(name)}"


def attach(response: Response, name: str, fallback: str) -> Response:
    response["Content-Disposition"] = content_disposition(name, fallback)
    return response


def file_download(
    content: IO[bytes], name: str, fallback: str, content_type: str | None = None
) -> FileResponse:
    """The open file ``content`` as a download saved as ``name`` (``fallback`` in ASCII);
    without ``content_type``, the type follows the name's suffix."""
    response = FileResponse(
        content, as_attachment=True, filename=ascii_name(fallback), content_type=content_type
    )
    return attach(response, name, fallback)

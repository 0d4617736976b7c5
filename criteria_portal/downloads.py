"""The one way the portal answers with a file to download (exports, templates, evidence, scanned decisions).

Every file the portal hands out is scoped data: never kept by a shared proxy or in the browser's cache
(`Cache-Control: private, no-store`), never sniffed into something else by the browser (`nosniff`), always an
attachment. A Vietnamese name ("Biên bản họp.pdf") travels as RFC 5987's `filename*` (UTF-8) beside an ASCII
`filename` for the clients that do not read it ("Bien ban hop.pdf").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

# Characters an ASCII filename="…" keeps; anything else (quotes, backslashes, control characters, other
# scripts) becomes "_" so that the header stays one well-formed quoted string.
_UNSAFE = re.compile(r'[^A-Za-z0-9 ._()\[\]+,;=@#&!~-]')


def ascii_filename(filename: str) -> str:
    """"Báo cáo Đắk Lắk.xlsx" → "Bao cao Dak Lak.xlsx": the accents dropped, đ/Đ as d/D, the rest replaced."""
    text = filename.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _UNSAFE.sub("_", text).strip() or "download"


def content_disposition(filename: str) -> str:
    fallback = ascii_filename(filename)
    if fallback == filename:
        return f'attachment; filename="{filename}"'
    return f"attachment; filename=\"{fallback}\"; filename*=utf-8''{quote(filename, safe='')}"


def download(content: bytes | str | Iterable[bytes], *, filename: str, content_type: str) -> HttpResponseBase:
    """A file response: `content` is the bytes (or text), an open file (streamed in blocks by FileResponse), or an
    iterator of pieces (streamed)."""
    if isinstance(content, bytes | str):
        response = HttpResponse(content, content_type=content_type)
    elif hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response

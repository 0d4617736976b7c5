"""Uploaded files (evidence, scanned decisions): checked by size, name and content."""

from __future__ import annotations

import os
import zipfile

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .common import DomainError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Extension → content type it must have. The content decides, the name must agree.
ALLOWED_UPLOADS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG, ".docx": DOCX, ".xlsx": XLSX}
# The part an Office Open XML package of each kind must contain.
OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}


def _sniff(upload) -> str | None:
    """The content type the file's bytes say it is (None if not one we accept)."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            for content_type, part in OOXML_MAIN_PART.items():
                if part in names:
                    return content_type
    return None


def upload_check(upload) -> tuple[str, str]:
    """Check an uploaded file by size, name and content; return (clean original name, content type)."""
    name = os.path.basename((getattr(upload, "name", "") or "").replace("\\", "/")).strip()[:255]
    if not name or not upload.size:
        raise DomainError(_("Tệp “%(name)s” trống hoặc không đọc được.") % {"name": name or "?"})
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            _("Tệp “%(name)s” quá lớn (%(size)s MB); tối đa %(limit)s MB.")
            # Vietnamese figures: "10,5 MB" (the active language's separators), never "10.5 MB".
            % {"name": name, "size": number_format(upload.size / 1048576, 1),
               "limit": number_format(round(limit / 1048576, 1), 0 if limit % 1048576 == 0 else 1)}
        )
    expected = ALLOWED_UPLOADS.get(os.path.splitext(name)[1].lower())
    actual = _sniff(upload)
    if expected is None or actual != expected:
        raise DomainError(
            _("Tệp “%(name)s” không hợp lệ: chỉ nhận PDF, JPG, PNG, DOCX, XLSX (kiểm tra cả nội dung tệp).")
            % {"name": name}
        )
    return name, actual

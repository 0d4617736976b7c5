"""An uploaded file waiting for its preview to be confirmed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingImport(models.Model):
    """An uploaded file, checked once on upload, kept between preview and confirm.

    Stored in the database (not on a disk of one app server) so any server can confirm it;
    the random id is only usable by the user who uploaded it; `sha256` is checked again at
    confirm time; `consumed_at` is set by the one confirm that wins (a double click imports once).
    What the check found is kept (`problems`, `problem_count`, `summary`) so that showing the preview
    again does not read the file again; a file with problems cannot be confirmed, so its bytes are
    not kept at all (`data` is empty).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người tải lên")
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=20)
    file_name = models.CharField(_("tên tệp"), max_length=255)
    data = models.BinaryField(_("nội dung tệp"), blank=True)
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64, blank=True)
    # The first IMPORT_MAX_PROBLEMS problems as [row, column, reason] (reason in the uploader's language).
    problems = models.JSONField(_("lỗi"), default=list, blank=True)
    problem_count = models.PositiveIntegerField(_("số lỗi"), default=0)
    # {"totals": {created, updated, unchanged}, "skipped_rows": n, "areas": [{"name", created, updated, unchanged}]}
    summary = models.JSONField(_("tóm tắt"), default=dict, blank=True)
    created_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    consumed_at = models.DateTimeField(_("ngày nhập"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp chờ nhập")
        verbose_name_plural = _("tệp chờ nhập")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name

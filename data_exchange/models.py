"""An uploaded file waiting for its preview to be confirmed."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PendingImport(models.Model):
    """An uploaded file, checked once after upload (a background job), kept between preview and confirm.

    Stored in the database (not on a disk of one app server) so any server and worker can read it;
    the random id is only usable by the user who uploaded it; `sha256` is checked again at
    confirm time; `consumed_at` is set by the one confirm that wins (a double click imports once).
    What the check found is kept (`problems`, `problem_count`, `summary`, `checked_at`) so that showing the
    preview again does not read the file again; a file with problems cannot be confirmed, and an imported
    one is not imported again, so their bytes are not kept (`data` is empty). `confirm_job` is the one job
    that imports the file: a second confirm is answered with it.
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
    checked_at = models.DateTimeField(_("ngày kiểm tra"), null=True, blank=True)
    # {"created", "updated", "unchanged"}: what the confirmed import wrote.
    imported = models.JSONField(_("kết quả nhập"), default=dict, blank=True)
    check_job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("tác vụ kiểm tra"))
    confirm_job = models.ForeignKey("jobs.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("tác vụ nhập"))

    class Meta:
        verbose_name = _("tệp chờ nhập")
        verbose_name_plural = _("tệp chờ nhập")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name

    @property
    def confirmable(self) -> bool:
        """Checked, without problems, not imported yet, its bytes kept."""
        return bool(self.checked_at and not self.problem_count and self.consumed_at is None and self.sha256)

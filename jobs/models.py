"""A background job a user started (an export, an import's check or confirm): its state, progress and result."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang xử lý")
    DONE = "done", _("Hoàn tất")
    FAILED = "failed", _("Không thành công")


class Kind(models.TextChoices):
    DATA_EXPORT = "data_export", _("Xuất dữ liệu")
    PROGRESS_XLSX = "progress_xlsx", _("Báo cáo tiến độ (Excel)")
    PROGRESS_DOCX = "progress_docx", _("Báo cáo Word")
    NATIONAL_XLSX = "national_xlsx", _("Bảng toàn quốc (Excel)")
    IMPORT_CHECK = "import_check", _("Kiểm tra tệp nhập")
    IMPORT_CONFIRM = "import_confirm", _("Nhập dữ liệu")


# The import's jobs: their result is a page of the portal (the preview, the imported counts), not a file,
# and what they must never leave half done is data in the database.
IMPORT_KINDS = frozenset({Kind.IMPORT_CHECK, Kind.IMPORT_CONFIRM})


def result_upload_to(job: "Job", filename: str) -> str:
    # One folder per job and attempt: a retry never meets the file of an earlier attempt.
    return f"jobs/{job.pk}/{job.attempts}/{filename}"


class Job(models.Model):
    """Written only by jobs/services.py; the worker's updates are conditional on (state, attempts), so a
    worker that lost its job (marked failed as dead, then retried) can no longer touch it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs",
                              verbose_name=_("người tạo"))
    kind = models.CharField(_("loại tác vụ"), max_length=32, choices=Kind.choices)
    title = models.CharField(_("tên tác vụ"), max_length=255)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    state = models.CharField(_("trạng thái"), max_length=16, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    total = models.PositiveIntegerField(_("tổng số"), default=0)
    # What the progress counts ("rows", "steps") and, once failed, the reason shown to the user.
    unit = models.CharField(_("đơn vị đếm"), max_length=16, default="rows")
    message = models.TextField(_("thông báo"), blank=True)
    result = models.FileField(_("tệp kết quả"), upload_to=result_upload_to, max_length=255, blank=True)
    result_name = models.CharField(_("tên tệp tải về"), max_length=255, blank=True)
    result_type = models.CharField(_("kiểu tệp"), max_length=128, blank=True)
    # A job whose result is a page (the import's preview) instead of a file: that page's address.
    result_page = models.CharField(_("trang kết quả"), max_length=255, blank=True)
    task_result_id = models.CharField(_("mã tác vụ trong hàng đợi"), max_length=64, blank=True)
    request_id = models.CharField(_("mã yêu cầu"), max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần chạy"), default=0)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    # The heartbeat: every progress update moves it; a running job whose heartbeat stopped is dead.
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tác vụ nền")
        verbose_name_plural = _("tác vụ nền")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_recent_idx"),
            models.Index(fields=["state", "updated_at"], name="job_state_heartbeat_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")) | models.Q(total=0),
                                   name="job_done_within_total"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_import(self) -> bool:
        return self.kind in IMPORT_KINDS

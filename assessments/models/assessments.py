"""Yearly assessments, their criterion results, evidence files and workflow steps."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .criteria import CriteriaSet, Criterion
from .programmes import MAX_YEAR, MIN_YEAR


class Status(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Bị trả lại")
    VERIFIED = "verified", _("Đã thẩm định")


class Result(models.TextChoices):
    MET = "met", _("Đạt")
    NOT_MET = "not_met", _("Chưa đạt")
    NOT_YET = "not_yet", _("Chưa đánh giá")


class AssessmentQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(status=Status.VERIFIED)


class Assessment(models.Model):
    unit = models.ForeignKey(
        "communes.Unit", on_delete=models.PROTECT, related_name="assessments", verbose_name=_("đơn vị")
    )
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("bộ tiêu chí")
    )
    year = models.PositiveIntegerField(_("năm"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every write bumps it; a form posted with an older value is stale.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    # Cached counts maintained by services (reports aggregate on them in SQL).
    self_met_count = models.PositiveSmallIntegerField(_("số tiêu chí tự đánh giá đạt"), default=0)
    verified_met_count = models.PositiveSmallIntegerField(
        _("số tiêu chí đạt sau thẩm định"), null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    verified_at = models.DateTimeField(_("ngày thẩm định"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người thẩm định"),
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # When a reviewer first opened the review page of the current submission: until then the officer
    # may take the submission back (recall).
    review_opened_at = models.DateTimeField(_("cấp trên mở xem lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("lịch sử đánh giá"))

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-year", "unit__code"]
        indexes = [models.Index(fields=["year", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set", "year"], name="assessment_unique_unit_set_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="assessment_year_range"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="verified") | models.Q(verified_met_count__isnull=False),
                name="assessment_verified_has_count",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status == Status.VERIFIED


class CriterionResult(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="results", verbose_name=_("đánh giá")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="results", verbose_name=_("tiêu chí")
    )
    self_result = models.CharField(
        _("kết quả tự đánh giá"), max_length=16, choices=Result.choices, default=Result.NOT_YET
    )
    verified_result = models.CharField(
        _("kết quả thẩm định"), max_length=16, choices=Result.choices, blank=True
    )
    note = models.TextField(_("ghi chú"), blank=True)
    reviewer_comment = models.TextField(_("nhận xét của cán bộ thẩm định"), blank=True)
    # Prefilled from last year's assessment: shown as "needs confirming" until the officer saves it.
    # db_default too: the bulk import inserts results in plain SQL without naming this column.
    from_previous_year = models.BooleanField(_("lấy từ năm trước, chưa xác nhận"), default=False, db_default=False)
    history = HistoricalRecords(verbose_name=_("lịch sử kết quả"))

    class Meta:
        verbose_name = _("kết quả tiêu chí")
        verbose_name_plural = _("kết quả tiêu chí")
        ordering = ["assessment", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="result_unique_criterion"),
        ]

    def __str__(self):
        return f"{self.assessment} – {self.criterion.number}"


def evidence_upload_to(instance, filename):
    # Private, unguessable names; the original name is kept in the row only.
    return f"evidence/{instance.result.assessment.year}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    result = models.ForeignKey(
        CriterionResult, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("kết quả tiêu chí")
    )
    file = models.FileField(_("tệp"), upload_to=evidence_upload_to, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("người tải lên")
    )
    uploaded_at = models.DateTimeField(_("ngày tải lên"), auto_now_add=True)
    # Adding and removing a file are part of the assessment's timeline.
    history = HistoricalRecords(verbose_name=_("lịch sử minh chứng"), excluded_fields=["file"])

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name


class Transition(models.Model):
    """One workflow step of an assessment: who, when, from → to, and why."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("đánh giá")
    )
    from_status = models.CharField(_("từ trạng thái"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=16, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người thực hiện"),
    )
    at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("các bước xử lý")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.assessment}: {self.from_status} → {self.to_status}"

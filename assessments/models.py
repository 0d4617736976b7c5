"""Programmes, criteria sets, yearly assessments, pilot registrations, recognitions and targets.

Models are thin: rules that span rows live in services.py, reads in selectors.py.
"""

import datetime
import re
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

MIN_YEAR = 2015
MAX_YEAR = 2100


DAY_MONTH = re.compile(r"^(\d{2})-(\d{2})$")


def validate_month_day(value: str) -> None:
    """A day of the year written MM-DD (e.g. 11-30 for 30/11)."""
    match = DAY_MONTH.match(value or "")
    try:
        if not match:
            raise ValueError
        datetime.date(2024, int(match.group(1)), int(match.group(2)))  # a leap year accepts 02-29
    except ValueError:
        raise ValidationError(_("Ngày “%(value)s” không hợp lệ: viết theo dạng MM-DD, ví dụ 11-30."),
                              params={"value": value}) from None


def month_day_in(value: str, year: int) -> datetime.date:
    month, day = int(value[:2]), int(value[3:])
    if (month, day) == (2, 29) and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28
    return datetime.date(year, month, day)


class Programme(models.Model):
    """A campaign as the data describe it (DESIGN §7): resolution, territory, unit kinds, years, calendar.

    Its *frame* is the units of its kinds in its territory in force on the resolution date.
    """

    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    # Unit kinds (communes.UnitKind values) the programme applies to.
    unit_kinds = models.JSONField(_("loại đơn vị áp dụng"), default=list)
    resolution_number = models.CharField(_("số nghị quyết"), max_length=100, blank=True)
    resolution_date = models.DateField(_("ngày ban hành nghị quyết"), null=True, blank=True)
    resolution_issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    resolution_text = models.TextField(_("trích yếu nghị quyết"), blank=True)
    territory_province = models.ForeignKey(
        "communes.Province", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("địa bàn: tỉnh"),
    )
    # Narrows the territory to one district (the ward pilot: the phường of one city).
    territory_district = models.ForeignKey(
        "communes.District", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("địa bàn: huyện"),
    )
    first_year = models.PositiveIntegerField(_("từ năm"), null=True, blank=True)
    last_year = models.PositiveIntegerField(_("đến năm"), null=True, blank=True)
    is_default = models.BooleanField(_("chương trình mặc định"), default=False)
    # The yearly calendar (MPS rules on the movement): window 16/11 of the year before → 15/11.
    window_start = models.CharField(
        _("đầu kỳ đánh giá (MM-DD, năm trước)"), max_length=5, default="11-16", validators=[validate_month_day]
    )
    window_end = models.CharField(
        _("cuối kỳ đánh giá (MM-DD)"), max_length=5, default="11-15", validators=[validate_month_day]
    )
    commune_deadline = models.CharField(
        _("hạn nộp của cấp xã (MM-DD)"), max_length=5, default="11-30", validators=[validate_month_day]
    )
    district_deadline = models.CharField(
        _("hạn thẩm định của cấp huyện (MM-DD)"), max_length=5, default="12-15", validators=[validate_month_day]
    )
    history = HistoricalRecords(verbose_name=_("lịch sử chương trình"))

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["-is_default", "code"]
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=models.Q(is_default=True),
                                    name="programme_one_default"),
        ]

    def __str__(self):
        return self.name

    # The yearly defaults. Pages, reports and reminders read `assessments.programmes.calendar_for`,
    # which applies a year's own calendar (ProgrammeYear) when the admin has entered one.
    def window_start_in(self, year: int) -> datetime.date:
        return month_day_in(self.window_start, year - 1)

    def window_end_in(self, year: int) -> datetime.date:
        return month_day_in(self.window_end, year)

    def commune_deadline_in(self, year: int) -> datetime.date:
        return month_day_in(self.commune_deadline, year)

    def district_deadline_in(self, year: int) -> datetime.date:
        return month_day_in(self.district_deadline, year)

    def covers_year(self, year: int) -> bool:
        return (self.first_year is None or self.first_year <= year) and (self.last_year is None or year <= self.last_year)


class ProgrammeYear(models.Model):
    """The calendar of one programme for one year, when it differs from the programme's MM-DD defaults.

    Read it through `assessments.programmes.calendar_for`, never directly: without a row the
    defaults apply (window 16/11 of the year before → 15/11, commune reports by 30/11, district by 15/12).
    """

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="years", verbose_name=_("chương trình")
    )
    year = models.PositiveIntegerField(_("năm"))
    window_start = models.DateField(_("đầu kỳ đánh giá"))
    window_end = models.DateField(_("cuối kỳ đánh giá"))
    commune_deadline = models.DateField(_("hạn nộp của cấp xã"))
    district_deadline = models.DateField(_("hạn thẩm định của cấp huyện"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True,
                            help_text=_("Ví dụ: văn bản gia hạn."))
    history = HistoricalRecords(verbose_name=_("lịch sử lịch năm"))

    class Meta:
        verbose_name = _("lịch của năm")
        verbose_name_plural = _("lịch của từng năm")
        ordering = ["programme", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="programmeyear_unique_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="programmeyear_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(window_start__lte=models.F("window_end")), name="programmeyear_window_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(commune_deadline__lte=models.F("district_deadline")),
                name="programmeyear_deadlines_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.programme} – {self.year}"

    def clean(self):
        errors = {}
        if self.window_start and self.window_end and self.window_start > self.window_end:
            errors["window_end"] = _("Cuối kỳ đánh giá phải sau đầu kỳ.")
        if self.commune_deadline and self.district_deadline and self.commune_deadline > self.district_deadline:
            errors["district_deadline"] = _("Hạn thẩm định của cấp huyện không thể trước hạn nộp của cấp xã.")
        if errors:
            raise ValidationError(errors)


class CriteriaSetQuerySet(models.QuerySet):
    def in_force(self, year: int):
        """Published sets whose years include `year` (a draft copy is never in force)."""
        return self.filter(published=True, valid_from_year__lte=year).filter(
            models.Q(valid_to_year__isnull=True) | models.Q(valid_to_year__gte=year)
        )


class CriteriaSet(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="criteria_sets", verbose_name=_("chương trình")
    )
    name = models.CharField(_("tên bộ tiêu chí"), max_length=255)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    valid_from_year = models.PositiveIntegerField(_("áp dụng từ năm"))
    valid_to_year = models.PositiveIntegerField(_("áp dụng đến năm"), null=True, blank=True)
    source_document = models.CharField(_("văn bản ban hành"), max_length=500, blank=True)
    # None means "all criteria of the set must be met".
    recognition_threshold = models.PositiveIntegerField(
        _("số tiêu chí cần đạt để công nhận"), null=True, blank=True,
        help_text=_("Để trống nghĩa là phải đạt tất cả tiêu chí."),
    )
    # A copy ("Sao chép thành phiên bản mới") is a draft until an administrator publishes it with its years.
    published = models.BooleanField(_("đã công bố"), default=True)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("lịch sử bộ tiêu chí"))

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = _("bộ tiêu chí")
        verbose_name_plural = _("bộ tiêu chí")
        ordering = ["programme", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "version"], name="criteriaset_unique_version"),
            # One published set starts in a given year for a programme (overlaps are refused on publishing).
            models.UniqueConstraint(fields=["programme", "valid_from_year"], condition=models.Q(published=True),
                                    name="criteriaset_one_published_start"),
            models.CheckConstraint(
                condition=models.Q(valid_from_year__gte=MIN_YEAR, valid_from_year__lte=MAX_YEAR),
                name="criteriaset_from_year_range",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to_year__isnull=True) | models.Q(valid_to_year__gte=models.F("valid_from_year")),
                name="criteriaset_years_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class Criterion(models.Model):
    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("bộ tiêu chí")
    )
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("tên tiêu chí"), max_length=255)
    wording = models.TextField(_("nội dung"))
    evidence_guidance = models.TextField(_("hướng dẫn minh chứng"), blank=True)
    history = HistoricalRecords(verbose_name=_("lịch sử tiêu chí"))

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "number"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "number"], name="criterion_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="criterion_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


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
    reviewer_comment = models.TextField(_("nhận xét của cấp huyện"), blank=True)
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


class Registration(models.Model):
    """A unit registered as a pilot (đăng ký xây dựng điểm) of a programme for a year."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="registrations", verbose_name=_("chương trình")
    )
    unit = models.ForeignKey(
        "communes.Unit", on_delete=models.PROTECT, related_name="registrations", verbose_name=_("đơn vị")
    )
    year = models.PositiveIntegerField(_("năm"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    created_at = models.DateTimeField(_("ngày ghi nhận"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("lịch sử đăng ký"))

    class Meta:
        verbose_name = _("đăng ký xây dựng điểm")
        verbose_name_plural = _("đăng ký xây dựng điểm")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit", "year"], name="registration_unique_unit_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=MIN_YEAR, year__lte=MAX_YEAR), name="registration_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.year}"


class Level(models.IntegerChoices):
    COMMUNE = 1, _("Cấp xã")
    DISTRICT = 2, _("Cấp huyện")
    PROVINCE = 3, _("Cấp tỉnh")


LEVEL_KEYS = {Level.COMMUNE: "commune", Level.DISTRICT: "district", Level.PROVINCE: "province"}


def decision_upload_to(instance, filename):
    return f"decisions/{instance.decision_date:%Y}/{uuid.uuid4().hex}"


class RecognitionQuerySet(models.QuerySet):
    def held_on(self, day):
        """Recognitions in force on `day`: decided on or before it and not revoked by then."""
        return self.filter(decision_date__lte=day).filter(
            models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gt=day)
        )


class Recognition(models.Model):
    # A model commune is not a model ward: a recognition belongs to one programme.
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("chương trình")
    )
    unit = models.ForeignKey(
        "communes.Unit", on_delete=models.PROTECT, related_name="recognitions", verbose_name=_("đơn vị")
    )
    level = models.PositiveSmallIntegerField(_("cấp công nhận"), choices=Level.choices)
    decision_number = models.CharField(_("số quyết định"), max_length=100)
    decision_date = models.DateField(_("ngày ký"))
    issued_by = models.CharField(_("cơ quan ban hành"), max_length=255)
    scan = models.FileField(_("bản quét quyết định"), upload_to=decision_upload_to, max_length=255, blank=True)
    scan_name = models.CharField(_("tên tệp quyết định"), max_length=255, blank=True)
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)
    # Set when an administrator records a historical decision that breaks a §3 rule.
    rule_warning = models.TextField(_("cảnh báo quy tắc"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("người ghi nhận"),
    )
    created_at = models.DateTimeField(_("ngày ghi nhận"), auto_now_add=True)
    history = HistoricalRecords(verbose_name=_("lịch sử công nhận"))

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("quyết định công nhận")
        verbose_name_plural = _("quyết định công nhận")
        ordering = ["-decision_date", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "unit", "level", "decision_number"], name="recognition_unique_decision"
            ),
            models.CheckConstraint(
                condition=models.Q(revoked_on__isnull=True) | models.Q(revoked_on__gte=models.F("decision_date")),
                name="recognition_revoked_after_decision",
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.get_level_display()} – {self.decision_number}"


class TargetKind(models.TextChoices):
    PILOT_RECOGNIZED = "pilot_recognized", _("Đơn vị đăng ký xây dựng điểm được công nhận")
    RECOGNIZED = "recognized", _("Số đơn vị được công nhận")
    BAND = "band", _("Số đơn vị đạt nhóm tiêu chí")
    PER_DISTRICT = "per_district", _("Mỗi huyện có đơn vị được công nhận")


class Band(models.TextChoices):
    RECOGNIZED = "recognized", _("Đã được công nhận")
    B13 = "13+", _("Đạt 13 tiêu chí trở lên")
    B10 = "10-12", _("Đạt 10–12 tiêu chí")
    B9 = "9", _("Đạt 9 tiêu chí")
    B0 = "0-8", _("Đạt 0–8 tiêu chí")
    NOT_ASSESSED = "not_assessed", _("Chưa có đánh giá")


class Target(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="targets", verbose_name=_("chương trình")
    )
    resolution = models.CharField(_("nghị quyết"), max_length=100)
    key = models.SlugField(_("mã mục tiêu"), max_length=64)
    deadline = models.DateField(_("thời hạn"))
    kind = models.CharField(_("loại mục tiêu"), max_length=32, choices=TargetKind.choices)
    level = models.PositiveSmallIntegerField(_("cấp công nhận"), choices=Level.choices, null=True, blank=True)
    band = models.CharField(_("nhóm kết quả"), max_length=16, choices=Band.choices, blank=True)
    number = models.PositiveIntegerField(_("chỉ tiêu"))
    text = models.TextField(_("nội dung (nguyên văn)"))
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords(verbose_name=_("lịch sử mục tiêu"))

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["deadline", "sort_order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="target_unique_key"),
            models.CheckConstraint(
                condition=~models.Q(kind="band") | ~models.Q(band=""), name="target_band_kind_has_band"
            ),
        ]

    def __str__(self):
        return f"{self.resolution} – {self.key}"

"""Programmes as data and their yearly calendars (DESIGN §7)."""

import datetime
import re

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
        _("đầu kỳ đánh giá (ngày, tháng của năm trước)"), max_length=5, default="11-16", validators=[validate_month_day]
    )
    window_end = models.CharField(
        _("cuối kỳ đánh giá (ngày, tháng)"), max_length=5, default="11-15", validators=[validate_month_day]
    )
    commune_deadline = models.CharField(
        _("hạn nộp của cấp xã (ngày, tháng)"), max_length=5, default="11-30", validators=[validate_month_day]
    )
    district_deadline = models.CharField(
        _("hạn thẩm định (ngày, tháng)"), max_length=5, default="12-15", validators=[validate_month_day]
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
    district_deadline = models.DateField(_("hạn thẩm định"))
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
            errors["district_deadline"] = _("Hạn thẩm định không thể trước hạn nộp của cấp xã.")
        if errors:
            raise ValidationError(errors)

"""Criteria sets and their criteria; a set in use is never edited destructively."""


from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .programmes import MAX_YEAR, MIN_YEAR, Programme


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

"""Pilot registrations and recognition decisions; both belong to a programme."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .programmes import MAX_YEAR, MIN_YEAR, Programme


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

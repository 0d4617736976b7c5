"""Administrative units over time (DESIGN §3, §7): Province, District and Unit, each with a life.

GSO reuses codes (after 1/7/2025 Xã Pà Cò carries 05212, the code of the old Xã Hang Kia), so a
unit is identified by its code *as of a date*: `Unit.objects.in_force(day).filter(code=...)`.
Lineage (which units went into which) is recorded by UnitSuccession; a province merged whole
into another names it as its successor.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def in_force_q(day: datetime.date, prefix: str = "") -> Q:
    """Rows whose validity interval contains `day` (null bounds are open)."""
    return (Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": day})) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class InForceQuerySet(models.QuerySet):
    def in_force(self, day: datetime.date):
        return self.filter(in_force_q(day))


class Lifespan(models.Model):
    # null valid_from: before our records; null valid_to: still in force.
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True)

    class Meta:
        abstract = True

    def in_force_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class Province(Lifespan):
    code = models.PositiveIntegerField(_("mã GSO"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    codename = models.CharField(_("tên mã"), max_length=120, blank=True)
    # A province merged whole into another (1/7/2025: Hoà Bình → Phú Thọ).
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors",
        verbose_name=_("tỉnh kế thừa"),
    )

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tỉnh")
        verbose_name_plural = _("tỉnh")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~Q(successor=models.F("id")), name="province_successor_not_self"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="province_valid_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class DistrictKind(models.TextChoices):
    HUYEN = "huyen", _("Huyện")
    THANH_PHO = "thanh_pho", _("Thành phố")
    THI_XA = "thi_xa", _("Thị xã")
    QUAN = "quan", _("Quận")


class District(Lifespan):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("tỉnh"))
    code = models.PositiveIntegerField(_("mã GSO"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=DistrictKind.choices)
    codename = models.CharField(_("tên mã"), max_length=120, blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("huyện")
        verbose_name_plural = _("huyện")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="district_valid_ordered",
            ),
        ]

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")
    PHUONG = "phuong", _("Phường")
    DAC_KHU = "dac_khu", _("Đặc khu")


class Unit(Lifespan):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="units", verbose_name=_("tỉnh"))
    # Empty for units created after district-level government was abolished (1/7/2025).
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="units", verbose_name=_("huyện")
    )
    code = models.PositiveIntegerField(_("mã GSO"))
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    codename = models.CharField(_("tên mã"), max_length=120, blank=True)
    latitude = models.FloatField(_("vĩ độ"), null=True, blank=True)
    longitude = models.FloatField(_("kinh độ"), null=True, blank=True)

    objects = InForceQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị cấp xã")
        verbose_name_plural = _("đơn vị cấp xã")
        ordering = ["code", "valid_from"]
        indexes = [
            models.Index(fields=["district", "kind"]),
            models.Index(fields=["province", "kind"]),
            models.Index(fields=["code"]),
        ]
        constraints = [
            # A code names at most one unit in force today, and one unit per start date.
            models.UniqueConstraint(fields=["code"], condition=Q(valid_to__isnull=True), name="unit_code_unique_current"),
            models.UniqueConstraint(fields=["code", "valid_from"], name="unit_code_unique_from"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def code_text(self) -> str:
        return f"{self.code:05d}"


class UnitSuccession(models.Model):
    """A predecessor unit went, whole or in part, into a successor unit on `effective_on`."""

    predecessor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="predecessions", verbose_name=_("đơn vị kế thừa")
    )
    effective_on = models.DateField(_("ngày hiệu lực"))
    # False when the predecessor was divided and only a part of it went to this successor.
    whole = models.BooleanField(_("sáp nhập toàn bộ"), default=True)
    # Of a divided unit's successors, the one that carries its history and its frame place.
    primary = models.BooleanField(_("đơn vị kế thừa chính"), default=True)

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        ordering = ["effective_on", "predecessor__code", "successor__code"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique_pair"),
            models.UniqueConstraint(
                fields=["predecessor"], condition=Q(primary=True), name="succession_one_primary"
            ),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_self"),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.effective_on:%d/%m/%Y})"

"""Administrative units: Province → District → Unit (GSO codes, official names)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Province(models.Model):
    code = models.PositiveIntegerField(_("mã GSO"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    codename = models.CharField(_("tên mã"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("tỉnh")
        verbose_name_plural = _("tỉnh")
        ordering = ["code"]

    def __str__(self):
        return self.name


class DistrictKind(models.TextChoices):
    HUYEN = "huyen", _("Huyện")
    THANH_PHO = "thanh_pho", _("Thành phố")
    THI_XA = "thi_xa", _("Thị xã")
    QUAN = "quan", _("Quận")


class District(models.Model):
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("tỉnh"))
    code = models.PositiveIntegerField(_("mã GSO"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=DistrictKind.choices)
    codename = models.CharField(_("tên mã"), max_length=120, blank=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    class Meta:
        verbose_name = _("huyện")
        verbose_name_plural = _("huyện")
        ordering = ["code"]

    def __str__(self):
        return self.name


class UnitKind(models.TextChoices):
    XA = "xa", _("Xã")
    THI_TRAN = "thi_tran", _("Thị trấn")
    PHUONG = "phuong", _("Phường")


class UnitQuerySet(models.QuerySet):
    def existing_in(self, year: int):
        """Units that still existed during `year` (not dissolved before it began)."""
        return self.filter(models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__year__gte=year))


class Unit(models.Model):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="units", verbose_name=_("huyện"))
    code = models.PositiveIntegerField(_("mã GSO"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    codename = models.CharField(_("tên mã"), max_length=120, blank=True)
    active = models.BooleanField(_("đang hoạt động"), default=True)
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị cấp xã")
        verbose_name_plural = _("đơn vị cấp xã")
        ordering = ["district__code", "code"]
        indexes = [models.Index(fields=["district", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(successor=models.F("id")), name="unit_successor_not_self"
            ),
        ]

    def __str__(self):
        return self.name

"""The self-management model inventory (DESIGN §2): per unit and year, how many of each model type.

Model types are data ("Hòm thư Zalo 4.0", "Camera an ninh", …; admins add more). A count is
entered by the commune (status `self`) and confirmed by a reviewer (`verified`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ModelKind(models.TextChoices):
    COUNT = "count", _("Số lượng")
    YES_NO = "yes_no", _("Có/không (1 hoặc 0)")


class CountStatus(models.TextChoices):
    SELF = "self", _("Xã tự kê khai")
    VERIFIED = "verified", _("Đã xác nhận")


class ModelType(models.Model):
    code = models.SlugField(_("mã"), max_length=50, unique=True)
    name = models.CharField(_("tên mô hình"), max_length=255)
    unit_of_count = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    kind = models.CharField(_("cách đếm"), max_length=16, choices=ModelKind.choices, default=ModelKind.COUNT)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords(verbose_name=_("lịch sử loại mô hình"))

    class Meta:
        verbose_name = _("loại mô hình tự quản")
        verbose_name_plural = _("loại mô hình tự quản")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return self.name

    @property
    def max_count(self) -> int | None:
        return 1 if self.kind == ModelKind.YES_NO else None


class ModelCount(models.Model):
    unit = models.ForeignKey(
        "communes.Unit", on_delete=models.PROTECT, related_name="model_counts", verbose_name=_("đơn vị")
    )
    year = models.PositiveIntegerField(_("năm"))
    model_type = models.ForeignKey(
        ModelType, on_delete=models.PROTECT, related_name="counts", verbose_name=_("loại mô hình")
    )
    count = models.PositiveIntegerField(_("số lượng"))
    status = models.CharField(_("trạng thái"), max_length=16, choices=CountStatus.choices, default=CountStatus.SELF)
    # The unit's assessment of that year, when there is one (the page sits beside it).
    assessment = models.ForeignKey(
        "assessments.Assessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="model_counts",
        verbose_name=_("đánh giá"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người ghi"),
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người xác nhận"),
    )
    updated_at = models.DateTimeField(_("ngày cập nhật"), auto_now=True)
    history = HistoricalRecords(verbose_name=_("lịch sử số lượng mô hình"))

    class Meta:
        verbose_name = _("số lượng mô hình")
        verbose_name_plural = _("số lượng mô hình")
        ordering = ["year", "unit__code", "model_type__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "model_type"], name="model_count_unique"),
            models.CheckConstraint(condition=Q(count__gte=0), name="model_count_not_negative"),
        ]
        indexes = [models.Index(fields=["year", "model_type"])]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.model_type} = {self.count}"

"""A programme's targets and the result bands they are read in (DESIGN §2)."""


from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .decisions import Level
from .programmes import Programme


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

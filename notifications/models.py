"""What the portal tells a user (returned, verified, reminders) and which reminders went out when."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    RETURNED = "returned", _("Đánh giá bị trả lại")
    VERIFIED = "verified", _("Đánh giá đã được thẩm định")
    REMINDER = "reminder", _("Nhắc hạn")


class Notification(models.Model):
    """One message in a user's list in the portal; unread until the user opens the list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
        verbose_name=_("người nhận"),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    # A path inside the portal (never an outside address).
    link = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_unread")]

    def __str__(self):
        return self.text[:80]


class ReminderLog(models.Model):
    """A reminder rule that went to a user on a day. The unique constraint is what makes
    `send_reminders` send at most once per user, rule and day, even when two runs overlap."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("người nhận"),
    )
    rule = models.CharField(_("quy tắc"), max_length=64)
    day = models.DateField(_("ngày nhắc"))
    email = models.CharField(_("gửi đến"), max_length=254, blank=True, help_text=_("Để trống: chỉ thông báo trong cổng."))
    subject = models.CharField(_("tiêu đề"), max_length=255)
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("nhắc hạn đã gửi")
        verbose_name_plural = _("nhắc hạn đã gửi")
        ordering = ["-day", "user_id", "rule"]
        constraints = [
            models.UniqueConstraint(fields=["user", "rule", "day"], name="reminderlog_once_per_user_rule_day"),
        ]

    def __str__(self):
        return f"{self.user} – {self.rule} – {self.day:%d/%m/%Y}"

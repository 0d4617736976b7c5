"""Personal access tokens for the web API (issue 20): created by a user for their own role and scope.

Only a SHA-256 digest of the token is stored; the short prefix (not secret) finds the row. A token is
read-only unless made for writing, expires after a number of days, and can be revoked by its owner or
by an administrator.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("người dùng")
    )
    name = models.CharField(_("tên gợi nhớ"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=16, unique=True)
    digest = models.CharField(_("mã băm SHA-256"), max_length=64, unique=True)
    can_write = models.BooleanField(_("được ghi dữ liệu"), default=False)
    created_at = models.DateTimeField(_("ngày tạo"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người thu hồi"),
    )

    class Meta:
        verbose_name = _("mã truy cập (API)")
        verbose_name_plural = _("mã truy cập (API)")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(expires_at__gt=models.F("created_at")),
                                   name="api_token_expires_after_creation"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

"""DRF permission classes. What a user may see and do is decided by accounts/permissions.py; these only
add what is particular to the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


class TokenMayWrite(BasePermission):
    """A read-only token reads (403 on any write, whatever its user's role would allow)."""

    message = _("Mã truy cập này chỉ được đọc dữ liệu; hãy tạo mã có quyền ghi.")

    def has_permission(self, request, view):
        if isinstance(request.auth, ApiToken) and not request.auth.can_write:
            return request.method in SAFE_METHODS
        return True

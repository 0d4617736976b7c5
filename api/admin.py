from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see every token (never the token itself: only its digest is stored) and revoke them."""

    list_display = ("name", "user", "prefix", "can_write", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("can_write", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "prefix", "user__username", "user__first_name", "user__last_name")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "prefix", "can_write", "created_at", "expires_at", "last_used_at", "revoked_at",
                       "revoked_by")
    exclude = ("digest",)
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # a token is made by its owner (shown once), or by `manage.py api_token`

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the list keeps who had access and until when

    @admin.action(description=_("Thu hồi các mã truy cập đã chọn"))
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(token=token, actor=request.user)
            count += 1
        self.message_user(request, ngettext("Đã thu hồi %(n)s mã truy cập.", "Đã thu hồi %(n)s mã truy cập.", count)
                          % {"n": count}, messages.SUCCESS)

from django import forms
from django.utils.translation import gettext_lazy as _

from .services import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Tên gợi nhớ"), max_length=100,
                           help_text=_("Ví dụ: “Hệ thống thống kê của tỉnh”, “Ứng dụng trên điện thoại”."))
    days = forms.IntegerField(label=_("Thời hạn (ngày)"), min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)
    can_write = forms.BooleanField(
        label=_("Cho phép ghi dữ liệu"), required=False,
        help_text=_("Không chọn: mã chỉ đọc. Chọn: mã làm được những việc vai trò của bạn được làm "
                    "(nhập kết quả, gửi, thẩm định, ghi nhận công nhận…)."),
    )

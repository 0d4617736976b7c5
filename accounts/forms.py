from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import User


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")

    def clean(self):
        # A username longer than any account's can match none: refuse it before authentication, whose
        # failure log (django-axes) could not store it (a 500 on PostgreSQL).
        username = self.data.get("username") or ""
        if len(username) > self.username_field.max_length:
            raise self.get_invalid_login_error()
        return super().clean()

class AccountForm(forms.ModelForm):
    """What a user manages on their own: the e-mail address reminders go to, and whether they want them."""

    class Meta:
        model = User
        fields = ("email", "reminders_enabled")
        labels = {"email": _("Địa chỉ e-mail"), "reminders_enabled": _("Nhận e-mail nhắc hạn")}
        help_texts = {
            "email": _("Thư nhắc hạn được gửi đến địa chỉ này. Để trống nếu không dùng e-mail (nhắc hạn vẫn hiện "
                       "trong mục Thông báo của cổng)."),
            "reminders_enabled": _("Nhắc trước hạn nộp (hoặc hạn thẩm định) 7, 3 và 1 ngày, và khi đã quá hạn. "
                                   "Tắt thì không nhận thư nhắc hạn; thông báo trả lại, thẩm định trong cổng vẫn có."),
        }

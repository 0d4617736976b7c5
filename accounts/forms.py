from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .email_addresses import MAX_LENGTH, validate_deliverable_email


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

class AccountForm(forms.Form):
    """What a user manages on their own: the e-mail address reminders go to, and whether they want them."""

    email = forms.CharField(
        label=_("Địa chỉ e-mail"), required=False, max_length=MAX_LENGTH, strip=True,
        validators=[validate_deliverable_email],
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Thư nhắc hạn được gửi đến địa chỉ này. Địa chỉ mới chỉ được dùng sau khi bạn mở liên kết xác "
                    "nhận gửi đến nó. Để trống nếu không dùng e-mail (nhắc hạn vẫn hiện trong mục Thông báo của cổng)."),
    )
    reminders_enabled = forms.BooleanField(
        label=_("Nhận e-mail nhắc hạn"), required=False,
        help_text=_("Nhắc trước hạn nộp (hoặc hạn thẩm định) 7, 3 và 1 ngày, và khi đã quá hạn. "
                    "Tắt thì không nhận thư nhắc hạn; thông báo trả lại, thẩm định trong cổng vẫn có."),
    )


class CodeForm(forms.Form):
    """The second step of sign-in: the authenticator's 6 digits, or one recovery code."""

    code = forms.CharField(
        label=_("Mã xác thực"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}),
        help_text=_("6 chữ số đang hiện trong ứng dụng xác thực, hoặc một mã dự phòng (mỗi mã dùng một lần)."),
    )


class EnrolForm(forms.Form):
    """Enrolment: the signed secret of the page and the first code the app shows for it."""

    token = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Mã 6 chữ số trong ứng dụng"), max_length=12, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class PasswordConfirmForm(forms.Form):
    """Turning two-factor sign-in off asks for the password again (checked by the view, through django-axes)."""

    password = forms.CharField(label=_("Mật khẩu hiện tại"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))

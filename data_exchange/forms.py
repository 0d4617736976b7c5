from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.services import year_range

from .formats import FileFormatError, file_format

KIND_CHOICES = [
    ("assessments", _("Kết quả đánh giá")),
    ("recognitions", _("Quyết định công nhận")),
    ("registrations", _("Đăng ký xây dựng điểm")),
]
FORMAT_CHOICES = [("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (UTF-8)"))]
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def year_choices():
    return [(y, str(y)) for y in reversed(year_range())]


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=KIND_CHOICES)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=year_choices)


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=KIND_CHOICES)
    format = forms.ChoiceField(label=_("Định dạng"), choices=FORMAT_CHOICES)
    year = forms.TypedChoiceField(
        label=_("Năm"), coerce=int, required=False, empty_value=None,
        choices=lambda: [("", _("Tất cả các năm"))] + year_choices(),
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=KIND_CHOICES)
    file = forms.FileField(
        label=_("Tệp dữ liệu (.xlsx hoặc .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            file_format(upload.name)
        except FileFormatError as exc:
            raise forms.ValidationError(str(exc)) from None
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 10 MB)."))
        return upload

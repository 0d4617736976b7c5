"""Forms validate input; services decide. Field names per criterion are `c<criterion id>_<what>`."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import permissions

from . import services
from .models import Level, Programme, Result
from .models.programmes import DAY_MONTH

CRITERION_KEY = re.compile(r"^c(\d+)_")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Zero or more files, each checked by size, name and content before anything is saved."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx", "class": "form-control form-control-sm"}))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        cleaned = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload:
                check_upload(upload)
                cleaned.append(upload)
        return cleaned


def check_upload(upload) -> None:
    try:
        services.upload_check(upload)
    except services.DomainError as error:
        raise ValidationError(str(error)) from error


class VersionedForm(forms.Form):
    """Carries the assessment version the page was built from (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, results, **kwargs):
        self.results = results
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        known = {str(r.criterion_id) for r in self.results}
        keys = set(self.data) | set(self.files or {})
        if any((m := CRITERION_KEY.match(key)) and m.group(1) not in known for key in keys):
            raise ValidationError(_("Dữ liệu gửi lên có tiêu chí không thuộc bộ tiêu chí của đánh giá này."))
        return cleaned


class SelfAssessmentForm(VersionedForm):
    action = forms.ChoiceField(choices=[("save", "save"), ("submit", "submit")], widget=forms.HiddenInput)

    def __init__(self, *args, results, **kwargs):
        kwargs.setdefault("initial", {})
        for r in results:
            kwargs["initial"].setdefault(f"c{r.criterion_id}_result", r.self_result)
            kwargs["initial"].setdefault(f"c{r.criterion_id}_note", r.note)
        super().__init__(*args, results=results, **kwargs)
        for r in results:
            cid = r.criterion_id
            self.fields[f"c{cid}_result"] = forms.ChoiceField(
                label=_("Kết quả"), choices=Result.choices, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), required=False
            )
            self.fields[f"c{cid}_note"] = forms.CharField(
                label=_("Ghi chú"), required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
            self.fields[f"c{cid}_files"] = EvidenceFilesField(label=_("Thêm tệp minh chứng"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "submit":
            missing = [
                str(r.criterion.number) for r in self.results
                if (cleaned.get(f"c{r.criterion_id}_result") or Result.NOT_YET) == Result.NOT_YET
            ]
            for r in self.results:
                if str(r.criterion.number) in missing:
                    # Each criterion left out is marked where it is, and listed at the top of the page.
                    self.add_error(f"c{r.criterion_id}_result", _("Chưa đánh giá tiêu chí này."))
            if missing:
                raise ValidationError(
                    _("Chưa đánh giá các tiêu chí: %(numbers)s. Cần đánh giá đủ tất cả tiêu chí trước khi gửi."),
                    params={"numbers": ", ".join(missing)},
                )
        return cleaned

    def values(self) -> dict[int, dict[str, str]]:
        return {
            r.criterion_id: {
                "self_result": self.cleaned_data.get(f"c{r.criterion_id}_result") or Result.NOT_YET,
                "note": self.cleaned_data.get(f"c{r.criterion_id}_note", "").strip(),
            }
            for r in self.results
        }

    def evidence(self) -> dict[int, list]:
        return {
            r.criterion_id: self.cleaned_data[f"c{r.criterion_id}_files"]
            for r in self.results
            if self.cleaned_data.get(f"c{r.criterion_id}_files")
        }


class CriterionSaveForm(forms.Form):
    """One criterion saved on its own by the page's autosave (the JSON endpoint)."""

    version = forms.IntegerField(min_value=1)
    criterion = forms.IntegerField(min_value=1)
    self_result = forms.ChoiceField(choices=Result.choices, required=False)
    note = forms.CharField(required=False, max_length=5000)


class EvidenceUploadForm(forms.Form):
    """One evidence file sent on its own (with a progress bar) by the page."""

    file = forms.FileField()


REVIEW_CHOICES = [("", _("Giữ như tự đánh giá")), (Result.MET, Result.MET.label), (Result.NOT_MET, Result.NOT_MET.label)]


class ReviewForm(VersionedForm):
    action = forms.ChoiceField(
        choices=[(d, d) for d in services.REVIEW_DECISIONS], widget=forms.HiddenInput
    )
    reason = forms.CharField(
        label=_("Lý do trả lại"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def __init__(self, *args, results, **kwargs):
        kwargs.setdefault("initial", {})
        for r in results:
            kwargs["initial"].setdefault(f"c{r.criterion_id}_verified", r.verified_result)
            kwargs["initial"].setdefault(f"c{r.criterion_id}_comment", r.reviewer_comment)
        super().__init__(*args, results=results, **kwargs)
        for r in results:
            cid = r.criterion_id
            self.fields[f"c{cid}_verified"] = forms.ChoiceField(
                label=_("Kết quả thẩm định"), choices=REVIEW_CHOICES, widget=forms.RadioSelect(attrs={"class": "form-check-input"}), required=False
            )
            self.fields[f"c{cid}_comment"] = forms.CharField(
                label=_("Nhận xét"), required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Cần ghi lý do trả lại."))
        return cleaned

    def values(self) -> dict[int, dict[str, str]]:
        return {
            r.criterion_id: {
                "verified_result": self.cleaned_data.get(f"c{r.criterion_id}_verified") or "",
                "reviewer_comment": self.cleaned_data.get(f"c{r.criterion_id}_comment", "").strip(),
            }
            for r in self.results
        }


class ReopenForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(
        label=_("Lý do mở lại"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecallForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    reason = forms.CharField(label=_("Lý do rút lại"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class StartForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"))
    programme = forms.SlugField(label=_("Chương trình"), required=False, max_length=50)


def _programme_field():
    return forms.ModelChoiceField(
        label=_("Chương trình"), queryset=Programme.objects.order_by("-is_default", "code"), required=False,
        empty_label=_("Chương trình của đơn vị (tự xác định)"),
        help_text=_("Chỉ cần chọn khi đơn vị thuộc nhiều chương trình."),
    )


class RecognitionForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    programme = _programme_field()
    level = forms.TypedChoiceField(label=_("Cấp công nhận"), coerce=int, choices=())
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=100)
    decision_date = forms.DateField(
        label=_("Ngày ký"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    issued_by = forms.CharField(label=_("Cơ quan ban hành"), max_length=255)
    scan = forms.FileField(
        label=_("Bản quét quyết định (không bắt buộc)"), required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"}),
    )
    historical = forms.BooleanField(
        label=_("Ghi nhận quyết định lịch sử dù chưa đủ điều kiện (sẽ được đánh dấu cảnh báo)"), required=False
    )

    def __init__(self, *args, user, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["level"].choices = [
            (level.value, level.label) for level in Level
            if permissions.has_capability(user, services.LEVEL_CAPABILITY[level])
        ]
        if not permissions.has_capability(user, "recognition.record_historical"):
            del self.fields["historical"]

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan:
            check_upload(scan)
        return scan


class RevokeForm(forms.Form):
    revoked_on = forms.DateField(
        label=_("Ngày thu hồi"), input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class RegistrationForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=None)
    programme = _programme_field()
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, choices=())
    note = forms.CharField(label=_("Ghi chú"), max_length=255, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].choices = [(y, y) for y in reversed(services.year_range())]


# ---------------------------------------------------------------- the programme's yearly calendar (admin)


class MonthDayWidget(forms.MultiWidget):
    """A day of the year, stored "MM-DD", chosen as a day and a month (written dd/mm here)."""

    template_name = "assessments/widgets/month_day.html"

    def __init__(self, attrs=None):
        days = forms.Select(choices=[(d, str(d)) for d in range(1, 32)])
        months = forms.Select(choices=[(m, str(m)) for m in range(1, 13)])
        super().__init__({"day": days, "month": months}, attrs)

    def decompress(self, value):
        match = DAY_MONTH.match(value or "")
        return [int(match[2]), int(match[1])] if match else [None, None]


class MonthDayField(forms.MultiValueField):
    """The programme's calendar defaults (window, deadlines): a day and a month; the year is the assessment's."""

    widget = MonthDayWidget

    def __init__(self, **kwargs):
        # What CharField.formfield and the admin pass for a text field: this field keeps its own widget.
        for text_only in ("max_length", "empty_value", "widget"):
            kwargs.pop(text_only, None)
        fields = (forms.IntegerField(min_value=1, max_value=31), forms.IntegerField(min_value=1, max_value=12))
        super().__init__(fields, require_all_fields=True, **kwargs)

    def compress(self, values):
        if not values:
            return ""
        day, month = values
        try:
            datetime.date(2024, month, day)  # a leap year: 29/2 is allowed (28/2 in other years)
        except ValueError:
            raise ValidationError(_("Ngày %(day)s/%(month)s không có trong năm."),
                                  params={"day": day, "month": month}) from None
        return f"{month:02d}-{day:02d}"


CALENDAR_FIELDS = ("window_start", "window_end", "commune_deadline", "district_deadline")


class ProgrammeAdminForm(forms.ModelForm):
    """A programme in the admin: its yearly calendar as day + month selects, stored MM-DD as before
    (the admin adds the other fields from its fieldsets)."""

    class Meta:
        model = Programme
        fields = CALENDAR_FIELDS
        field_classes = dict.fromkeys(CALENDAR_FIELDS, MonthDayField)

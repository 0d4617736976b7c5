from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ModelKind

YES_NO_CHOICES = [("", _("— chưa kê khai —")), ("1", _("Có")), ("0", _("Không"))]


class ModelCountForm(forms.Form):
    """One field per model type: a number (≥ 0) or yes/no. Blank leaves the type as it is."""

    def __init__(self, *args, rows, locked: set[int] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for model_type, count in rows:
            name = f"t{model_type.id}"
            label = model_type.name
            if model_type.kind == ModelKind.YES_NO:
                field = forms.TypedChoiceField(label=label, choices=YES_NO_CHOICES, coerce=int, empty_value=None,
                                               required=False)
            else:
                field = forms.IntegerField(label=label, min_value=0, max_value=1_000_000, required=False,
                                           help_text=model_type.unit_of_count)
            field.widget.attrs["class"] = "form-select" if model_type.kind == ModelKind.YES_NO else "form-control"
            field.disabled = model_type.id in locked
            if count is not None:
                field.initial = count.count
            self.fields[name] = field

    def counts(self) -> dict:
        return {t: self.cleaned_data.get(f"t{t.id}") for t, _count in self.rows if not self.fields[f"t{t.id}"].disabled}

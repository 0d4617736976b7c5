from django.apps import AppConfig
from django.utils.functional import lazy
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

DJANGO_BLANK_LABEL = "- Select an option -"


def blank_choice_label() -> str:
    """Django 6.1's empty choice of a select ("- Select an option -") has no Vietnamese in Django's own
    catalogue; Vietnamese pages show ours, other languages keep Django's."""
    label = gettext(DJANGO_BLANK_LABEL)
    if label == DJANGO_BLANK_LABEL and (get_language() or "").startswith("vi"):
        return gettext("– Chọn –")
    return label


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Đánh giá và công nhận")

    def ready(self):
        from .facts import signals

        signals.connect()

        from django.db.models import fields

        # Django documents this hook: an app's ready() may replace BLANK_CHOICE_LABEL.
        fields.BLANK_CHOICE_LABEL = lazy(blank_choice_label, str)()

"""The admin's change history (django-simple-history) in the portal's words.

simple-history shows raw values ("False → True", "11-30", "None") and a "None" for a change made by
nobody or without a reason. Here values read as people read them (Có/Không, dd/mm/yyyy, a choice's
label, "—") and the list is our own template (templates/admin/history_list.html).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from assessments.models.programmes import validate_month_day


def readable(field, value):
    """One old or new value of a field as the history page shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if validate_month_day in getattr(field, "validators", ()) and isinstance(value, str) and len(value) == 5:
        return f"{value[3:]}/{value[:2]}"  # a yearly day stored MM-DD reads dd/mm
    return value


class ReadableValues(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return readable(self.model._meta.get_field(change.field), value)


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin with Vietnamese values and no "None" in the history list."""

    object_history_list_template = "admin/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableValues(self.model, historical_record)

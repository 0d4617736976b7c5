"""Strict serializer fields: what the schema declares is exactly what is accepted.

DRF is lenient by design (an IntegerField takes "1.0" and true, a CharField takes 12, a BooleanField
takes "yes"); an API whose schema says `integer` must refuse anything else with a 400, or a client
relying on the schema is misled (and the fuzzer, tests/api/test_fuzz.py, says so).
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

INTEGER = re.compile(r"-?[0-9]{1,19}")

# DRF's messages in Vietnamese (its own catalogue has a score of entries); English comes from the catalogues.
MESSAGES = {
    "required": _("Cần có trường này."),
    "null": _("Trường này không được để null."),
    "blank": _("Trường này không được để trống."),
    "invalid": _("Giá trị không đúng kiểu."),
    "max_length": _("Tối đa {max_length} ký tự."),
    "min_length": _("Tối thiểu {min_length} ký tự."),
    "max_value": _("Cần một số không lớn hơn {max_value}."),
    "min_value": _("Cần một số không nhỏ hơn {min_value}."),
    "max_string_length": _("Số quá lớn."),
    "null_characters": _("Không được chứa ký tự rỗng (NUL)."),
    "surrogate_characters": _("Chuỗi chứa ký tự Unicode không hợp lệ."),
    "invalid_choice": _("“{input}” không phải một lựa chọn hợp lệ."),
}


class VietnameseMessages:
    """DRF fields with the portal's messages."""

    default_error_messages = MESSAGES


def _clean_text(field, data) -> str:
    if not isinstance(data, str):
        field.fail("invalid")
    if "\x00" in data:
        field.fail("null_characters")
    try:
        data.encode("utf-8")
    except UnicodeEncodeError:
        field.fail("invalid")
    return data


class StrictIntegerField(VietnameseMessages, serializers.IntegerField):
    """An integer: in a JSON body a number without a fraction (not "1", not 1.0, not true)."""

    default_error_messages = {**MESSAGES, "invalid": _("Cần một số nguyên.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class QueryIntegerField(StrictIntegerField):
    """An integer in a query string: ASCII digits, optionally a minus sign."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not INTEGER.fullmatch(data):
            self.fail("invalid")
        return super().to_internal_value(int(data))


class StrictCharField(VietnameseMessages, serializers.CharField):
    default_error_messages = {**MESSAGES, "invalid": _("Cần một chuỗi ký tự.")}

    def to_internal_value(self, data):
        return super().to_internal_value(_clean_text(self, data))


class StrictSlugField(VietnameseMessages, serializers.SlugField):
    default_error_messages = {**MESSAGES, "invalid": _("Chỉ gồm chữ không dấu, chữ số, “-” và “_”.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictChoiceField(VietnameseMessages, serializers.ChoiceField):
    """One of the choices, given as the same JSON type (the string "1" is not the number 1)."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str) or data not in self.choices:
            self.fail("invalid_choice", input=str(data)[:50])
        return data


class StrictBooleanField(VietnameseMessages, serializers.BooleanField):
    """true or false (JSON booleans only)."""

    default_error_messages = {**MESSAGES, "invalid": _("Cần true hoặc false.")}

    def to_internal_value(self, data):
        if isinstance(data, bool):
            return data
        self.fail("invalid")


class QueryBooleanField(StrictBooleanField):
    """In a query string, the words true and false."""

    def to_internal_value(self, data):
        if data in ("true", "false"):
            return data == "true"
        self.fail("invalid")


class StrictDateField(VietnameseMessages, serializers.DateField):
    """A day written YYYY-MM-DD."""

    default_error_messages = {**MESSAGES, "invalid": _("Ngày không hợp lệ: viết theo dạng {format}, ví dụ 2026-11-30.")}

    def to_internal_value(self, data):
        if not isinstance(data, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", data):
            self.fail("invalid", format="YYYY-MM-DD")
        try:
            return datetime.date.fromisoformat(data)
        except ValueError:
            self.fail("invalid", format="YYYY-MM-DD")


class Serializer(serializers.Serializer):
    """Base of the API's input serializers: a body that is not a JSON object gets the portal's message."""

    default_error_messages = {"invalid": _("Cần một đối tượng JSON.")}

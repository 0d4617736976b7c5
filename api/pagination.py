"""Limit/offset pagination whose bounds are declared in the schema and enforced (a bad value is a 400)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination

from .fields import INTEGER

MAX_OFFSET = 10**9


def bounded(raw: str | None, *, name: str, default: int, low: int, high: int) -> int:
    if raw is None:
        return default
    if not INTEGER.fullmatch(raw) or not low <= int(raw) <= high:
        raise ValidationError({name: [_("Cần một số nguyên từ %(low)s đến %(high)s.") % {"low": low, "high": high}]})
    return int(raw)


class Pagination(LimitOffsetPagination):
    default_limit = 50
    max_limit = 500

    def get_limit(self, request):
        return bounded(request.query_params.get(self.limit_query_param), name=self.limit_query_param,
                       default=self.default_limit, low=1, high=self.max_limit)

    def get_offset(self, request):
        return bounded(request.query_params.get(self.offset_query_param), name=self.offset_query_param,
                       default=0, low=0, high=MAX_OFFSET)

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.limit_query_param, "required": False, "in": "query",
             "description": "Số dòng mỗi trang (mặc định 50).",
             "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit, "default": self.default_limit}},
            {"name": self.offset_query_param, "required": False, "in": "query",
             "description": "Bỏ qua bao nhiêu dòng đầu.",
             "schema": {"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}},
        ]

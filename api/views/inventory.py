"""The self-management model inventory: model types, and the counts of the units in the user's scope."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema

from accounts import permissions
from inventory.models import ModelCount
from inventory.selectors import model_type_list

from ..serializers.inventory import ModelCountSerializer, ModelTypeSerializer
from ..serializers.params import ModelCountParams
from .base import READ_ERRORS, ListView

TAGS = ["Mô hình tự quản"]


@extend_schema(tags=TAGS, responses={200: ModelTypeSerializer, **READ_ERRORS})
class ModelTypeListView(ListView):
    """Các loại mô hình tự quản (dữ liệu do quản trị quản lý)."""

    serializer_class = ModelTypeSerializer

    def get_queryset(self):
        return model_type_list()


@extend_schema(tags=TAGS, parameters=[ModelCountParams], responses={200: ModelCountSerializer, **READ_ERRORS})
class ModelCountListView(ListView):
    """Số lượng mô hình của các đơn vị trong phạm vi của bạn, theo năm (trạng thái self: xã kê khai;
    verified: đã xác nhận)."""

    serializer_class = ModelCountSerializer
    params_class = ModelCountParams

    def get_queryset(self):
        p = self.params
        qs = permissions.scoped(ModelCount.objects.select_related("unit", "model_type"), self.request.user)
        for name, lookup in (("year", "year"), ("unit", "unit_id"), ("model_type", "model_type__code"),
                             ("status", "status")):
            if name in p:
                qs = qs.filter(**{lookup: p[name]})
        return qs.order_by("-year", "unit__code", "model_type__sort_order", "model_type__code", "id")

"""Provinces and units as of a date, with their lineage (DESIGN §7); scoped like the pages."""

from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import permissions
from communes.models import Province, Unit, UnitSuccession

from ..serializers.communes import ProvinceSerializer, UnitSerializer
from ..serializers.params import ProvinceParams, UnitParams
from .base import READ_ERRORS, ApiView, ListView

ORDERINGS = {"code": ("code", "valid_from", "id"), "name": ("name", "code", "id")}


def province_list(user):
    """Provinces with a unit the user may see (every province for national viewers and administrators)."""
    units = permissions.unit_list(user=user)
    return Province.objects.select_related("successor").filter(id__in=units.values("province_id")).order_by("code")


def units_with_lineage(queryset):
    related = ("predecessor", "successor")
    return queryset.select_related("district", "province").prefetch_related(
        Prefetch("predecessions", queryset=UnitSuccession.objects.select_related(*related)
                 .order_by("effective_on", "predecessor__code")),
        Prefetch("successions", queryset=UnitSuccession.objects.select_related(*related)
                 .order_by("effective_on", "-primary", "successor__code")),
    )


@extend_schema(tags=["Địa giới"], parameters=[ProvinceParams], responses={200: ProvinceSerializer, **READ_ERRORS})
class ProvinceListView(ListView):
    """Các tỉnh có đơn vị trong phạm vi của bạn; `on=` chỉ lấy tỉnh có hiệu lực vào ngày đó."""

    serializer_class = ProvinceSerializer
    params_class = ProvinceParams

    def get_queryset(self):
        provinces = province_list(self.request.user)
        if "on" in self.params:
            provinces = provinces.in_force(self.params["on"])
        return provinces


@extend_schema(tags=["Địa giới"], responses={200: ProvinceSerializer, **READ_ERRORS})
class ProvinceDetailView(ApiView):
    """Một tỉnh (404 nếu ngoài phạm vi)."""

    def get(self, request, pk: int):
        province = province_list(request.user).filter(pk=pk).first()
        if province is None:
            raise NotFound
        return Response(ProvinceSerializer(province).data)


@extend_schema(tags=["Địa giới"], parameters=[UnitParams], responses={200: UnitSerializer, **READ_ERRORS})
class UnitListView(ListView):
    """Đơn vị cấp xã trong phạm vi của bạn, với các đơn vị cũ đã nhập vào và đơn vị kế thừa.

    GSO dùng lại mã: một mã chỉ rõ một đơn vị khi kèm ngày (`code=` với `on=`).
    """

    serializer_class = UnitSerializer
    params_class = UnitParams

    def get_queryset(self):
        permissions.require(self.request.user, "reports.view_unit")
        p = self.params
        units = permissions.unit_list(user=self.request.user)
        if "on" in p:
            units = units.in_force(p["on"])
        for name, lookup in (("province", "province__code"), ("district", "district__code"), ("code", "code"),
                             ("kind", "kind")):
            if name in p:
                units = units.filter(**{lookup: p[name]})
        key = p.get("ordering", "code")
        fields = ORDERINGS[key.lstrip("-")]
        if key.startswith("-"):
            fields = tuple(f"-{f}" for f in fields)
        return units_with_lineage(units.order_by(*fields))


@extend_schema(tags=["Địa giới"], responses={200: UnitSerializer, **READ_ERRORS})
class UnitDetailView(ApiView):
    """Một đơn vị với dòng kế thừa của nó (404 nếu ngoài phạm vi)."""

    def get(self, request, pk: int):
        permissions.require(request.user, "reports.view_unit")
        unit = permissions.get_scoped_or_404(units_with_lineage(Unit.objects.all()), request.user, unit_path="", pk=pk)
        return Response(UnitSerializer(unit).data)

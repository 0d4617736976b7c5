"""Programmes as data (frame, targets, calendar) and criteria sets, for the users who may see them."""

from __future__ import annotations

from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import permissions
from assessments.models import CriteriaSet, Target
from assessments.programmes import Frame, ProgrammeError, calendar_for, programme_get, programme_list
from assessments.selectors import current_year

from ..serializers.params import CriteriaSetParams, FrameParams, ProgrammeParams
from ..serializers.programmes import (
    CriteriaSetDetailSerializer,
    CriteriaSetSerializer,
    FrameSerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
)
from .base import READ_ERRORS, ApiView, ListView


def visible_programmes(user) -> list:
    return [p for p in programme_list() if permissions.can_see_programme(user, p)]


def programme_or_404(user, code: str | None):
    """The programme named by `code` (None: the default one) if the user may see it; otherwise a 404,
    like the report pages (an unknown code is not told apart from one outside the scope)."""
    try:
        programme = programme_get(code)
    except ProgrammeError:
        raise NotFound from None
    if not permissions.can_see_programme(user, programme):
        raise NotFound
    return programme


@extend_schema(tags=["Chương trình"], responses={200: ProgrammeSerializer, **READ_ERRORS})
class ProgrammeListView(ListView):
    """Các chương trình bạn được xem (của tỉnh bạn và tỉnh tiền thân; toàn quốc: tất cả)."""

    serializer_class = ProgrammeSerializer

    def get_queryset(self):
        return visible_programmes(self.request.user)


@extend_schema(tags=["Chương trình"], parameters=[ProgrammeParams],
               responses={200: ProgrammeDetailSerializer, **READ_ERRORS})
class ProgrammeDetailView(ApiView):
    """Một chương trình: nghị quyết, địa bàn, loại đơn vị, lịch của năm, mục tiêu và các bộ tiêu chí."""

    params_class = ProgrammeParams

    def get(self, request, code: str):
        programme = programme_or_404(request.user, code)
        year = self.params.get("year", current_year())
        programme.calendar = calendar_for(programme, year)
        programme.target_rows = list(Target.objects.filter(programme=programme).order_by("deadline", "sort_order", "key"))
        programme.criteria_set_rows = list(CriteriaSet.objects.filter(programme=programme).order_by("-version"))
        return Response(ProgrammeDetailSerializer(programme).data)


@extend_schema(tags=["Chương trình"], parameters=[FrameParams], responses={200: FrameSerializer, **READ_ERRORS})
class ProgrammeFrameView(ApiView):
    """Khung của chương trình: các đơn vị thuộc đối tượng vào ngày ban hành nghị quyết, và đơn vị giữ vị trí
    của từng đơn vị vào 31/12 của năm (chính nó, hoặc đơn vị kế thừa sau sắp xếp)."""

    params_class = FrameParams

    def get(self, request, code: str):
        programme = programme_or_404(request.user, code)
        year = self.params.get("year", current_year())
        frame = Frame.load(programme, year)
        for unit in frame.units:
            unit.holder = frame.holders[unit.id]
        data = {"programme": programme, "year": year, "units_total": frame.total, "units": frame.units}
        return Response(FrameSerializer(data).data)


def criteria_set_list(user):
    programmes = visible_programmes(user)
    return (CriteriaSet.objects.filter(programme__in=[p.id for p in programmes]).select_related("programme")
            .annotate(criteria_count=Count("criteria")).order_by("programme__code", "-version"))


@extend_schema(tags=["Chương trình"], parameters=[CriteriaSetParams],
               responses={200: CriteriaSetSerializer, **READ_ERRORS})
class CriteriaSetListView(ListView):
    """Các bộ tiêu chí của các chương trình bạn được xem."""

    serializer_class = CriteriaSetSerializer
    params_class = CriteriaSetParams

    def get_queryset(self):
        sets = criteria_set_list(self.request.user)
        if "programme" in self.params:
            sets = sets.filter(programme__code=self.params["programme"])
        if "year" in self.params:
            sets = sets.in_force(self.params["year"])
        return sets


@extend_schema(tags=["Chương trình"], responses={200: CriteriaSetDetailSerializer, **READ_ERRORS})
class CriteriaSetDetailView(ApiView):
    """Một bộ tiêu chí với các tiêu chí (số thứ tự, tên, nội dung, hướng dẫn minh chứng)."""

    def get(self, request, pk: int):
        criteria_set = criteria_set_list(request.user).prefetch_related("criteria").filter(pk=pk).first()
        if criteria_set is None:
            raise NotFound
        return Response(CriteriaSetDetailSerializer(criteria_set).data)

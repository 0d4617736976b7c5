"""The report figures: the same functions, parameters, defaults and permission checks as the report JSON
of the pages (reports/views/, reports/completeness_views.py), so the same numbers and the same cache."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from accounts import permissions
from assessments.selectors import current_year, today
from reports.completeness import completeness_load
from reports.national import national_report
from reports.progress import OFFICIAL, build_report
from reports.selectors import report_years
from reports.trends import trends

from ..serializers.figures import CompletenessSerializer, NationalSerializer, ProgressSerializer, TrendsSerializer
from ..serializers.params import CompletenessParams, NationalParams, ProgressParams, TrendsParams
from .base import READ_ERRORS, ApiView
from .programmes import programme_or_404

TAGS = ["Số liệu báo cáo"]


def _report_year(params: dict, programme) -> int:
    """As the progress page: the latest year with figures unless one is asked for."""
    if "year" in params:
        return params["year"]
    years = report_years(programme=programme)
    return years[0] if years else timezone.localdate().year


@extend_schema(tags=TAGS, parameters=[ProgressParams], responses={200: ProgressSerializer, **READ_ERRORS})
class ProgressView(ApiView):
    params_class = ProgressParams

    def get(self, request):
        """Tiến độ so với mục tiêu của chương trình: như /reports/progress.json (Ban Chỉ đạo tỉnh, quản trị)."""
        permissions.require(request.user, "reports.view_province")
        programme = programme_or_404(request.user, self.params.get("programme"))
        return Response(build_report(year=_report_year(self.params, programme), programme=programme,
                                     figures=self.params.get("figures", OFFICIAL)))


@extend_schema(tags=TAGS, parameters=[CompletenessParams], responses={200: CompletenessSerializer, **READ_ERRORS})
class CompletenessView(ApiView):
    params_class = CompletenessParams

    def get(self, request):
        """Tình hình nộp báo cáo vào một ngày: như /reports/completeness.json (cán bộ thẩm định: đơn vị của mình)."""
        if not permissions.has_capability(request.user, "reports.view_province"):
            permissions.require(request.user, "reports.view_district")
        programme = programme_or_404(request.user, self.params.get("programme"))
        report = completeness_load(programme=programme, year=self.params.get("year", current_year()),
                                   as_of=self.params.get("as_of", today()),
                                   scope=permissions.unit_list(user=request.user))
        return Response(report.as_json())


@extend_schema(tags=TAGS, parameters=[NationalParams], responses={200: NationalSerializer, **READ_ERRORS})
class NationalView(ApiView):
    params_class = NationalParams

    def get(self, request):
        """Toàn quốc: mọi chương trình của mọi tỉnh, như /reports/national.json (theo dõi toàn quốc, quản trị)."""
        permissions.require(request.user, "reports.view_national")
        return Response(national_report(year=self.params.get("year", timezone.localdate().year)))


@extend_schema(tags=TAGS, parameters=[TrendsParams], responses={200: TrendsSerializer, **READ_ERRORS})
class TrendsView(ApiView):
    params_class = TrendsParams

    def get(self, request):
        """Qua các năm: nhóm kết quả mỗi năm và từng mục tiêu so với chỉ tiêu (như trang Xu hướng)."""
        permissions.require(request.user, "reports.view_province")
        programme = programme_or_404(request.user, self.params.get("programme"))
        return Response(trends(programme=programme, year=_report_year(self.params, programme),
                               figures=self.params.get("figures", OFFICIAL)))

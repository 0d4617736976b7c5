"""Assessments: read in the user's scope; the officer's entry and submit, the reviewer's return and verify.

Each write is the page's: a scoped lookup (404), the role (403), the body (400), one service; a stale
version is a 409 that changes nothing.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from accounts import permissions
from assessments import selectors, services
from assessments.models import Assessment, Result

from ..serializers.assessments import (
    AssessmentDetailSerializer,
    AssessmentSerializer,
    ConflictSerializer,
    CriterionInput,
    CriterionSavedSerializer,
    ReturnInput,
    StartInput,
    VersionInput,
)
from ..serializers.params import AssessmentParams
from .base import READ_ERRORS, WRITE_ERRORS, ApiView, ListView

ORDERINGS = {"year": ("year", "unit__code", "id"), "unit": ("unit__code", "year", "id"),
             "updated_at": ("updated_at", "id")}
TAGS = ["Đánh giá"]


def body(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def detail_data(user, pk: int) -> dict:
    """An assessment with its results and workflow steps (a constant number of queries)."""
    assessment = selectors.assessment_get(user=user, pk=pk)
    assessment.result_rows = selectors.result_list(assessment=assessment)
    assessment.transition_rows = list(assessment.transitions.select_related("actor").order_by("at", "pk"))
    return AssessmentDetailSerializer(assessment).data


@extend_schema(tags=TAGS)
class AssessmentListView(ListView):
    serializer_class = AssessmentSerializer
    params_class = AssessmentParams

    @extend_schema(parameters=[AssessmentParams], responses={200: AssessmentSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        """Các đánh giá trong phạm vi của bạn, lọc theo chương trình, năm, đơn vị, trạng thái."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.params
        qs = permissions.scoped(Assessment.objects.select_related("unit", "criteria_set__programme"),
                                self.request.user)
        for name, lookup in (("programme", "criteria_set__programme__code"), ("year", "year"), ("unit", "unit_id"),
                             ("status", "status")):
            if name in p:
                qs = qs.filter(**{lookup: p[name]})
        key = p.get("ordering", "-year")
        fields = ORDERINGS[key.lstrip("-")]
        if key.startswith("-"):
            fields = (f"-{fields[0]}", *fields[1:])
        return qs.order_by(*fields)

    @extend_schema(request=StartInput, responses={200: AssessmentDetailSerializer, **WRITE_ERRORS})
    def post(self, request):
        """Cán bộ Công an xã: đánh giá của đơn vị mình cho một năm (tạo nếu chưa có; gọi lại không tạo thêm)."""
        permissions.require(request.user, "assessment.edit")
        data = body(StartInput, request)
        assessment = services.assessment_get_or_create(
            unit=request.user.unit, year=data["year"], actor=request.user, programme=data.get("programme"))
        return Response(detail_data(request.user, assessment.pk))


@extend_schema(tags=TAGS, responses={200: AssessmentDetailSerializer, **READ_ERRORS})
class AssessmentDetailView(ApiView):
    def get(self, request, pk: int):
        """Một đánh giá: kết quả từng tiêu chí và lịch sử quy trình (ai, khi nào, từ → sang, lý do)."""
        return Response(detail_data(request.user, pk))


def _saved(result) -> dict:
    return {"criterion": result.criterion_id, "number": result.criterion.number,
            "self_result": result.self_result, "note": result.note}


@extend_schema(tags=TAGS, request=CriterionInput,
               responses={200: CriterionSavedSerializer, **WRITE_ERRORS, 409: ConflictSerializer})
class AssessmentResultView(ApiView):
    def post(self, request, pk: int):
        """Cán bộ Công an xã: lưu kết quả tự đánh giá và ghi chú của một tiêu chí (như trang tự lưu).

        Gửi kèm `version` đã đọc; nếu đánh giá vừa được lưu bởi người khác, trả 409 với giá trị đang lưu
        và không thay đổi gì.
        """
        assessment = selectors.assessment_get(user=request.user, pk=pk)
        permissions.require(request.user, "assessment.edit")
        data = body(CriterionInput, request)
        yours = {"self_result": data["self_result"] or Result.NOT_YET, "note": data["note"].strip()}
        try:
            version = services.assessment_save_criterion(
                assessment=assessment, actor=request.user, version=data["version"], criterion_id=data["criterion"],
                self_result=yours["self_result"], note=yours["note"])
        except services.StaleAssessmentError as error:
            assessment.refresh_from_db()
            saved = {r.criterion_id: r for r in assessment.results.select_related("criterion")}
            if data["criterion"] not in saved:
                raise NotFound from error
            return Response({"detail": str(error), "code": "conflict", "version": assessment.version,
                             "server": _saved(saved[data["criterion"]]), "yours": yours}, status=409)
        results = selectors.result_list(assessment=assessment)
        return Response({
            "version": version,
            "saved": _saved(next(r for r in results if r.criterion_id == data["criterion"])),
            "answered": sum(1 for r in results if r.self_result != Result.NOT_YET),
            "total": len(results),
        })


def _step(request, pk: int, *, capability: str, input_class, service, **extra):
    """A workflow step: scoped lookup (404), role (403), body (400), one service (400 rule, 409 stale)."""
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    permissions.require(request.user, capability)
    data = body(input_class, request)
    service(assessment=assessment, actor=request.user, version=data["version"],
            **{name: data[name] for name in extra.get("fields", ())})
    return Response(detail_data(request.user, assessment.pk))


@extend_schema(tags=TAGS, request=VersionInput, responses={200: AssessmentDetailSerializer, **WRITE_ERRORS})
class AssessmentSubmitView(ApiView):
    def post(self, request, pk: int):
        """Cán bộ Công an xã: gửi lên cấp trên (mọi tiêu chí đã được đánh giá)."""
        return _step(request, pk, capability="assessment.edit", input_class=VersionInput,
                     service=services.assessment_submit)


@extend_schema(tags=TAGS, request=ReturnInput, responses={200: AssessmentDetailSerializer, **WRITE_ERRORS})
class AssessmentReturnView(ApiView):
    def post(self, request, pk: int):
        """Cán bộ thẩm định: trả lại đánh giá đã gửi, với lý do (bắt buộc)."""
        return _step(request, pk, capability="assessment.review", input_class=ReturnInput,
                     service=services.assessment_return, fields=("reason",))


@extend_schema(tags=TAGS, request=VersionInput, responses={200: AssessmentDetailSerializer, **WRITE_ERRORS})
class AssessmentVerifyView(ApiView):
    def post(self, request, pk: int):
        """Cán bộ thẩm định: xác nhận thẩm định (tiêu chí chưa sửa được xác nhận như xã tự đánh giá)."""
        return _step(request, pk, capability="assessment.review", input_class=VersionInput,
                     service=services.assessment_verify)

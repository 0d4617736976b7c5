"""Recognition decisions (read, record, revoke) and pilot registrations (read), as on the pages."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts import permissions
from assessments import selectors, services
from assessments.views.common import RECOGNITION_CAPABILITIES, require_any

from ..serializers.decisions import (
    LEVEL_VALUES,
    RecognitionInput,
    RecognitionSerializer,
    RegistrationSerializer,
    RevokeInput,
)
from ..serializers.params import RecognitionParams, RegistrationParams
from .assessments import body
from .base import READ_ERRORS, WRITE_ERRORS, ApiView, ListView

ORDERINGS = {"decision_date": ("decision_date", "unit__code", "id"), "unit": ("unit__code", "decision_date", "id")}
TAGS = ["Công nhận và đăng ký"]


def recognition_queryset(user):
    return selectors.recognition_list(user=user).select_related("programme")


@extend_schema(tags=TAGS)
class RecognitionListView(ListView):
    serializer_class = RecognitionSerializer
    params_class = RecognitionParams

    @extend_schema(parameters=[RecognitionParams], responses={200: RecognitionSerializer(many=True), **READ_ERRORS})
    def get(self, request, *args, **kwargs):
        """Quyết định công nhận trong phạm vi của bạn (cán bộ thẩm định, Ban Chỉ đạo tỉnh, quản trị)."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        require_any(self.request.user, RECOGNITION_CAPABILITIES)
        p = self.params
        qs = recognition_queryset(self.request.user)
        if "programme" in p:
            qs = qs.filter(programme__code=p["programme"])
        if "unit" in p:
            qs = qs.filter(unit_id=p["unit"])
        if "level" in p:
            qs = qs.filter(level=LEVEL_VALUES[p["level"]])
        if p.get("revoked") is not None:
            qs = qs.filter(~Q(revoked_on=None) if p["revoked"] else Q(revoked_on=None))
        key = p.get("ordering", "-decision_date")
        fields = ORDERINGS[key.lstrip("-")]
        if key.startswith("-"):
            fields = (f"-{fields[0]}", *fields[1:])
        return qs.order_by(*fields)

    @extend_schema(request=RecognitionInput, responses={201: RecognitionSerializer, **WRITE_ERRORS})
    def post(self, request):
        """Ghi nhận quyết định công nhận (cấp xã: cán bộ thẩm định; cấp huyện, cấp tỉnh: Ban Chỉ đạo tỉnh).

        Quy tắc như trên trang: cấp xã cần đánh giá đã thẩm định đạt ngưỡng năm đó hoặc năm trước; cấp huyện
        cần công nhận cấp xã trước đó; cấp tỉnh cần cấp huyện (hoặc cấp xã khi đơn vị không thuộc huyện).
        """
        require_any(request.user, RECOGNITION_CAPABILITIES)
        data = body(RecognitionInput, request)
        unit = selectors.eligible_unit_list(user=request.user).filter(pk=data["unit"]).first()
        if unit is None:
            raise ValidationError({"unit": [_("Đơn vị này không có trong danh sách bạn được chọn (ngoài phạm vi, "
                                                "hoặc không thuộc chương trình nào).")]})
        recognition = services.recognition_create(
            unit=unit, level=LEVEL_VALUES[data["level"]], decision_number=data["decision_number"],
            decision_date=data["decision_date"], issued_by=data["issued_by"], actor=request.user,
            historical=data["historical"], programme=data.get("programme"),
        )
        return Response(RecognitionSerializer(recognition_queryset(request.user).get(pk=recognition.pk)).data,
                        status=201)


@extend_schema(tags=TAGS, responses={200: RecognitionSerializer, **READ_ERRORS})
class RecognitionDetailView(ApiView):
    def get(self, request, pk: int):
        """Một quyết định công nhận (404 nếu ngoài phạm vi)."""
        return Response(RecognitionSerializer(
            permissions.get_scoped_or_404(recognition_queryset(request.user), request.user, pk=pk)).data)


@extend_schema(tags=TAGS, request=RevokeInput, responses={200: RecognitionSerializer, **WRITE_ERRORS})
class RecognitionRevokeView(ApiView):
    def post(self, request, pk: int):
        """Thu hồi một quyết định công nhận, với ngày thu hồi và lý do."""
        recognition = selectors.recognition_get(user=request.user, pk=pk)
        require_any(request.user, RECOGNITION_CAPABILITIES)
        data = body(RevokeInput, request)
        services.recognition_revoke(recognition=recognition, actor=request.user, revoked_on=data["revoked_on"],
                                    reason=data["reason"])
        return Response(RecognitionSerializer(recognition_queryset(request.user).get(pk=pk)).data)


@extend_schema(tags=TAGS, parameters=[RegistrationParams], responses={200: RegistrationSerializer, **READ_ERRORS})
class RegistrationListView(ListView):
    """Đơn vị đăng ký xây dựng điểm trong phạm vi của bạn (cán bộ thẩm định, Ban Chỉ đạo tỉnh, quản trị)."""

    serializer_class = RegistrationSerializer
    params_class = RegistrationParams

    def get_queryset(self):
        permissions.require(self.request.user, "registration.manage")
        p = self.params
        qs = selectors.registration_list(user=self.request.user).select_related("programme")
        for name, lookup in (("programme", "programme__code"), ("year", "year"), ("unit", "unit_id")):
            if name in p:
                qs = qs.filter(**{lookup: p[name]})
        return qs.order_by("-year", "unit__code", "id")

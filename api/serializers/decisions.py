"""Recognition decisions and pilot registrations, and the bodies of their writes."""

from __future__ import annotations

from rest_framework import serializers

from assessments.models import LEVEL_KEYS

from ..fields import (
    Serializer,
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictDateField,
    StrictIntegerField,
    StrictSlugField,
)
from .common import ProgrammeRef, UnitRef

LEVEL_CHOICES = [("commune", "Cấp xã"), ("district", "Cấp huyện"), ("province", "Cấp tỉnh")]
LEVEL_VALUES = {key: level for level, key in LEVEL_KEYS.items()}


class RecognitionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme = ProgrammeRef(read_only=True)
    unit = UnitRef(read_only=True)
    level = serializers.SerializerMethodField()
    decision_number = serializers.CharField(read_only=True)
    decision_date = serializers.DateField(read_only=True)
    issued_by = serializers.CharField(read_only=True)
    revoked_on = serializers.DateField(read_only=True, allow_null=True)
    revoke_reason = serializers.CharField(read_only=True)
    rule_warning = serializers.CharField(read_only=True, help_text="Khác rỗng: quyết định lịch sử trái quy tắc, "
                                                                    "do quản trị ghi nhận.")
    has_scan = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    def get_level(self, recognition) -> str:
        return LEVEL_KEYS[recognition.level]

    def get_has_scan(self, recognition) -> bool:
        return bool(recognition.scan)


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme = ProgrammeRef(read_only=True)
    unit = UnitRef(read_only=True)
    year = serializers.IntegerField(read_only=True)
    note = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class RecognitionInput(Serializer):
    unit = StrictIntegerField(min_value=1, max_value=2**63 - 1, help_text="`id` của đơn vị (trong phạm vi của bạn).")
    level = StrictChoiceField(choices=LEVEL_CHOICES)
    decision_number = StrictCharField(max_length=100)
    decision_date = StrictDateField()
    issued_by = StrictCharField(max_length=255)
    programme = StrictSlugField(max_length=50, required=False,
                                help_text="Mã chương trình; chỉ cần khi đơn vị thuộc nhiều chương trình.")
    historical = StrictBooleanField(required=False, default=False,
                                    help_text="Quản trị: ghi nhận quyết định lịch sử dù trái quy tắc (có cảnh báo).")


class RevokeInput(Serializer):
    revoked_on = StrictDateField()
    reason = StrictCharField(max_length=5000)

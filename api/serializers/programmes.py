"""Programmes (resolution, territory, unit kinds, calendar, targets, frame) and criteria sets."""

from __future__ import annotations

from rest_framework import serializers

from assessments.models import TargetKind
from communes.models import UnitKind

from .common import ProgrammeRef, Ref, UnitRef

LEVELS = ("commune", "district", "province")


class ResolutionSerializer(serializers.Serializer):
    number = serializers.CharField(source="resolution_number", read_only=True)
    date = serializers.DateField(source="resolution_date", read_only=True, allow_null=True)
    issuer = serializers.CharField(source="resolution_issuer", read_only=True)
    text = serializers.CharField(source="resolution_text", read_only=True)


class ProgrammeSerializer(ProgrammeRef):
    is_default = serializers.BooleanField(read_only=True)
    resolution = ResolutionSerializer(source="*", read_only=True)
    territory_province = Ref(read_only=True, allow_null=True)
    territory_district = Ref(read_only=True, allow_null=True)
    unit_kinds = serializers.ListField(child=serializers.ChoiceField(choices=UnitKind.choices), read_only=True)
    first_year = serializers.IntegerField(read_only=True, allow_null=True)
    last_year = serializers.IntegerField(read_only=True, allow_null=True)


class CalendarSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    window_start = serializers.DateField(read_only=True)
    window_end = serializers.DateField(read_only=True)
    commune_deadline = serializers.DateField(read_only=True)
    district_deadline = serializers.DateField(read_only=True)
    custom = serializers.BooleanField(read_only=True, help_text="true: lịch riêng của năm do quản trị nhập.")


class TargetSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    resolution = serializers.CharField(read_only=True)
    deadline = serializers.DateField(read_only=True)
    kind = serializers.ChoiceField(choices=TargetKind.choices, read_only=True)
    level = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()
    number = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)

    def get_level(self, target) -> str | None:
        return LEVELS[target.level - 1] if target.level else None

    def get_band(self, target) -> str | None:
        return target.band or None


class CriteriaSetBrief(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    valid_from_year = serializers.IntegerField(read_only=True)
    valid_to_year = serializers.IntegerField(read_only=True, allow_null=True)
    published = serializers.BooleanField(read_only=True)


class ProgrammeDetailSerializer(ProgrammeSerializer):
    calendar = CalendarSerializer(read_only=True, help_text="Lịch của năm hỏi (?year=, mặc định năm nay).")
    targets = TargetSerializer(source="target_rows", many=True, read_only=True)
    criteria_sets = CriteriaSetBrief(source="criteria_set_rows", many=True, read_only=True)


class FrameUnitSerializer(UnitRef):
    district = Ref(read_only=True, allow_null=True)
    holder = UnitRef(read_only=True, allow_null=True,
                     help_text="Đơn vị giữ vị trí này vào 31/12 của năm (chính nó, hoặc đơn vị kế thừa); null: không có.")


class FrameSerializer(serializers.Serializer):
    programme = ProgrammeRef(read_only=True)
    year = serializers.IntegerField(read_only=True)
    units_total = serializers.IntegerField(read_only=True)
    units = FrameUnitSerializer(many=True, read_only=True)


class CriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    wording = serializers.CharField(read_only=True)
    evidence_guidance = serializers.CharField(read_only=True)


class CriteriaSetSerializer(CriteriaSetBrief):
    programme = ProgrammeRef(read_only=True)
    source_document = serializers.CharField(read_only=True)
    recognition_threshold = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="null: phải đạt tất cả tiêu chí.")
    criteria_count = serializers.IntegerField(read_only=True)


class CriteriaSetDetailSerializer(CriteriaSetSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)



"""Assessments: the list, the detail with criterion results and workflow history, and the writes' bodies."""

from __future__ import annotations

from rest_framework import serializers

from assessments.models import Result, Status

from ..fields import Serializer, StrictCharField, StrictChoiceField, StrictIntegerField, StrictSlugField
from .common import ProgrammeRef, UnitRef, person

MAX_VERSION = 2**31 - 1
VERIFIED_RESULTS = [(Result.MET.value, Result.MET.label), (Result.NOT_MET.value, Result.NOT_MET.label)]


class CriteriaSetRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)


class AssessmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    unit = UnitRef(read_only=True)
    programme = ProgrammeRef(source="criteria_set.programme", read_only=True)
    criteria_set = CriteriaSetRef(read_only=True)
    year = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Gửi lại giá trị này khi ghi (khóa lạc quan).")
    self_met_count = serializers.IntegerField(read_only=True, help_text="Số tiêu chí tự đánh giá đạt.")
    verified_met_count = serializers.IntegerField(read_only=True, allow_null=True,
                                                  help_text="Số tiêu chí đạt sau thẩm định (chỉ khi đã thẩm định).")
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    verified_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CriterionRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class ResultSerializer(serializers.Serializer):
    criterion = CriterionRef(read_only=True)
    self_result = serializers.ChoiceField(choices=Result.choices, read_only=True)
    verified_result = serializers.SerializerMethodField()
    note = serializers.CharField(read_only=True)
    reviewer_comment = serializers.CharField(read_only=True)
    from_previous_year = serializers.BooleanField(read_only=True, help_text="Lấy từ năm trước, chưa xác nhận.")
    evidence_count = serializers.SerializerMethodField()

    def get_verified_result(self, result) -> str | None:
        """met or not_met once the reviewer decided; null before."""
        return result.verified_result or None

    def get_evidence_count(self, result) -> int:
        return len(result.evidence.all())


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.SerializerMethodField()
    to_status = serializers.ChoiceField(choices=Status.choices, read_only=True)
    at = serializers.DateTimeField(read_only=True)
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField(read_only=True)

    def get_from_status(self, step) -> str | None:
        """null for the step that created the assessment."""
        return step.from_status or None

    def get_actor(self, step) -> str | None:
        return person(step.actor)


class AssessmentDetailSerializer(AssessmentSerializer):
    return_reason = serializers.CharField(read_only=True)
    verified_by = serializers.SerializerMethodField()
    results = ResultSerializer(source="result_rows", many=True, read_only=True)
    transitions = TransitionSerializer(source="transition_rows", many=True, read_only=True,
                                       help_text="Các bước xử lý (lịch sử quy trình), cũ trước.")

    def get_verified_by(self, assessment) -> str | None:
        return person(assessment.verified_by)


# ---------------------------------------------------------------- bodies of the writes


class VersionInput(Serializer):
    version = StrictIntegerField(min_value=1, max_value=MAX_VERSION,
                                 help_text="`version` của đánh giá khi bạn đọc nó; khác bản đã lưu → 409.")


class StartInput(Serializer):
    year = StrictIntegerField(min_value=2015, max_value=2100)
    programme = StrictSlugField(max_length=50, required=False,
                                help_text="Mã chương trình; chỉ cần khi đơn vị thuộc nhiều chương trình năm đó.")


class CriterionInput(VersionInput):
    criterion = StrictIntegerField(min_value=1, max_value=2**63 - 1, help_text="`id` của tiêu chí.")
    self_result = StrictChoiceField(choices=Result.choices)
    note = StrictCharField(max_length=5000, required=False, allow_blank=True, default="")


class ReturnInput(VersionInput):
    reason = StrictCharField(max_length=5000, help_text="Lý do trả lại (bắt buộc).")


class SavedResultSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    self_result = serializers.ChoiceField(choices=Result.choices, read_only=True)
    note = serializers.CharField(read_only=True)


class CriterionSavedSerializer(serializers.Serializer):
    version = serializers.IntegerField(read_only=True, help_text="Phiên bản mới: gửi kèm lần ghi sau.")
    saved = SavedResultSerializer(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True)


class TypedResultSerializer(serializers.Serializer):
    self_result = serializers.ChoiceField(choices=Result.choices, read_only=True)
    note = serializers.CharField(read_only=True)


class ConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(read_only=True)
    code = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True, help_text="Phiên bản đang lưu.")
    server = SavedResultSerializer(read_only=True, help_text="Giá trị đang lưu của tiêu chí này.")
    yours = TypedResultSerializer(read_only=True, help_text="Giá trị bạn gửi (không được lưu).")

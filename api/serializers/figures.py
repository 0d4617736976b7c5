"""The report figures' shapes: the report JSON of DESIGN §5, as reports/ computes it.

Fields DESIGN §5 names are required; the others the reports add are documented but optional, so that
a report growing a field does not make the schema lie.
"""

from __future__ import annotations

from rest_framework import serializers

from assessments.models import Band, TargetKind
from reports.completeness import STATES

BANDS = [b.value for b in Band]
LEVELS = ["commune", "district", "province"]


class BandCounts(serializers.Serializer):
    """Units per band (DESIGN §2): recognized, 13+, 10-12, 9, 0-8, not_assessed."""

    def get_fields(self):
        return {band: serializers.IntegerField(read_only=True) for band in BANDS}


class LevelCounts(serializers.Serializer):
    commune = serializers.IntegerField(read_only=True)
    district = serializers.IntegerField(read_only=True)
    province = serializers.IntegerField(read_only=True)


class ProgrammeInfo(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    resolution = serializers.CharField(read_only=True)
    resolution_date = serializers.DateField(read_only=True, allow_null=True)
    territory = serializers.DictField(read_only=True)
    unit_kinds = serializers.ListField(child=serializers.CharField(), read_only=True)


class TargetFigures(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    deadline = serializers.DateField(read_only=True)
    text = serializers.CharField(read_only=True)
    target = serializers.IntegerField(read_only=True)
    actual = serializers.IntegerField(read_only=True)
    cumulative_target = serializers.IntegerField(read_only=True)
    cumulative_actual = serializers.IntegerField(read_only=True)
    met = serializers.BooleanField(read_only=True)
    kind = serializers.ChoiceField(choices=TargetKind.choices, read_only=True, required=False)
    level = serializers.ChoiceField(choices=LEVELS, read_only=True, allow_null=True, required=False)
    band = serializers.ChoiceField(choices=BANDS, read_only=True, allow_null=True, required=False)
    tier = serializers.BooleanField(read_only=True, required=False)
    as_of = serializers.DateField(read_only=True, required=False)
    deadline_state = serializers.CharField(read_only=True, required=False)
    resolution = serializers.CharField(read_only=True, required=False)
    empty_frame = serializers.BooleanField(read_only=True, required=False)


class DistrictFigures(serializers.Serializer):
    code = serializers.CharField(read_only=True, help_text="Rỗng: các đơn vị không thuộc huyện.")
    name = serializers.CharField(read_only=True)
    units = serializers.IntegerField(read_only=True)
    recognized = LevelCounts(read_only=True, help_text="Đơn vị theo cấp công nhận cao nhất.")
    bands = BandCounts(read_only=True)


class CriterionFigures(serializers.Serializer):
    number = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    met = serializers.IntegerField(read_only=True)
    assessed = serializers.IntegerField(read_only=True)


class ProgressSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    figures = serializers.ChoiceField(choices=["official", "preliminary"], read_only=True, required=False)
    as_of = serializers.DateField(read_only=True, required=False)
    programme = ProgrammeInfo(read_only=True, required=False)
    units_total = serializers.IntegerField(read_only=True)
    bands = BandCounts(read_only=True, help_text="Số liệu chính thức (chỉ đánh giá đã thẩm định).")
    bands_preliminary = BandCounts(read_only=True, help_text="Số liệu sơ bộ (cả tự đánh giá đã gửi).")
    targets = TargetFigures(many=True, read_only=True)
    districts = DistrictFigures(many=True, read_only=True)
    criteria = CriterionFigures(many=True, read_only=True)
    holders = serializers.ListField(child=serializers.DictField(), read_only=True, required=False,
                                    help_text="Bản đồ hiện hành: mỗi đơn vị giữ vị trí và các đơn vị khung nó mang.")
    models = serializers.ListField(child=serializers.DictField(), read_only=True, required=False,
                                   help_text="Mô hình tự quản trên khung (reports/inventory.py).")
    note = serializers.CharField(read_only=True, required=False)


class StateCounts(serializers.Serializer):
    def get_fields(self):
        return {state: serializers.IntegerField(read_only=True) for state in STATES}


class CompletenessGroup(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    units_total = serializers.IntegerField(read_only=True)
    counts = StateCounts(read_only=True)


class CompletenessUnit(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=list(STATES), read_only=True)
    submitted_at = serializers.DateField(read_only=True, allow_null=True)
    verified_at = serializers.DateField(read_only=True, allow_null=True)


class CompletenessSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    as_of = serializers.DateField(read_only=True)
    units_total = serializers.IntegerField(read_only=True)
    counts = StateCounts(read_only=True)
    districts = CompletenessGroup(many=True, read_only=True)
    units = CompletenessUnit(many=True, read_only=True)


class NationalRow(serializers.Serializer):
    programme = ProgrammeInfo(read_only=True)
    province = serializers.CharField(read_only=True, allow_null=True)
    province_name = serializers.CharField(read_only=True)
    units_total = serializers.IntegerField(read_only=True)
    bands = BandCounts(read_only=True)
    targets_met = serializers.IntegerField(read_only=True)
    targets_total = serializers.IntegerField(read_only=True)
    holders = serializers.IntegerField(read_only=True)
    reported = serializers.IntegerField(read_only=True)
    verified = serializers.IntegerField(read_only=True)
    completeness = serializers.IntegerField(read_only=True, help_text="Phần trăm đã báo cáo.")


class NationalTotals(serializers.Serializer):
    units_total = serializers.IntegerField(read_only=True)
    bands = BandCounts(read_only=True)
    targets_met = serializers.IntegerField(read_only=True)
    targets_total = serializers.IntegerField(read_only=True)
    holders = serializers.IntegerField(read_only=True)
    reported = serializers.IntegerField(read_only=True)
    verified = serializers.IntegerField(read_only=True)


class NationalSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    figures = serializers.CharField(read_only=True, required=False)
    as_of = serializers.DateField(read_only=True, required=False)
    programmes = NationalRow(many=True, read_only=True)
    totals = NationalTotals(read_only=True)


class TrendTarget(serializers.Serializer):
    key = serializers.CharField(read_only=True)
    text = serializers.CharField(read_only=True)
    deadline = serializers.DateField(read_only=True)
    kind = serializers.ChoiceField(choices=TargetKind.choices, read_only=True)
    target = serializers.IntegerField(read_only=True)
    actual = serializers.ListField(child=serializers.IntegerField(allow_null=True), read_only=True,
                                   help_text="Một giá trị mỗi năm; null: năm không có số liệu.")
    met = serializers.ListField(child=serializers.BooleanField(allow_null=True), read_only=True)
    in_units = serializers.BooleanField(read_only=True)


class TrendBands(serializers.Serializer):
    def get_fields(self):
        return {b: serializers.ListField(child=serializers.IntegerField(allow_null=True), read_only=True)
                for b in BANDS}


class TrendsSerializer(serializers.Serializer):
    year = serializers.IntegerField(read_only=True)
    figures = serializers.ChoiceField(choices=["official", "preliminary"], read_only=True)
    years = serializers.ListField(child=serializers.IntegerField(), read_only=True)
    labels = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)
    band_keys = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)
    band_labels = serializers.ListField(child=serializers.CharField(), read_only=True, required=False)
    bands = TrendBands(read_only=True, help_text="Nhóm kết quả → một số mỗi năm (null: không có số liệu).")
    units_total = serializers.IntegerField(read_only=True)
    targets = TrendTarget(many=True, read_only=True)
    target_label = serializers.CharField(read_only=True, required=False)
    percent_label = serializers.CharField(read_only=True, required=False)

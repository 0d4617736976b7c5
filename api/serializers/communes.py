"""Provinces and units, with their life (valid_from / valid_to) and lineage (DESIGN §7)."""

from __future__ import annotations

from rest_framework import serializers

from communes.models import UnitKind

from .common import Ref, UnitRef


class ProvinceSerializer(Ref):
    valid_from = serializers.DateField(read_only=True, allow_null=True, help_text="null: trước khi có số liệu.")
    valid_to = serializers.DateField(read_only=True, allow_null=True, help_text="null: còn hiệu lực.")
    successor = Ref(read_only=True, allow_null=True, help_text="Tỉnh kế thừa (sáp nhập toàn bộ), nếu có.")


class PredecessorSerializer(serializers.Serializer):
    unit = UnitRef(source="predecessor", read_only=True)
    effective_on = serializers.DateField(read_only=True)
    whole = serializers.BooleanField(read_only=True, help_text="false: chỉ một phần đơn vị cũ.")
    primary = serializers.BooleanField(read_only=True, help_text="Đơn vị kế thừa chính của đơn vị cũ.")


class SuccessorSerializer(PredecessorSerializer):
    unit = UnitRef(source="successor", read_only=True)


class UnitSerializer(Ref):
    kind = serializers.ChoiceField(choices=UnitKind.choices, read_only=True)
    province = Ref(read_only=True)
    district = Ref(read_only=True, allow_null=True, help_text="null: đơn vị lập sau khi bỏ cấp huyện.")
    valid_from = serializers.DateField(read_only=True, allow_null=True)
    valid_to = serializers.DateField(read_only=True, allow_null=True)
    latitude = serializers.FloatField(read_only=True, allow_null=True)
    longitude = serializers.FloatField(read_only=True, allow_null=True)
    predecessors = PredecessorSerializer(source="predecessions", many=True, read_only=True,
                                         help_text="Các đơn vị đã nhập (toàn bộ hoặc một phần) vào đơn vị này.")
    successors = SuccessorSerializer(source="successions", many=True, read_only=True,
                                     help_text="Các đơn vị mà đơn vị này đã nhập vào.")

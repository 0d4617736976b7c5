"""The self-management model inventory: model types and each unit's counts per year."""

from __future__ import annotations

from rest_framework import serializers

from inventory.models import CountStatus, ModelKind

from .common import UnitRef


class ModelTypeSerializer(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    unit_of_count = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=ModelKind.choices, read_only=True)


class ModelTypeRef(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class ModelCountSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    unit = UnitRef(read_only=True)
    year = serializers.IntegerField(read_only=True)
    model_type = ModelTypeRef(read_only=True)
    count = serializers.IntegerField(read_only=True)
    status = serializers.ChoiceField(choices=CountStatus.choices, read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

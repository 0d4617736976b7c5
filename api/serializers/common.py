"""Small nested shapes every resource shares (read-only).

GSO codes are strings without leading zeros, as in the report JSON (DESIGN §5): a CharField writes
the integer code as its decimal text.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import User
from communes.models import UnitKind


class Ref(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True, help_text="Mã GSO (không có số 0 ở đầu).")
    name = serializers.CharField(read_only=True)


class UnitRef(Ref):
    kind = serializers.ChoiceField(choices=UnitKind.choices, read_only=True)


class ProgrammeRef(serializers.Serializer):
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


def person(user: User | None) -> str | None:
    """Who did it, as the pages' history says it (full name, else login); None: the system."""
    if user is None:
        return None
    return user.get_full_name() or user.username

"""A hand-computed province for the report tests (see EXPECTED_* below for the numbers)."""

import datetime

import pytest

from assessments import facts
from assessments.loaders import PROGRAMMES_DIR, targets_load
from assessments.models import Assessment, Level, Status
from communes.models import UnitKind
from tests import factories
from tests.conftest import record

Y = 2025
D = datetime.date


def rec(unit, level, day, **kw):
    return factories.RecognitionFactory(unit=unit, level=level, decision_date=day, **kw)


@pytest.fixture
def scenario(criteria_set):
    """Three districts (A, B, C) of province 17, plus a district with only a dissolved unit.

    Official 2025 bands, by hand:
      recognized   uC (commune), uD (district), uP (province), uRegLate (commune)      = 4
      13+          a13, a16 (16/16, never recognised), uRev (recognition revoked)       = 3
      10-12        a10, a12 (thị trấn), uLate (recognition dated 2026)                = 3
      9            a9                                                                  = 1
      0-8          a8, b0                                                              = 2
      not_assessed uSub (submitted 14), uRet (returned 9), uDraft (draft 12), uNone     = 4
    Preliminary: uSub → 13+, uRet → 9; the draft never counts.
    Out of the frame: a ward (phường) and a unit that ended before the resolution date, both "recognised".
    """
    A = factories.DistrictFactory(name="Huyện A")
    B = factories.DistrictFactory(name="Huyện B")
    C = factories.DistrictFactory(name="Huyện C")
    Z = factories.DistrictFactory(name="Huyện Z")
    u = {}

    def unit(key, district, kind=UnitKind.XA, **kw):
        u[key] = factories.UnitFactory(district=district, kind=kind, name=f"Xã {key}", **kw)
        return u[key]

    for key, met in (("a8", 8), ("a9", 9), ("a10", 10), ("a13", 13), ("a16", 16)):
        record(unit(key, A), Y, met)
    record(unit("a12", A, kind=UnitKind.THI_TRAN), Y, 12)
    record(unit("uC", A), Y, 16)
    rec(u["uC"], Level.COMMUNE, D(2022, 9, 1))
    record(unit("uD", A), Y, 16)
    rec(u["uD"], Level.COMMUNE, D(2022, 11, 1))
    rec(u["uD"], Level.DISTRICT, D(2024, 3, 1))
    record(unit("uRev", A), Y, 16)
    rec(u["uRev"], Level.COMMUNE, D(2022, 3, 1), revoked_on=D(2025, 6, 1))
    record(unit("uLate", A), Y, 11)
    rec(u["uLate"], Level.COMMUNE, D(2026, 2, 1))
    record(unit("uSub", A), Y, 14, stage="self")
    returned = record(unit("uRet", A), Y, 9, stage="self")
    Assessment.objects.filter(pk=returned.pk).update(status=Status.RETURNED)
    facts.assessment_changed(returned)
    draft = record(unit("uDraft", A), Y, 12, stage="self")
    Assessment.objects.filter(pk=draft.pk).update(status=Status.DRAFT)
    facts.assessment_changed(draft)
    unit("uNone", A)
    ward = unit("ward", A, kind=UnitKind.PHUONG)
    rec(ward, Level.COMMUNE, D(2023, 1, 1))

    record(unit("uP", B), Y, 16)
    rec(u["uP"], Level.COMMUNE, D(2022, 6, 1))
    rec(u["uP"], Level.DISTRICT, D(2023, 6, 1))
    rec(u["uP"], Level.PROVINCE, D(2025, 3, 1))
    record(unit("b0", B), Y, 0)

    record(unit("uRegLate", C), Y, 16)
    rec(u["uRegLate"], Level.COMMUNE, D(2023, 5, 1))

    gone = unit("gone", Z, valid_to=D(2022, 3, 1))  # ended before the resolution (27/6/2022)
    rec(gone, Level.DISTRICT, D(2022, 1, 1))

    # Pilot registrations: uC (2022) and uP (2021) were recognised by 31/12/2022; uRegLate only in 2023;
    # uD was recognised in 2022 but never registered.
    factories.RegistrationFactory(unit=u["uC"], year=2022)
    factories.RegistrationFactory(unit=u["uP"], year=2021)
    factories.RegistrationFactory(unit=u["uRegLate"], year=2022)
    targets_load(PROGRAMMES_DIR / "nq12_commune" / "targets.json")
    u["A"], u["B"], u["C"], u["Z"] = A, B, C, Z
    return u


EXPECTED_BANDS = {"recognized": 4, "13+": 3, "10-12": 3, "9": 1, "0-8": 2, "not_assessed": 4}
EXPECTED_PRELIMINARY = {"recognized": 4, "13+": 4, "10-12": 3, "9": 2, "0-8": 2, "not_assessed": 2}
# key: (target, actual, cumulative_target, cumulative_actual, met)
EXPECTED_TARGETS = {
    "2022-pilot-commune": (3, 2, 3, 2, False),
    "2025-recognized-commune": (20, 4, 20, 4, False),
    "2025-recognized-district": (3, 2, 3, 2, False),
    "2025-band-13": (30, 3, 50, 7, False),
    "2025-band-10": (50, 3, 100, 10, False),
    "2025-band-9": (31, 1, 131, 11, False),
    "2030-recognized-province": (1, 1, 1, 1, True),
    "2030-each-district": (3, 2, 3, 2, False),
}

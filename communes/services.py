"""Loading administrative divisions from the vietnam-provinces dataset (data of 2025-01-04)."""

import json
from dataclasses import dataclass

import vietnam_provinces
from django.db import transaction

from criteria_portal.figures import bulk_map_changes

from .models import District, DistrictKind, Province, Unit, UnitKind

# The dataset marks every ward "xã"; the kind is read from the official name instead.
UNIT_PREFIXES = (("Thị trấn ", UnitKind.THI_TRAN), ("Phường ", UnitKind.PHUONG), ("Xã ", UnitKind.XA))
DISTRICT_PREFIXES = (
    ("Thành phố ", DistrictKind.THANH_PHO),
    ("Thị xã ", DistrictKind.THI_XA),
    ("Quận ", DistrictKind.QUAN),
    ("Huyện ", DistrictKind.HUYEN),
)


class UnknownProvinceError(ValueError):
    pass


@dataclass
class LoadResult:
    province: Province
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _kind(name: str, prefixes, default):
    for prefix, kind in prefixes:
        if name.startswith(prefix):
            return kind
    return default


def _upsert(model, lookup: dict, values: dict, result: LoadResult):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        result.created += 1
        return model.objects.create(**lookup, **values)
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if changed:
        for k, v in changed.items():
            setattr(obj, k, v)
        obj.save(update_fields=list(changed))
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


def province_codes() -> list[int]:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        return sorted(p["code"] for p in json.load(fh))


@transaction.atomic
def divisions_load(*, province_code: int = 17) -> LoadResult:
    with bulk_map_changes():  # thousands of units: the stored figures are told once, at the end
        return _divisions_load(province_code=province_code)


def _divisions_load(*, province_code: int = 17) -> LoadResult:
    """Create or update the province, its districts and units, keyed by GSO code (idempotent)."""
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        data = {p["code"]: p for p in json.load(fh)}
    if province_code not in data:
        raise UnknownProvinceError(province_code)
    source = data[province_code]
    result = LoadResult(province=None)  # type: ignore[arg-type]
    province = _upsert(
        Province, {"code": source["code"]}, {"name": source["name"], "codename": source["codename"]}, result
    )
    result.province = province
    for d in source["districts"]:
        district = _upsert(
            District,
            {"code": d["code"]},
            {
                "province": province,
                "name": d["name"],
                "codename": d["codename"],
                "kind": _kind(d["name"], DISTRICT_PREFIXES, DistrictKind.HUYEN),
            },
            result,
        )
        for w in d["wards"]:
            # The dataset is the map before 1/7/2025: its units are those with no start date.
            _upsert(
                Unit,
                {"code": w["code"], "valid_from": None},
                {
                    "province": province,
                    "district": district,
                    "name": w["name"],
                    "codename": w["codename"],
                    "kind": _kind(w["name"], UNIT_PREFIXES, UnitKind.XA),
                },
                result,
            )
    return result

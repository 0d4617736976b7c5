"""The 1/7/2025 reform (DESIGN §7): units in force from that day and the old → new lineage.

Read from the maintained `vietnamadminunits` package (MIT licence, pinned in pyproject.toml): its
`dataset.db` holds the 63-province list (`admin_units_legacy`) and the 34-province list
(`admin_units`) with GSO codes and coordinates, and `converter_2025.json` the mapping from old
units to new ones (whole, or divided with one default successor). The data are read from the
installed package, never copied into this repository.

For each old province already loaded (by `load_divisions`) that the dataset maps to a new one:
the old province, its districts and units end on 30/6/2025; the new province and all its units
are loaded (valid from 1/7/2025); every old unit gets its successor(s). Idempotent, keyed by GSO
code and start date.
"""

from __future__ import annotations

import datetime
import importlib.util
import json
import math
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from criteria_portal.figures import bulk_map_changes

from .models import District, Province, Unit, UnitKind, UnitSuccession

REFORM_DAY = datetime.date(2025, 7, 1)
# A new unit lies where the units it was formed from lay. The dataset places a few new units 80–650 km
# away from every one of them (a namesake elsewhere geocoded: "Xã Lương Sơn" of Phú Thọ drawn in old
# Phú Thọ instead of Hoà Bình's Lương Sơn); the widest real mergers span ~25 km.
PLAUSIBLE_KM = 30
LAST_OLD_DAY = REFORM_DAY - datetime.timedelta(days=1)
PACKAGE = "vietnamadminunits"
KINDS = {"Xã": UnitKind.XA, "Phường": UnitKind.PHUONG, "Đặc khu": UnitKind.DAC_KHU, "Thị trấn": UnitKind.THI_TRAN}


class ReformDataError(RuntimeError):
    pass


def data_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ReformDataError(f"Chưa cài gói {PACKAGE} (pyproject.toml): chạy make install.")
    path = Path(next(iter(spec.submodule_search_locations))) / "data"
    if not (path / "dataset.db").exists() or not (path / "converter_2025.json").exists():
        raise ReformDataError(f"Gói {PACKAGE} thiếu dữ liệu trong {path}.")
    return path


@dataclass
class ReformData:
    """The parts of the dataset the loader needs, keyed the dataset's way."""

    legacy: dict[str, dict]  # old unit key "province_district_ward" → row
    legacy_provinces: dict[str, dict]  # old province key → {code, name}
    new_units: dict[str, dict[str, dict]]  # new province key → new ward key → row
    new_provinces: dict[str, dict]  # new province key → {code, name}
    province_map: dict[str, list[str]]  # new province key → old province keys
    whole: dict[str, dict[str, list[str]]]  # new province key → new ward key → old unit keys
    divided: dict[str, dict[str, list[dict]]]  # new province key → old unit key → [{newWardKey, isDefaultNewWard}]

    @classmethod
    def read(cls) -> ReformData:
        path = data_dir()
        with sqlite3.connect(f"file:{path / 'dataset.db'}?mode=ro", uri=True) as db:
            db.row_factory = sqlite3.Row
            legacy_rows = db.execute(
                "SELECT provinceKey, districtKey, wardKey, provinceCode, province, wardCode, ward, wardLat, wardLon "
                "FROM admin_units_legacy"
            ).fetchall()
            new_rows = db.execute(
                "SELECT provinceKey, provinceCode, province, wardKey, wardCode, ward, wardType, wardLat, wardLon "
                "FROM admin_units"
            ).fetchall()
        with open(path / "converter_2025.json", encoding="utf-8") as fh:
            converter = json.load(fh)
        legacy = {f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}": dict(r) for r in legacy_rows}
        legacy_provinces = {r["provinceKey"]: {"code": int(r["provinceCode"]), "name": r["province"]} for r in legacy_rows}
        new_units: dict[str, dict[str, dict]] = {}
        new_provinces = {}
        for r in new_rows:
            new_units.setdefault(r["provinceKey"], {})[r["wardKey"]] = dict(r)
            new_provinces[r["provinceKey"]] = {"code": int(r["provinceCode"]), "name": r["province"]}
        return cls(
            legacy, legacy_provinces, new_units, new_provinces, converter["DICT_PROVINCE"],
            converter["DICT_PROVINCE_WARD_NO_DIVIDED"], converter["DICT_PROVINCE_WARD_DIVIDED"],
        )

    def new_province_of(self, old_code: int) -> str | None:
        old_key = next((k for k, p in self.legacy_provinces.items() if p["code"] == old_code), None)
        return next((new for new, olds in self.province_map.items() if old_key in olds), None)

    def old_keys(self, old_code: int) -> set[str]:
        return {k for k, r in self.legacy.items() if int(r["provinceCode"]) == old_code}


@dataclass
class ReformResult:
    old_province: Province
    new_province: Province
    old_units: int = 0
    new_units: int = 0
    successors: set[int] = field(default_factory=set)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)


def reform_provinces() -> list[int]:
    """The provinces whose pre-reform units are loaded (by load_divisions)."""
    return sorted(set(Unit.objects.filter(valid_from__isnull=True).values_list("province__code", flat=True)))


def _set(obj, values: dict, result: ReformResult) -> None:
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def plausible_coordinates(data: ReformData, new_key: str) -> tuple[dict[str, tuple], list[str]]:
    """New ward key → the (latitude, longitude) to store, and a warning per corrected unit.

    The dataset's coordinates, except where they lie more than PLAUSIBLE_KM from every old unit the new one
    was formed from (whole or in part): then the mean of those old units' coordinates.
    """
    formed_from: dict[str, list[str]] = defaultdict(list)
    for ward, olds in data.whole.get(new_key, {}).items():
        formed_from[ward] += olds
    for old, parts in data.divided.get(new_key, {}).items():
        for part in parts:
            formed_from[part["newWardKey"]].append(old)
    out, warnings = {}, []
    for ward, row in data.new_units[new_key].items():
        here = (row["wardLat"], row["wardLon"])
        around = [(data.legacy[o]["wardLat"], data.legacy[o]["wardLon"]) for o in formed_from.get(ward, ())
                  if o in data.legacy and data.legacy[o]["wardLat"] is not None]
        if None in here or not around or min(_km(here, p) for p in around) <= PLAUSIBLE_KM:
            out[ward] = here
            continue
        out[ward] = (round(sum(p[0] for p in around) / len(around), 6), round(sum(p[1] for p in around) / len(around), 6))
        warnings.append(
            f"{row['ward']} ({row['wardCode']}): tọa độ trong dữ liệu {here} cách mọi đơn vị cũ hợp thành hơn "
            f"{PLAUSIBLE_KM} km; dùng vị trí trung bình của {len(around)} đơn vị đó {out[ward]}."
        )
    return out, warnings


def _kind(row: dict) -> str:
    kind = KINDS.get(row["wardType"])
    if kind is None:
        raise ReformDataError(f"Loại đơn vị “{row['wardType']}” ({row['ward']}) chưa được hỗ trợ.")
    return kind


@transaction.atomic
def reform_load(*, province_code: int, data: ReformData | None = None) -> ReformResult:
    with bulk_map_changes():  # thousands of units: the stored figures are told once, at the end
        return _reform_load(province_code=province_code, data=data)


def _reform_load(*, province_code: int, data: ReformData | None = None) -> ReformResult:
    data = data or ReformData.read()
    old = Province.objects.filter(code=province_code).first()
    if old is None:
        raise ReformDataError(f"Chưa nạp tỉnh mã {province_code}: chạy load_divisions --province {province_code} trước.")
    new_key = data.new_province_of(province_code)
    if new_key is None:
        raise ReformDataError(f"Dữ liệu sắp xếp 2025 không có tỉnh mã {province_code}.")
    info = data.new_provinces[new_key]
    new, created = Province.objects.get_or_create(code=info["code"], defaults={"name": info["name"]})
    result = ReformResult(old_province=old, new_province=new, created=int(created))
    ended = _end_old_units(data, new_key, old, new, result)
    new_units = _load_new_units(data, new_key, new, result)
    _link_successors(data, new_key, old, ended, new_units, result)
    return result


def _end_old_units(data: ReformData, new_key: str, old: Province, new: Province,
                   result: ReformResult) -> list[tuple[str, Unit]]:
    """Every loaded old province merged into the same new one ends on 30/6/2025, with its districts
    and units — before the new units start, since a code names one unit in force at a time."""
    group = [data.legacy_provinces[k]["code"] for k in data.province_map[new_key] if k in data.legacy_provinces]
    ended: list[tuple[str, Unit]] = []
    for member in Province.objects.filter(code__in=group):
        if member.id != new.id:
            _set(member, {"valid_to": LAST_OLD_DAY, "successor": new}, result)
        for district in District.objects.filter(province=member).exclude(valid_to=LAST_OLD_DAY):
            district.valid_to = LAST_OLD_DAY
            district.save(update_fields=["valid_to"])  # saved one by one: the stored figures hear of it
        old_by_code = {u.code: u for u in Unit.objects.filter(province=member, valid_from__isnull=True)}
        for key in sorted(data.old_keys(member.code)):
            row = data.legacy[key]
            unit = old_by_code.get(int(row["wardCode"]))
            if unit is None:
                continue
            _set(unit, {"valid_to": LAST_OLD_DAY, "latitude": row["wardLat"], "longitude": row["wardLon"]}, result)
            ended.append((key, unit))
            if member.id == old.id:
                result.old_units += 1
    return ended


def _load_new_units(data: ReformData, new_key: str, new: Province, result: ReformResult) -> dict[str, Unit]:
    """The new province's units (all of them: the province as it is from 1/7/2025)."""
    new_units: dict[str, Unit] = {}
    existing = {u.code: u for u in Unit.objects.filter(province=new, valid_from=REFORM_DAY)}
    coordinates, result.warnings = plausible_coordinates(data, new_key)
    for key, row in data.new_units[new_key].items():
        values = {
            "name": row["ward"], "kind": _kind(row), "codename": key, "valid_to": None,
            "latitude": coordinates[key][0], "longitude": coordinates[key][1], "district": None,
        }
        unit = existing.get(int(row["wardCode"]))
        if unit is None:
            unit = Unit.objects.create(province=new, code=int(row["wardCode"]), valid_from=REFORM_DAY, **values)
            result.created += 1
        else:
            _set(unit, values, result)
        new_units[key] = unit
    result.new_units = len(new_units)
    return new_units


def _link_successors(data: ReformData, new_key: str, old: Province, ended: list[tuple[str, Unit]],
                     new_units: dict[str, Unit], result: ReformResult) -> None:
    """Each ended unit to the new units that carry it on (the province's own successors are counted)."""
    whole = {o: n for n, olds in data.whole.get(new_key, {}).items() for o in olds}
    divided = data.divided.get(new_key, {})
    for key, unit in ended:
        row = data.legacy[key]
        if unit.province_id == old.id:
            successors = result.successors
        else:
            successors = set()
        for successor, is_whole, primary in _successor_links(key, row, whole, divided, new_units):
            succession, made = UnitSuccession.objects.get_or_create(
                predecessor=unit, successor=successor,
                defaults={"effective_on": REFORM_DAY, "whole": is_whole, "primary": primary},
            )
            if made:
                result.created += 1
            else:
                _set(succession, {"effective_on": REFORM_DAY, "whole": is_whole, "primary": primary}, result)
            successors.add(successor.id)


def _successor_links(key: str, row: dict, whole: dict, divided: dict,
                     new_units: dict[str, Unit]) -> list[tuple[Unit, bool, bool]]:
    """(successor, whole, primary) for an ended unit: merged whole into one, or divided (one part primary)."""
    if key in divided:
        links = [(new_units[d["newWardKey"]], False, bool(d["isDefaultNewWard"])) for d in divided[key]]
        if not any(primary for _u, _w, primary in links):
            links[0] = (links[0][0], False, True)
        return links
    if key in whole:
        return [(new_units[whole[key]], True, True)]
    raise ReformDataError(f"Dữ liệu không có đơn vị kế thừa cho {row['ward']} (mã {row['wardCode']}).")

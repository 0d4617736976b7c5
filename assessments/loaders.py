"""Loading programmes, their criteria templates and their targets from data files (idempotent).

Each folder of `data/programmes/` describes one programme (DESIGN §7): `programme.json` (resolution,
territory by GSO code, unit kinds, years, calendar), `criteria.json` (its template criteria set) and
`targets.json`. Nothing in code names a programme or a province: adding one is adding a folder.
"""

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from communes.models import District, Province

from .models import CriteriaSet, Criterion, Level, Programme, Target, validate_month_day

DATA_DIR = Path(__file__).resolve().parent / "data"
PROGRAMMES_DIR = DATA_DIR / "programmes"
LEVELS = {"commune": Level.COMMUNE, "district": Level.DISTRICT, "province": Level.PROVINCE}
CALENDAR_FIELDS = ("window_start", "window_end", "commune_deadline", "district_deadline")


def programme_dirs() -> list[Path]:
    return sorted(p for p in PROGRAMMES_DIR.iterdir() if (p / "programme.json").exists())


def programme_province_codes() -> list[int]:
    """The provinces the programme data files name as territory (what `load_divisions` loads by default)."""
    codes = set()
    for d in programme_dirs():
        try:
            codes.add(int(_read(d / "programme.json")["territory"]["province"]))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(codes)


def default_criteria_files() -> list[Path]:
    return [p / "criteria.json" for p in programme_dirs() if (p / "criteria.json").exists()]


def default_target_files() -> list[Path]:
    return [p / "targets.json" for p in programme_dirs() if (p / "targets.json").exists()]


class DataFileError(ValueError):
    pass


def _read(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise DataFileError(f"Không tìm thấy tệp {path}") from None
    except json.JSONDecodeError as exc:
        raise DataFileError(f"Tệp {path} không phải JSON hợp lệ: {exc}") from None


def _date(value, path: Path, name: str) -> datetime.date | None:
    if value in (None, ""):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise DataFileError(f"Tệp {path}: {name} “{value}” không phải ngày YYYY-MM-DD.") from None


@transaction.atomic
def programme_load(path: Path) -> tuple[Programme, int]:
    """Create or update one programme from its `programme.json`, keyed by code (or a former code).

    The territory is resolved by GSO code as of the resolution date, so the divisions must be
    loaded first. Returns (programme, 1 if anything changed else 0).
    """
    data = _read(path)
    try:
        code, name, kinds = data["code"], data["name"], list(data["unit_kinds"])
        resolution, territory = data["resolution"], data["territory"]
        resolution_date = _date(resolution["date"], path, "resolution.date")
        province_code = int(territory["province"])
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"Tệp {path} thiếu trường bắt buộc: {exc}") from None
    province, district = _programme_territory(code, province_code, territory)
    calendar = _programme_calendar(data, path)
    values = {
        "name": name,
        "unit_kinds": kinds,
        "resolution_number": resolution.get("number", ""),
        "resolution_date": resolution_date,
        "resolution_issuer": resolution.get("issuer", ""),
        "resolution_text": resolution.get("text", ""),
        "territory_province": province,
        "territory_district": district,
        "first_year": data.get("first_year"),
        "last_year": data.get("last_year"),
        **{key: calendar[key] for key in CALENDAR_FIELDS if key in calendar},
    }
    programme, changed = _programme_save(code, data.get("former_codes") or [], values)
    if data.get("default") and not programme.is_default:
        Programme.objects.filter(is_default=True).update(is_default=False)
        programme.is_default = True
        programme.save(update_fields=["is_default"])
        changed = 1
    return programme, changed


def _programme_territory(code: str, province_code: int, territory: dict) -> tuple[Province, District | None]:
    """The programme's province (and district, for a district's own programme), already loaded."""
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise DataFileError(
            f"Chương trình {code}: chưa có tỉnh mã {province_code}; chạy load_divisions --province {province_code} trước."
        )
    district = None
    if territory.get("district"):
        district = District.objects.filter(code=int(territory["district"]), province=province).first()
        if district is None:
            raise DataFileError(
                f"Chương trình {code}: tỉnh {province} không có huyện mã {territory['district']}; chạy load_divisions trước."
            )
    return province, district


def _programme_calendar(data: dict, path: Path) -> dict:
    """The file's calendar, each day given as MM-DD."""
    calendar = data.get("calendar") or {}
    for key in CALENDAR_FIELDS:
        if key in calendar:
            try:
                validate_month_day(calendar[key])
            except ValidationError:
                raise DataFileError(f"Tệp {path}: calendar.{key} “{calendar[key]}” phải viết dạng MM-DD.") from None
    return calendar


def _programme_save(code: str, former_codes: list[str], values: dict) -> tuple[Programme, int]:
    """The programme by its code or a former one (renamed to the code), created or brought up to `values`;
    with 1 if anything changed."""
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        programme = Programme.objects.filter(code__in=former_codes).first()
        if programme is not None:
            programme.code = code
            programme.save(update_fields=["code"])
    if programme is None:
        return Programme.objects.create(code=code, **values), 1
    changed = 0
    for key, value in values.items():
        if getattr(programme, key) != value:
            setattr(programme, key, value)
            changed = 1
    if changed:
        programme.save()
    return programme, changed


def programmes_load() -> list[tuple[Programme, int]]:
    return [programme_load(d / "programme.json") for d in programme_dirs()]


@transaction.atomic
def criteria_load(path: Path) -> tuple[CriteriaSet, int]:
    """Create or update a programme's criteria set (by programme + version) and its criteria.

    The file names its programme by code (loaded beforehand by `programmes_load`). A set already
    used by an assessment is never rewritten: change it in the admin with "copy as new version"
    instead. Returns (set, number of rows created or changed).
    """
    data = _read(path)
    try:
        p, s, criteria = data["programme"], data["criteria_set"], data["criteria"]
        numbers = [int(c["number"]) for c in criteria]
        code = p["code"]
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"Tệp {path} thiếu trường bắt buộc: {exc}") from None
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise DataFileError("Số thứ tự tiêu chí phải liên tục từ 1.")
    changes = 0
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        known = ", ".join(Programme.objects.values_list("code", flat=True)) or "—"
        raise DataFileError(
            f"Chưa có chương trình mã “{code}” (đã có: {known}). Chạy load_criteria không tham số để nạp các chương trình."
        )
    criteria_set = CriteriaSet.objects.filter(programme=programme, version=s["version"]).first()
    if criteria_set is not None and criteria_set.assessments.exists():
        return criteria_set, 0
    fields = {
        "name": s["name"],
        "valid_from_year": s["valid_from_year"],
        "valid_to_year": s.get("valid_to_year"),
        "source_document": s.get("source_document", ""),
        "recognition_threshold": s.get("recognition_threshold"),
    }
    if criteria_set is None:
        criteria_set = CriteriaSet.objects.create(programme=programme, version=s["version"], **fields)
        changes += 1
    elif any(getattr(criteria_set, k) != v for k, v in fields.items()):
        for k, v in fields.items():
            setattr(criteria_set, k, v)
        criteria_set.save()
        changes += 1
    for c in criteria:
        values = {"title": c["title"], "wording": c["wording"], "evidence_guidance": c.get("evidence_guidance", "")}
        criterion = criteria_set.criteria.filter(number=c["number"]).first()
        if criterion is None:
            Criterion.objects.create(criteria_set=criteria_set, number=c["number"], **values)
            changes += 1
        elif any(getattr(criterion, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(criterion, k, v)
            criterion.save()
            changes += 1
    return criteria_set, changes


@transaction.atomic
def targets_load(path: Path) -> tuple[Programme, int, int]:
    """Create a programme's targets, keyed by programme + `key`. Existing targets are left as edited
    in the admin. Returns (programme, created, total).
    """
    data = _read(path)
    try:
        code, targets = data["programme"], data["targets"]
    except (KeyError, TypeError) as exc:
        raise DataFileError(f"Tệp {path} thiếu trường bắt buộc: {exc}") from None
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise DataFileError(f"Chưa có chương trình mã “{code}”: chạy load_criteria trước.")
    created = 0
    for t in targets:
        _target, was_created = Target.objects.get_or_create(
            programme=programme,
            key=t["key"],
            defaults={
                "resolution": data["resolution"],
                "deadline": datetime.date.fromisoformat(t["deadline"]),
                "kind": t["kind"],
                "level": LEVELS.get(t.get("level") or ""),
                "band": t.get("band") or "",
                "number": t["number"],
                "text": t["text"],
                "sort_order": t.get("sort_order", 0),
            },
        )
        created += was_created
    return programme, created, len(targets)

"""Loading the criteria template and the resolution's targets from data files (idempotent)."""

import datetime
import json
from pathlib import Path

from django.db import transaction

from .models import CriteriaSet, Criterion, Level, Programme, Target

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_CRITERIA_FILE = DATA_DIR / "criteria_template.json"
DEFAULT_TARGETS_FILE = DATA_DIR / "targets_12_NQ_TU.json"
LEVELS = {"commune": Level.COMMUNE, "district": Level.DISTRICT, "province": Level.PROVINCE}


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


@transaction.atomic
def criteria_load(path: Path = DEFAULT_CRITERIA_FILE) -> tuple[CriteriaSet, int]:
    """Create or update the programme, the criteria set (by programme + version) and its criteria.

    A set already used by an assessment is never rewritten: change it in the admin with
    "copy as new version" instead. Returns (set, number of rows created or changed).
    """
    data = _read(path)
    try:
        p, s, criteria = data["programme"], data["criteria_set"], data["criteria"]
        numbers = [int(c["number"]) for c in criteria]
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"Tệp {path} thiếu trường bắt buộc: {exc}") from None
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise DataFileError("Số thứ tự tiêu chí phải liên tục từ 1.")
    changes = 0
    programme, created = Programme.objects.get_or_create(
        code=p["code"], defaults={"name": p["name"], "unit_kinds": p["unit_kinds"]}
    )
    changes += created
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
def targets_load(path: Path = DEFAULT_TARGETS_FILE) -> tuple[int, int]:
    """Create the resolution's targets, keyed by `key`. Existing targets are left as edited in the admin.

    Returns (created, total).
    """
    data = _read(path)
    created = 0
    for t in data["targets"]:
        _target, was_created = Target.objects.get_or_create(
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
    return created, len(data["targets"])

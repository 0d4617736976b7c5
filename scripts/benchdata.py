"""Building benchmark datasets through the project's own paths (loaders, bulk import).

A province of the vietnam-provinces dataset gets a programme like 12/NQ-TU's commune model: its
xã and thị trấn as the frame, the commune template criteria and the 12/NQ-TU targets. Programmes
are data, so a benchmark creates them as data (code `bench_<GSO>`), never in the application code.
Django must be set up before importing this module.
"""

from __future__ import annotations

import datetime
import json
import random
import tempfile
from pathlib import Path

from assessments.loaders import criteria_load, programme_dirs, targets_load
from assessments.models import Programme
from communes.models import Province, UnitKind
from communes.services import divisions_load

RESOLUTION_DATE = datetime.date(2022, 6, 27)


def template_dir() -> Path:
    """The folder of the programme marked default in the data: its criteria and targets are the template."""
    for folder in programme_dirs():
        if json.loads((folder / "programme.json").read_text(encoding="utf-8")).get("default"):
            return folder
    return programme_dirs()[0]


def province_programme(code: int, *, default: bool = False,
                       kinds: tuple[str, ...] = (UnitKind.XA, UnitKind.THI_TRAN)) -> Programme:
    """Load the province (if needed) and give it a commune-model programme with criteria and targets."""
    if not Province.objects.filter(code=code).exists():
        divisions_load(province_code=code)
    province = Province.objects.get(code=code)
    programme, _created = Programme.objects.update_or_create(
        code=f"bench_{code}",
        defaults={
            "name": f"Xã, thị trấn điển hình – {province.name}", "unit_kinds": list(kinds),
            "resolution_number": f"BENCH-{code}", "resolution_date": RESOLUTION_DATE,
            "territory_province": province, "is_default": default, "first_year": 2015, "last_year": 2030,
        },
    )
    scratch = Path(tempfile.mkdtemp(prefix="bench-programme-"))
    template = template_dir()
    criteria = json.loads((template / "criteria.json").read_text(encoding="utf-8"))
    criteria["programme"] = {"code": programme.code}
    criteria["criteria_set"]["valid_from_year"] = 2015  # benchmarks cover years before the resolution
    (scratch / "criteria.json").write_text(json.dumps(criteria, ensure_ascii=False), encoding="utf-8")
    criteria_load(scratch / "criteria.json")
    targets = json.loads((template / "targets.json").read_text(encoding="utf-8"))
    targets["programme"] = programme.code
    (scratch / "targets.json").write_text(json.dumps(targets, ensure_ascii=False), encoding="utf-8")
    targets_load(scratch / "targets.json")
    return programme


def assessment_rows(codes: list[int], years: list[int], numbers: list[int], *, seed: int = 5) -> list[list]:
    """A realistic spread: units start between 5 and 13 criteria and improve by 0–2 a year; 70 % verified."""
    rng = random.Random(seed)
    rows = []
    for code in codes:
        start, growth = rng.randint(5, 13), rng.choice((0, 1, 1, 1, 2))
        for i, year in enumerate(years):
            met = min(len(numbers), start + growth * i)
            stage = "verified" if rng.random() < 0.7 else "self"
            chosen = set(rng.sample(numbers, met))
            rows.append([code, year, stage, *("1" if n in chosen else "0" for n in numbers)])
    return rows

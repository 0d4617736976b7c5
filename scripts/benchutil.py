"""Shared by the benchmark scripts: a scratch database and the time and peak memory of one step.

Peak memory is the process's resident set (VmHWM of /proc/self/status) above what it held
before the step; the high-water mark is reset before each step by writing 5 to
/proc/self/clear_refs (Linux). It counts everything, C allocations included.
"""

from __future__ import annotations

import io
import os
import signal
import sys
import tempfile
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def django_setup(database: str | None = None) -> str:
    """Django on a scratch SQLite file (or DATABASE_URL when set); returns the database URL used."""
    sys.path.insert(0, str(ROOT))
    if database:
        os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/bench.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "criteria_portal.settings.test"
    warnings.filterwarnings("ignore", "No directory at")  # staticfiles/ exists only after collectstatic
    import django

    django.setup()
    return os.environ["DATABASE_URL"]


def _status() -> dict[str, int]:
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                out[key] = int(value.split()[0]) * 1024
    return out


@dataclass
class Step:
    seconds: float = 0.0
    peak_bytes: int = 0

    def __str__(self) -> str:
        return f"{self.seconds:6.1f} s, peak +{self.peak_bytes / 2**20:6.0f} MiB"


class TooSlow(Exception):
    pass


@contextmanager
def deadline(seconds: int):
    """Interrupt the block with TooSlow after `seconds` (0: never)."""
    def interrupt(signum, frame):
        raise TooSlow(seconds)
    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def measured():
    """`with measured() as step: …` then step.seconds and step.peak_bytes."""
    step = Step()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
    except OSError:
        pass
    before = _status().get("VmRSS", 0)
    started = time.perf_counter()
    try:
        yield step
    finally:
        step.seconds = time.perf_counter() - started
        step.peak_bytes = max(0, _status().get("VmHWM", 0) - before)


def assessment_rows(count: int, *, seed: int = 5) -> tuple[list[str], list[list]]:
    """Migrate the database and return an assessments file of `count` rows, one per (unit, year).

    (unit, year) is unique and a programme's years are bounded, so many rows need many units: after
    Hoà Bình (the shipped programmes) the further provinces of the vietnam-provinces dataset are
    loaded, each with a bench programme over all its units and a copy of the template criteria.
    """
    import random

    from django.core.management import call_command

    from assessments.loaders import programme_province_codes
    from assessments.models import CriteriaSet
    from assessments.programmes import frame_units
    from assessments.services import year_range
    from communes.services import province_codes
    from scripts.benchdata import province_programme

    call_command("migrate", verbosity=0)
    call_command("load_divisions", verbosity=0, stdout=io.StringIO())  # the provinces the programmes name
    call_command("load_criteria", verbosity=0, stdout=io.StringIO())
    template = CriteriaSet.objects.get(programme__is_default=True)
    criteria = list(template.criteria.order_by("number"))
    pairs: list[tuple[int, int]] = []

    def add_pairs(programme):
        years = [y for y in year_range() if programme.covers_year(y) and y >= template.valid_from_year]
        units = list(frame_units(programme).order_by("code").values_list("code", flat=True))
        pairs.extend((code, year) for year in years for code in units)

    add_pairs(template.programme)
    loaded = set(programme_province_codes())
    codes = iter(c for c in province_codes() if c not in loaded)
    while len(pairs) < count:
        add_pairs(province_programme(next(codes), kinds=("xa", "thi_tran", "phuong")))
    rng = random.Random(seed)
    rows = []
    for code, year in sorted(pairs[:count], key=lambda p: (p[1], p[0])):
        stage = "verified" if rng.random() < 0.7 else "self"
        values = [rng.choice(("1", "1", "0", "x", "đạt", "không đạt")) for _ in criteria]
        if stage == "self":
            values = [v if rng.random() < 0.9 else "" for v in values]
        rows.append([code, year, stage, *values])
    return ["commune_code", "year", "stage"] + [f"c{c.number}" for c in criteria], rows

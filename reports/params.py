"""The query parameters of the report pages and their exports, parsed in one place.

A bad value is a BadParameter: a page shows it as a message and uses the default, an export answers 400
with it. Never a 500, and never an unbounded page: a year is accepted only where the portal can have
figures, so `?year=2100` does not make the trends page compute eighty empty years.
"""

from __future__ import annotations

import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import MAX_YEAR, MIN_YEAR, Programme, Target

from .completeness import parse_day
from .progress import FIGURES, OFFICIAL


class BadParameter(ValueError):
    pass


def _text(raw: str) -> str:
    """A bad value as quoted back in a message: short and printable (a NUL or 5,000 characters are not)."""
    return "".join(c for c in str(raw)[:20] if c.isprintable())


def last_year() -> int:
    """The last year a report may ask for: next year, or the programmes' last year or target deadline if later.

    The data are read only for a year past next year (a normal request costs no query)."""
    found = [timezone.localdate().year + 1]
    found += [y for y in Programme.objects.aggregate(y=Max("last_year")).values() if y]
    found += [d.year for d in Target.objects.aggregate(d=Max("deadline")).values() if d]
    return min(max(found), MAX_YEAR)


def year_in_range(year: int) -> None:
    """BadParameter unless `year` is one a report may show (MIN_YEAR .. last_year())."""
    if MIN_YEAR <= year <= timezone.localdate().year + 1:
        return
    last = last_year()
    if not MIN_YEAR <= year <= last:
        raise BadParameter(
            _("Năm %(year)s nằm ngoài khoảng cho phép (%(first)s–%(last)s).")
            % {"year": year, "first": MIN_YEAR, "last": last}
        )


def parse_year(raw: str | None, default: int) -> int:
    if raw in (None, ""):
        return default
    text = str(raw).strip()
    # A long string of digits is not a year (and int() of 5,000 digits is refused by Python anyway).
    if len(text) > 6 or not text.lstrip("-").isdigit() or not text.isascii():
        raise BadParameter(_("Năm “%(value)s” không hợp lệ: hãy nhập một năm dạng 2025.") % {"value": _text(raw)})
    year = int(text)
    year_in_range(year)
    return year


def parse_figures(raw: str | None) -> str:
    if raw in (None, ""):
        return OFFICIAL
    if raw not in FIGURES:
        raise BadParameter(_("Loại số liệu “%(value)s” không hợp lệ.") % {"value": _text(raw)})
    return raw


def parse_as_of(raw: str | None, default: datetime.date) -> datetime.date:
    if raw in (None, ""):
        return default
    try:
        return parse_day(str(raw)[:40])
    except ValueError as exc:
        raise BadParameter(str(exc)) from None

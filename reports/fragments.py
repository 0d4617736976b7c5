"""Report page fragments kept under the tokens of the stored figures they show (`{% reportcache %}`).

A report page's big table costs its rendering far more than its figures. The view builds the fragment's key
from what the fragment shows — the page, the programme, the year, the figures, the user's scope and the
page's own parameters, the language (criteria_portal.figures.key) and the tokens of the days it reads — and
hands its figures over lazily, so that a fragment served from the cache computes nothing. A write that
changes one of those figures changes a token, hence the key.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from assessments import facts
from assessments.facts.readings import year_end
from criteria_portal import figures


def fragment_key(request, name: str, programme, year: int, *parts) -> str:
    user = request.user
    scope = (user.role, user.unit_id, user.district_id, user.province_id)
    tokens = facts.ensure([programme], [year_end(year)])
    return figures.key(f"page:{name}", (programme.pk, year, *scope, *parts), tokens)


def lazy(compute):
    """A value computed the first time the template reads it (never, when the fragment is cached)."""
    return SimpleLazyObject(compute)

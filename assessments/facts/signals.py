"""Cache invalidation for rows the admin and the loaders change outside the services.

Not business logic: the services call `assessments.facts` themselves for every counted fact. These
receivers only make sure that an edit of what a report reads beside the facts (targets, calendars,
criteria, names) replaces the tokens of its programme, and that a change of the map itself (units,
districts, provinces, lineage, a programme's frame) drops the stored facts it touched, so that they are
stored again from the records. A loader making thousands of such changes wraps them in `criteria_portal.figures.bulk_map_changes()`.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from communes.lineage import province_family_ids
from criteria_portal.figures import collecting, on_bulk_map_changes

from .store import bump, forget

# Changes that leave the stored facts right but change what a report shows beside them.
BUMPED = (("assessments", "Target"), ("assessments", "ProgrammeYear"), ("assessments", "CriteriaSet"),
          ("assessments", "Criterion"))
# Changes of the map or of a programme's frame.
FORGOTTEN = (("assessments", "Programme"), ("communes", "Unit"), ("communes", "District"), ("communes", "Province"),
             ("communes", "UnitSuccession"))


def _forget_collected(pending: set) -> None:
    forget(None if None in pending else _programmes_of(pending))


def _programmes_of(province_ids: set[int]) -> set[int]:
    from ..models import Programme

    family: set[int] = set()
    for pid in province_ids:
        family |= province_family_ids(pid)
    # A province's programmes, and those of the provinces it merged into (their frames follow lineage).
    return set(Programme.objects.filter(territory_province_id__in=sorted(family)).values_list("id", flat=True)) | set(
        Programme.objects.filter(territory_province__successor_id__in=sorted(family)).values_list("id", flat=True))


def _province_of(instance) -> int | None:
    label = instance._meta.label
    if label == "communes.Province":
        return instance.pk
    if label == "communes.UnitSuccession":
        return getattr(instance.predecessor, "province_id", None)
    return getattr(instance, "province_id", None)


def _map_changed(sender, instance, **kwargs):
    if sender._meta.label == "assessments.Programme":
        targets = {"programme": instance.pk}
    else:
        targets = {"province": _province_of(instance)}
    pending = collecting()
    if targets.get("programme"):
        if pending is not None:
            pending.add(None)  # a programme's frame: keep it simple, forget everything once
        else:
            forget([instance.pk])
        return
    province = targets["province"]
    if pending is not None:
        pending.add(province)
    else:
        forget(None if province is None else _programmes_of({province}))


def _shown_changed(sender, instance, **kwargs):
    programme_id = getattr(instance, "programme_id", None)
    if programme_id is None and hasattr(instance, "criteria_set_id"):
        programme_id = instance.criteria_set.programme_id
    bump(programme_ids=None if programme_id is None else [programme_id])


def connect() -> None:
    from django.apps import apps

    on_bulk_map_changes(_forget_collected)
    for receiver, models in ((_shown_changed, BUMPED), (_map_changed, FORGOTTEN)):
        for app_label, model_name in models:
            model = apps.get_model(app_label, model_name)
            uid = f"facts-{app_label}.{model_name}"
            post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")

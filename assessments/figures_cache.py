"""Every saved or deleted row that a report reads replaces the figures' generation token.

This is cache invalidation, not business logic: the services stay the one path for every rule;
the receivers only make sure that no write path (a service, the admin, a loader) leaves a cached
report behind. Bulk writes that send no signals (the import's multi-row inserts, queryset
updates) call `figures_changed()` themselves.
"""

from django.db.models.signals import post_delete, post_save

from criteria_portal.figures import figures_changed

WATCHED = (
    ("assessments", "Assessment"), ("assessments", "CriterionResult"), ("assessments", "Recognition"),
    ("assessments", "Registration"), ("assessments", "Target"), ("assessments", "Programme"),
    ("assessments", "CriteriaSet"), ("assessments", "Criterion"),
    ("communes", "Unit"), ("communes", "UnitSuccession"), ("communes", "District"), ("communes", "Province"),
)


def _changed(sender, **kwargs):
    figures_changed()


def connect() -> None:
    from django.apps import apps

    for app_label, model_name in WATCHED:
        model = apps.get_model(app_label, model_name)
        post_save.connect(_changed, sender=model, dispatch_uid=f"figures-save-{app_label}.{model_name}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"figures-delete-{app_label}.{model_name}")

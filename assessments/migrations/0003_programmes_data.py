"""Give existing registrations, recognitions and targets their programme.

Before this change there was one programme; each row goes to the programme whose unit kinds
include its unit's kind (targets: the first programme), and that programme becomes the default.
"""

from django.db import migrations


def forward(apps, schema_editor):
    Programme = apps.get_model("assessments", "Programme")
    programmes = list(Programme.objects.order_by("id"))
    if programmes and not any(p.is_default for p in programmes):
        Programme.objects.filter(pk=programmes[0].pk).update(is_default=True)

    def for_kind(kind):
        return next((p for p in programmes if kind in (p.unit_kinds or [])), programmes[0] if programmes else None)

    for model_name in ("Registration", "Recognition"):
        model = apps.get_model("assessments", model_name)
        for row in model.objects.select_related("unit").filter(programme__isnull=True):
            programme = for_kind(row.unit.kind)
            if programme is None:
                raise RuntimeError(f"{model_name} rows exist but no programme does: run load_criteria first.")
            model.objects.filter(pk=row.pk).update(programme=programme)
    Target = apps.get_model("assessments", "Target")
    if programmes:
        Target.objects.filter(programme__isnull=True).update(programme=programmes[0])
    else:
        # Targets are data of a programme; without one they are reloaded by load_targets.
        Target.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_programmes_as_data")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

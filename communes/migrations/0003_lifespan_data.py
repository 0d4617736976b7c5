"""Carry the old single-successor model into lifespans and lineage.

A unit's province comes from its district; `dissolved_on` becomes the last day in force and the
old `successor` link a whole, primary succession effective the day after.
"""

import datetime

from django.db import migrations


def forward(apps, schema_editor):
    Unit = apps.get_model("communes", "Unit")
    District = apps.get_model("communes", "District")
    UnitSuccession = apps.get_model("communes", "UnitSuccession")
    for district in District.objects.exclude(dissolved_on=None):
        district.valid_to = district.dissolved_on
        district.save(update_fields=["valid_to"])
    for unit in Unit.objects.select_related("district"):
        unit.province_id = unit.district.province_id
        if unit.dissolved_on is not None:
            unit.valid_to = unit.dissolved_on
        elif not unit.active:
            unit.valid_to = datetime.date.today()
        unit.save(update_fields=["province", "valid_to"])
        if unit.successor_id:
            UnitSuccession.objects.get_or_create(
                predecessor_id=unit.id, successor_id=unit.successor_id,
                defaults={"effective_on": (unit.valid_to or datetime.date.today()) + datetime.timedelta(days=1)},
            )


class Migration(migrations.Migration):
    dependencies = [("communes", "0002_lifespan_add")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

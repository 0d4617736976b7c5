"""Everything a restore must give back, as JSON: every report figure (progress report of each programme and
year, completeness), every row of the portal's tables (assessments, results, decisions, users, …) with the
audit trail (simple-history tables), and the bytes of every stored file (as SHA-256, read through the
storage). Run in a fresh process against a database: `python -m tests.operations.backup_snapshot`."""

import datetime
import hashlib
import json

APPS = ("accounts", "communes", "assessments", "inventory", "notifications", "data_exchange")
AS_OF = datetime.date(2026, 1, 31)


def _plain(value):
    if isinstance(value, (bytes, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return value


def tables() -> dict:
    from django.apps import apps

    out = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            rows = model.objects.order_by("pk").values()
            out[model._meta.label] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    return out


def files() -> dict:
    from assessments.models import Evidence, Recognition

    stored = [e.file for e in Evidence.objects.order_by("pk")] + [
        r.scan for r in Recognition.objects.exclude(scan="").order_by("pk")]
    out = {}
    for field in stored:
        with field.storage.open(field.name, "rb") as handle:
            out[field.name] = hashlib.sha256(handle.read()).hexdigest()
    return out


def reports() -> dict:
    from assessments.models import Assessment
    from assessments.programmes import programme_list
    from reports.completeness import completeness_load
    from reports.progress import progress_report

    years = sorted(set(Assessment.objects.values_list("year", flat=True)) | {2022, 2025})
    out = {}
    for programme in programme_list():
        for year in years:
            out[f"progress/{programme.code}/{year}"] = progress_report(year=year, programme=programme)
            out[f"completeness/{programme.code}/{year}"] = completeness_load(
                programme=programme, year=year, as_of=AS_OF).as_json()
    return out


def snapshot() -> dict:
    from django.utils import translation

    with translation.override("vi"):
        return {"reports": reports(), "tables": tables(), "files": files()}


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(snapshot(), ensure_ascii=False, sort_keys=True, default=str))

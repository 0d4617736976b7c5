"""Benchmark: hostile and oversized uploads through the web import (upload → preview → reload).

The upload's check is a background job; here the task backend of the test settings runs it inside the
upload's POST, so "upload" measures the store and the check together, as the worker would do them.

    .venv/bin/python scripts/bench_uploads.py                 # every case, each in a child process
    .venv/bin/python scripts/bench_uploads.py --case dimension --memory-limit-mb 4096 --timeout 300

Cases (the files are built here, in memory):
  dimension   a ~5 KB .xlsx with one data row, an empty cell at XFD1048576 and that dimension declared
  inflate     a ~1 MB .xlsx whose sheet XML inflates to ~280 MB (≈900,000 identical rows)
  duplicates  a 9.9 MB CSV of one assessment row repeated (≈200,000 rows)
  dup20k      a CSV of 20,000 copies of one assessment row (inside the row limit: 19,999 problems)
  longcells   a ~734 KB .xlsx whose every cell but the code and year is one 1 MB text of random letters,
              stored once in the shared strings (within every limit but the length of one cell)

Each case runs in a child process limited to --memory-limit-mb of address space (a gunicorn
worker's budget) and --timeout seconds; a child that runs out prints its MemoryError. For each step
it prints the HTTP status, the time, the peak resident memory above the baseline and the size of the
page, and for the upload the bytes of the problems it stored. Scratch SQLite database with Hoà Bình and the
template criteria; not part of `make test`.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchutil import ROOT, django_setup, measured  # noqa: E402

CASES = ("dimension", "inflate", "duplicates", "dup20k", "longcells")
HEADER = ["commune_code", "year", "stage"] + [f"c{n}" for n in range(1, 17)]


def tiny_xlsx(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def replace_member(data: bytes, name: str, write) -> bytes:
    """A copy of the zip `data` where member `name` is written by `write(file)` (streamed, deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                       compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == name:
                member = zipfile.ZipInfo(name)
                member.compress_type, member.compress_level = zipfile.ZIP_DEFLATED, 9
                with target.open(member, "w", force_zip64=True) as fh:
                    write(fh, source.read(name))
            else:
                target.writestr(info, source.read(info.filename))
    return out.getvalue()


SHARED_STRINGS = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
                  b'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>%s</t></si></sst>')


def long_cells(code: str, rows: int = 200) -> bytes:
    """Every cell but the code and year refers to shared string 0, one 1 MB text that hardly compresses."""
    import random
    import re

    text = "".join(random.Random(18).choices("abcdefghijklmnopqrstuvwxyz", k=2**20)).encode()
    data = tiny_xlsx([HEADER] + [[code, "2024"] + ["LONG"] * 17] * rows)
    edits = {
        "xl/worksheets/sheet1.xml": lambda xml: re.sub(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>LONG</t></is></c>',
                                                       rb'<c r="\1" t="s"><v>0</v></c>', xml),
        "[Content_Types].xml": lambda xml: xml.replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                         b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": lambda xml: xml.replace(
            b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/'
                                 b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info.filename, edits[info.filename](content) if info.filename in edits else content)
        target.writestr("xl/sharedStrings.xml", SHARED_STRINGS % text)
    return out.getvalue()


def build(case: str, code: str) -> tuple[str, bytes]:
    row = [code, "2024", "verified"] + ["1"] * 16
    if case == "longcells":
        return "longcells.xlsx", long_cells(code)
    if case == "dimension":
        data = tiny_xlsx([HEADER, row])

        def declare(fh, xml):
            # The dimension Excel writes when a cell far away was once formatted, and that (empty) cell.
            xml = xml.replace(b'<dimension ref="A1:S2"/>', b'<dimension ref="A1:XFD1048576"/>')
            fh.write(xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'))
        return "dimension.xlsx", replace_member(data, "xl/worksheets/sheet1.xml", declare)
    if case == "inflate":
        data = tiny_xlsx([HEADER])
        cells = "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in row)
        line = f"<row>{cells}</row>".encode()

        def inflate(fh, xml):
            head, tail = xml.split(b"</sheetData>")
            fh.write(head.replace(b'<dimension ref="A1:S1"/>', b""))
            for _ in range(280 * 2**20 // len(line)):
                fh.write(line)
            fh.write(b"</sheetData>" + tail)
        return "inflate.xlsx", replace_member(data, "xl/worksheets/sheet1.xml", inflate)
    line = (",".join(row) + "\r\n").encode()
    count = 20_000 if case == "dup20k" else int(9.9 * 2**20) // len(line)
    return f"{case}.csv", (",".join(HEADER) + "\r\n").encode() + line * count


def prepare(path: Path) -> None:
    django_setup(f"sqlite:///{path}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_divisions", stdout=io.StringIO())  # the provinces the programmes name
    call_command("load_criteria", stdout=io.StringIO())


def run_case(case: str, path: Path) -> dict:
    django_setup(f"sqlite:///{path}")
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Role, User
    from assessments.programmes import programme_default, units_in_programmes
    from communes.models import Unit

    default = programme_default()
    members = [unit_id for unit_id, programmes in units_in_programmes(None, 2024).items() if default in programmes]
    code = str(Unit.objects.filter(id__in=members).order_by("code").values_list("code", flat=True).first())
    name, data = build(case, code)
    user = User.objects.create_user(f"bench-{case}", role=Role.ADMIN)
    client = Client()
    client.force_login(user)
    report = {"case": case, "file": name, "file_bytes": len(data)}
    if name.endswith(".xlsx"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            report["inflated_bytes"] = sum(i.file_size for i in archive.infolist())
    upload = io.BytesIO(data)
    upload.name = name
    with measured() as step:
        response = client.post(reverse("data_exchange:import"), {"upload-kind": "assessments", "upload-file": upload})
    report["upload"] = {"status": response.status_code, "seconds": step.seconds, "peak": step.peak_bytes}
    from data_exchange.models import PendingImport

    stored = PendingImport.objects.order_by("-created_at").first()
    if stored is not None:
        report["upload"]["stored_bytes"] = len(json.dumps(stored.problems, ensure_ascii=False).encode())
    location = response.get("Location")
    if location and "/jobs/" in location:  # the check job's page: its result is the preview
        location = client.get(location.rstrip("/") + ".json").json()["result_url"]
    if location:
        for label in ("preview", "reload"):
            with measured() as step:
                page = client.get(location)
            report[label] = {"status": page.status_code, "seconds": step.seconds, "peak": step.peak_bytes,
                             "page_bytes": len(page.content), "problem_lines": page.content.count(b"<li>")}
    return report


def describe(report: dict) -> str:
    lines = [f"{report['case']}: {report['file']} {report['file_bytes'] / 2**10:,.0f} KiB"
             + (f", inflates to {report['inflated_bytes'] / 2**20:,.0f} MiB" if "inflated_bytes" in report else "")]
    for label in ("upload", "preview", "reload"):
        if label in report:
            s = report[label]
            extra = f", page {s['page_bytes'] / 2**10:,.0f} KiB, {s['problem_lines']} <li>" if "page_bytes" in s else ""
            extra += f", problems stored {s['stored_bytes'] / 2**10:,.1f} KiB" if "stored_bytes" in s else ""
            lines.append(f"  {label:8} HTTP {s['status']}  {s['seconds']:6.2f} s  peak +{s['peak'] / 2**20:6.0f} MiB{extra}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--case", choices=CASES + ("all",), default="all")
    parser.add_argument("--memory-limit-mb", type=int, default=4096)
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--child", nargs=2, metavar=("CASE", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        prepare(Path(args.prepare))
        return
    if args.child:
        try:
            print(json.dumps(run_case(args.child[0], Path(args.child[1]))))
        except MemoryError:
            print(json.dumps({"case": args.child[0], "error": "MemoryError"}))
        return

    scratch = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
    template = scratch / "template.sqlite3"
    subprocess.run([sys.executable, __file__, "--prepare", str(template)], check=True, cwd=ROOT)
    limit = args.memory_limit_mb * 2**20

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    for case in CASES if args.case == "all" else (args.case,):
        db = scratch / f"{case}.sqlite3"
        shutil.copy(template, db)
        started = time.perf_counter()
        try:
            done = subprocess.run([sys.executable, __file__, "--child", case, str(db)], cwd=ROOT, preexec_fn=cap,
                                  capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(f"{case}: no answer after {args.timeout} s (killed)")
            continue
        lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
        if not lines:
            tail = (done.stderr.strip().splitlines() or ["?"])[-1]
            print(f"{case}: child failed after {time.perf_counter() - started:.1f} s (exit {done.returncode}): {tail}")
            continue
        report = json.loads(lines[-1])
        if "error" in report:
            print(f"{case}: {report['error']} after {time.perf_counter() - started:.1f} s "
                  f"(address space limit {args.memory_limit_mb} MiB)")
        else:
            print(describe(report))
    shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

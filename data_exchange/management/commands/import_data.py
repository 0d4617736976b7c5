"""import_data {assessments,recognitions,registrations,models} FILE [--user USERNAME] (DESIGN §5)."""

import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from data_exchange.importing import KINDS
from data_exchange.reading import Limits
from data_exchange.services import ImportRejected, data_import
from operations.logs import event


class Command(BaseCommand):
    help = (
        "Import a CSV (UTF-8, with or without BOM) or .xlsx file, all or nothing. Formats: "
        "assessments = commune_code,year,stage,c1,...,cN; recognitions = commune_code,level,decision_number,"
        "decision_date,issued_by; registrations = commune_code,year; models = commune_code,year,model_code,count. On any bad row nothing is written, one line "
        "per problem is printed as 'row N, column X: reason' (N is the spreadsheet row number, the header row "
        "being row 1; the first IMPORT_MAX_PROBLEMS problems, then how many more) and the exit status is 1. "
        "The file is read as a stream: no limit on its rows (a backup of any size); the other IMPORT_MAX_* "
        "limits (columns, one cell's length, the compression ratio of an .xlsx) apply."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", help="a .csv or .xlsx file")
        parser.add_argument(
            "--user", metavar="USERNAME",
            help="import as this portal user (their scope, role and name in the history); default: whole "
                 "database, no user",
        )

    def handle(self, *args, kind, file, user=None, **options):
        path = Path(file)
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {user!r}")
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        event("import.started", kind=kind, file_name=path.name, bytes=size, source="command")
        try:
            with path.open("rb") as source:  # read as a stream: a backup of any size, in bounded memory
                plan = data_import(kind=kind, name=path.name, data=source, actor=actor,
                                   limits=Limits.for_command_line())
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        except ImportRejected as rejected:
            plan = rejected.plan
            event("import.rejected", level=logging.WARNING, kind=kind, file_name=path.name,
                  problems=plan.problem_count, source="command")
            for problem in plan.problems:  # the first IMPORT_MAX_PROBLEMS, by row
                self.stderr.write(str(problem))
            if plan.more_problems:
                self.stderr.write(f"… and {plan.more_problems} more problem(s).")
            raise CommandError(f"{path.name}: {plan.problem_count} problem(s), nothing imported.", returncode=1) from None
        totals = plan.totals()
        event("import.done", kind=kind, file_name=path.name, source="command", **{f"rows_{k}": v for k, v in totals.items()})
        self.stdout.write(
            f"{path.name}: {kind} created {totals['created']}, updated {totals['updated']}, "
            f"unchanged {totals['unchanged']}, empty rows skipped {plan.skipped_rows}."
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.loaders import DataFileError, criteria_load, default_criteria_files, programmes_load


class Command(BaseCommand):
    help = (
        "Without FILE: load every programme of assessments/data/programmes/ and its template criteria set. "
        "With FILE: load one criteria set (e.g. the province's official text) for the programme it names. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")

    def handle(self, *args, file=None, **options):
        try:
            if file is None:
                for programme, changed in programmes_load():
                    self.stdout.write(f"Chương trình {programme.code}: {programme.name}; {changed} thay đổi.")
                files = default_criteria_files()
            else:
                files = [Path(file)]
            for path in files:
                criteria_set, changes = criteria_load(path)
                self.stdout.write(
                    f"{criteria_set} [{criteria_set.programme.code}] — {criteria_set.criteria.count()} tiêu chí; "
                    f"{changes} thay đổi."
                )
        except DataFileError as exc:
            raise CommandError(str(exc)) from None

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.loaders import DEFAULT_CRITERIA_FILE, DataFileError, criteria_load


class Command(BaseCommand):
    help = "Load a criteria set (programme, set, criteria) from a JSON data file. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_CRITERIA_FILE))

    def handle(self, *args, file, **options):
        try:
            criteria_set, changes = criteria_load(Path(file))
        except DataFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"{criteria_set} — {criteria_set.criteria.count()} tiêu chí; {changes} thay đổi."
        )

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.loaders import DEFAULT_TARGETS_FILE, DataFileError, targets_load


class Command(BaseCommand):
    help = "Load the targets of Resolution 12/NQ-TU (keyed by target key). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_TARGETS_FILE))

    def handle(self, *args, file, **options):
        try:
            created, total = targets_load(Path(file))
        except DataFileError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Mục tiêu: {total} trong tệp, tạo mới {created}.")

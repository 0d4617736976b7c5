from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.loaders import DataFileError, default_target_files, targets_load


class Command(BaseCommand):
    help = "Load the targets of every programme (or of one FILE), keyed by programme and target key. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")

    def handle(self, *args, file=None, **options):
        files = [Path(file)] if file else default_target_files()
        try:
            for path in files:
                programme, created, total = targets_load(path)
                self.stdout.write(f"Mục tiêu [{programme.code}]: {total} trong tệp, tạo mới {created}.")
        except DataFileError as exc:
            raise CommandError(str(exc)) from None

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inventory.services import MODEL_TYPES_FILE, model_types_load


class Command(BaseCommand):
    help = "Load the self-management model types (inventory/data/model_types.json or FILE), keyed by code. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?")

    def handle(self, *args, file=None, **options):
        path = Path(file) if file else MODEL_TYPES_FILE
        try:
            created, total = model_types_load(path)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{path}: {exc}") from None
        self.stdout.write(f"Loại mô hình tự quản: {total} trong tệp, tạo mới {created}.")

"""export_data {assessments,recognitions,registrations,models} FILE (DESIGN §5): the import format."""

from django.core.management.base import BaseCommand, CommandError

from data_exchange.formats import FileFormatError, file_format
from data_exchange.importing import KINDS
from data_exchange.selectors import export_save


class Command(BaseCommand):
    help = (
        "Write all data of one kind in the import format (.csv with a UTF-8 BOM, or .xlsx, by the file's "
        "extension), so that import_data reads it back. Assessments: verified ones as stage 'verified' with "
        "the verified results, submitted and returned ones as stage 'self' with the self results; drafts are "
        "not exported. Recognitions: revoked decisions are not exported (the format has no revocation column)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", help="a .csv or .xlsx file to write")
        parser.add_argument("--year", type=int, help="only this year (decision year for recognitions)")

    def handle(self, *args, kind, file, year=None, **options):
        try:
            fmt = file_format(file)
        except FileFormatError as exc:
            raise CommandError(str(exc)) from None
        try:
            with open(file, "wb") as out:
                export_save(kind=kind, fmt=fmt, out=out, year=year)
        except OSError as exc:
            raise CommandError(f"cannot write {file}: {exc.strerror}") from None
        self.stdout.write(f"{file}: {kind} written.")

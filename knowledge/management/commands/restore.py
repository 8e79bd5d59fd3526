from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from knowledge.backup import restore


class Command(BaseCommand):
    help = (
        "Replace the database's content with a backup made by `backup` (one transaction: "
        "if the file cannot be loaded, nothing changes). Run `migrate` first on a new database."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, file, interactive=True, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such backup file: {path}")
        if interactive:
            answer = input(f"This replaces everything in the database with {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            restore(path)
        except Exception as error:
            raise CommandError(f"Restore failed, the database is unchanged: {error}") from error
        self.stdout.write(f"Restored from {path}.")

"""Load the shipped knowledge (kb/data/*.yaml) idempotently."""

from django.core.management.base import BaseCommand, CommandError

from kb.services import KnowledgeError, default_data_files, load_knowledge


class Command(BaseCommand):
    help = (
        "Load the knowledge drawn from the source articles. Records are matched by slug and "
        "updated in place; nothing is deleted. One transaction: an error changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Data files (default: kb/data/*.yaml).")

    def handle(self, *args, **options):
        files = options["files"] or default_data_files()
        try:
            report = load_knowledge(files)
        except KnowledgeError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Knowledge loaded: {report.changed} record(s) created or updated."))
        else:
            self.stdout.write(self.style.SUCCESS("Knowledge already up to date: nothing changed."))

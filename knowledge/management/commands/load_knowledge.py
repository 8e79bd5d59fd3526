"""Load the shipped knowledge (knowledge/data/*.yaml) idempotently."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from knowledge.loader import KnowledgeError, default_data_files, load_knowledge


class Command(BaseCommand):
    help = (
        "Load the knowledge drawn from the source articles. Records are matched by slug and "
        "updated in place; nothing is deleted. One transaction: an error changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Data files (default: knowledge/data/*.yaml).")

    def handle(self, *args, **options):
        files = options["files"] or default_data_files()
        try:
            report = load_knowledge(files)
        except KnowledgeError as exc:
            raise CommandError(_("Nothing was loaded. %(error)s") % {"error": exc}) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            message = ngettext(
                "Knowledge loaded: %(count)d record created or updated.",
                "Knowledge loaded: %(count)d records created or updated.",
                report.changed,
            ) % {"count": report.changed}
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(self.style.SUCCESS(_("Knowledge already up to date: nothing changed.")))

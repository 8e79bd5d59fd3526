"""Index every public record again for the site search (kb.search_index)."""

from django.core.management.base import BaseCommand

from kb.search_index import rebuild


class Command(BaseCommand):
    help = "Rebuild the site search's index from the records (after bulk changes made outside the admin)."

    def handle(self, *args, **options):
        counts = rebuild(stdout=self.stdout if options["verbosity"] > 1 else None)
        self.stdout.write(self.style.SUCCESS(f"Search index rebuilt: {sum(counts.values())} records."))

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from knowledge.backup import backup


class Command(BaseCommand):
    help = "Write the whole knowledge base (with history and staff users) to a gzip YAML backup file (.yaml.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Default: backups/kb-<date>-<time>.yaml.gz")

    def handle(self, *args, file=None, **options):
        if not file:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            file = Path("backups") / f"kb-{stamp}.yaml.gz"
        path = Path(file)
        if not path.name.endswith(".yaml.gz"):
            raise CommandError(f"A backup file name ends with .yaml.gz: {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        backup(path)
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size} bytes).")

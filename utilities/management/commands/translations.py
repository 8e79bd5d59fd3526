"""``manage.py translations update`` (``make messages``) and
``manage.py translations check`` (``make i18n-check``). See kb/translations.py."""

import os

from django.core.management.base import BaseCommand, CommandError

from utilities import translations


class Command(BaseCommand):
    help = (
        "update: extract the interface's messages into locale/fr/LC_MESSAGES/django.po and compile django.mo. "
        "check: fail when a French message is untranslated or fuzzy, when makemessages would add a message "
        "the catalogue lacks, or when django.mo is stale."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["update", "check"])

    def handle(self, *args, action, **options):
        if action == "update":
            try:
                translations.update_catalogue()
            except RuntimeError as exc:
                raise CommandError(str(exc)) from exc
            problems = translations.check_catalogue(extract=False)
            self.stdout.write(f"Updated {translations.po_path()} and its .mo.")
            if problems:
                self.stdout.write(f"{len(problems)} message(s) to translate (then run `make messages` again):")
                for problem in problems:
                    self.stdout.write(f"  - {problem}")
            return
        missing = translations.gettext_tools_missing()
        extract = not missing
        if missing:
            message = f"GNU gettext is not installed (missing {', '.join(missing)}; Debian: apt-get install gettext)"
            if os.environ.get("CI") == "true":
                raise CommandError(message + ": CI needs it to check the catalogue.")
            self.stderr.write(message + ": skipping the makemessages comparison.")
        problems = translations.check_catalogue(extract=extract)
        if problems:
            for problem in problems:
                self.stderr.write(f"- {problem}")
            raise CommandError(f"The French catalogue has {len(problems)} problem(s).")
        self.stdout.write(self.style.SUCCESS("The French catalogue is complete and compiled."))

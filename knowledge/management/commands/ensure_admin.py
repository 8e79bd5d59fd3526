"""Create a superuser ``admin`` with a random password on a database that has
no user yet, and print the password once. Does nothing otherwise."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create the first superuser 'admin' with a random password (printed once) if no user exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        User = get_user_model()
        if User.objects.exists():
            self.stdout.write(_("Users already exist; no superuser created."))
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(options["username"], email="", password=password)
        bar = "=" * 60
        self.stdout.write(self.style.SUCCESS(bar))
        self.stdout.write(
            self.style.SUCCESS(
                _("Created superuser '%(username)s' with password: %(password)s")
                % {"username": options["username"], "password": password}
            )
        )
        self.stdout.write(self.style.SUCCESS(_("Log in at /admin/. This password is shown only once.")))
        self.stdout.write(self.style.SUCCESS(bar))

"""Run inside a database's environment (DATABASE_URL set) by bench/run.py:

python bench/probe.py setup          -> JSON: slugs for record URLs, admin session cookie
python bench/probe.py queries URL..  -> JSON: SQL queries per URL (Django test client)

bench/run.py runs ``queries`` with the server-side caches off (KB_HTTP_CACHE=0,
KB_FRAGMENT_CACHE_SECONDS=0): the counts are those of a full render, after one
warm-up request (content types, sessions) as a running server would be.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def setup():
    from partners.models import Partner
    from programs.models import Program, ProgramEvent, Tier
    from sources.models import Source
    from vendors.models import Person, Vendor

    def middle(qs):
        n = qs.count()
        return qs.order_by("pk")[n // 2] if n else None

    tier = middle(Tier.objects.published().filter(program__slug__startswith="demo-").select_related("program"))
    programs = list(Program.objects.published().filter(slug__startswith="demo-").order_by("pk")[:2])
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    def per_page(url, default=50):
        from django.urls import resolve

        view = getattr(resolve(url).func, "view_class", None)
        return getattr(view, "paginate_by", None) or default

    from django.contrib import admin
    from django.urls import reverse

    from partners.models import Membership

    changelists = []
    for model in sorted(admin.site._registry, key=lambda m: m._meta.label_lower):
        opts = model._meta
        if opts.app_label in ("vendors", "programs", "partners", "sources"):
            changelists.append(
                (
                    f"{opts.verbose_name_plural} changelist",
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                )
            )
    changelists.append(("programs changelist, filtered", "/admin/programs/program/?status__exact=active"))
    changelists.append(("partners changelist, searched", "/admin/partners/partner/?q=France"))

    return {
        "programs_per_page": per_page("/programs/"),
        "partners_per_page": per_page("/partners/"),
        "events_per_page": per_page("/timeline/", 100),
        "events": ProgramEvent.objects.published().count(),
        "changelists": changelists,
        "counts": {
            "programs_total": Program.objects.count(),
            "partners_total": Partner.objects.count(),
            "memberships_total": Membership.objects.count(),
            "events_total": ProgramEvent.objects.count(),
        },
        "vendor": middle(Vendor.objects.published().filter(slug__startswith="demo-")).slug,
        "program": tier.program.slug,
        "tier": tier.slug,
        "partner": middle(Partner.objects.published().filter(slug__startswith="demo-")).slug,
        "person": middle(Person.objects.published().filter(slug__startswith="demo-")).slug,
        "source": middle(Source.objects.published().filter(slug__startswith="demo-")).slug,
        "event": middle(ProgramEvent.objects.published().filter(slug__startswith="demo-")).slug,
        "compare": [p.slug for p in programs],
        "partners": Partner.objects.count(),
        "programs": Program.objects.count(),
        "session": client.cookies["sessionid"].value,
    }


def queries(urls):
    # The host the benchmark's server answers on (DEBUG is off: "testserver"
    # would be refused by ALLOWED_HOSTS with a 400 and no query at all).
    client = Client(HTTP_HOST="127.0.0.1")
    user = get_user_model().objects.get(username="bench-admin")
    counts = {}
    for url in urls:
        c = client
        if url.startswith("/admin/"):
            c = Client(HTTP_HOST="127.0.0.1")
            c.force_login(user)
        c.get(url)  # warm-up (content types, sessions) as a server would be
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(url)
            if response.streaming:
                b"".join(response.streaming_content)
        counts[url] = {"queries": len(ctx), "status": response.status_code}
    return counts


if __name__ == "__main__":
    command = sys.argv[1]
    result = setup() if command == "setup" else queries(sys.argv[2:])
    print(json.dumps(result))

"""Benchmark: sending a message to the whole district, at district and académie scale.

    .venv/bin/python bench/mail_send.py                  # a throwaway SQLite database
    DATABASE_URL=postgres://root@127.0.0.1:5432/ent_bench .venv/bin/python bench/mail_send.py

Builds, in a database of its own (created and dropped by Django's test-database machinery), the
district's people at two scales — 250 people (the demo) and 15,000 (an académie) — and sends one
message to « Toute la circonscription » at each, through the real services:

* the request: ``draft_save`` + ``message_send`` (what the person waits for when pressing
  « Envoyer »), which must stay well under 2 s whatever the audience;
* the delivery: ``message_deliver`` (the task, 15 seconds later): one Message row, one Delivery per
  person in bulk, the notifications.

It prints, measured in this one run, the time and the number of queries of each step at both
scales, and the ratios académie ÷ district. Not a test: the figures depend on the machine; the
ratios say how the cost grows (the request should not grow; the delivery grows with the rows it
writes, in batches of 1,000, so its query count grows by one per batch and no more).
"""

import os
import sys
import time
import uuid
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench-mail.sqlite3'}")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

SCALES = {"district": 250, "académie": 15_000}
SCALES_OFFSET = {"dis": 8_600_000, "aca": 8_700_000}  # UAIs of their own (unique), one range per scale


def build_people(count: int, tag: str):
    from accounts.models import Membership, Role, Structure, User

    district = the_district()
    schools_needed = max(1, count // 10)
    schools = Structure.objects.bulk_create(
        [
            Structure(
                district=district,
                code=f"{tag}-{n}",
                kind=Structure.Kind.SCHOOL,
                name=f"École {tag} {n}",
                uai=_uai(SCALES_OFFSET[tag] + n),
                school_type=Structure.SchoolType.PRIMAIRE,
                commune="Lencloître",
            )
            for n in range(schools_needed)
        ],
        batch_size=1000,
    )
    users = User.objects.bulk_create(
        [
            User(email=f"{tag}.{n}@bench.ent.fr", first_name="Prénom", last_name=f"Nom {n}", is_active=True)
            for n in range(count)
        ],
        batch_size=1000,
    )
    start = timezone.localdate()
    Membership.objects.bulk_create(
        [
            Membership(
                user=user,
                structure=schools[n % len(schools)],
                role=Role.DIRECTOR if n < len(schools) else Role.TEACHER,
                start_date=start,
            )
            for n, user in enumerate(users)
        ],
        batch_size=1000,
    )
    return users


def the_district():
    from accounts.models import District

    return District.objects.first() or District.objects.create(name="Circonscription d’essai", academie="poitiers")


def _uai(number: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    digits = f"{number:07d}"
    return f"{digits}{letters[int(digits) % 23]}"


def analyse():
    """Statistics for the planner, as a live database has them (the rows were just bulk-inserted)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def district_team_sender():
    from accounts.models import Membership, Role, Structure, User

    team = Structure.objects.filter(kind=Structure.Kind.DISTRICT_TEAM).first()
    if team is None:
        team = Structure.objects.create(
            district=the_district(),
            kind=Structure.Kind.DISTRICT_TEAM,
            code="equipe-bench",
            name="Équipe de circonscription",
        )
    ien, _ = User.objects.get_or_create(
        email="ien@bench.ent.fr", defaults={"first_name": "Annie", "last_name": "Jussaume", "is_active": True}
    )
    Membership.objects.get_or_create(
        user=ien, structure=team, role=Role.IEN, defaults={"start_date": timezone.localdate()}
    )
    return ien


def _not_queued(task, calls, **options):
    return len(list(calls))


def measure(sender, label: str) -> dict:
    from mail.models import Message
    from mail.services import draft_save, message_deliver, message_send

    with CaptureQueriesContext(connection) as request_queries:
        began = time.perf_counter()
        draft = draft_save(
            actor=sender,
            subject=f"À toute la circonscription ({label})",
            body="<p>Bonjour à toutes et à tous,</p><p>Un message de la circonscription.</p>",
            addressing={"to": ["district"]},
        )
        message = message_send(actor=sender, message=draft, send_key=uuid.uuid4())
        request_seconds = time.perf_counter() - began
    # The delivery's own transaction, timed up to its commit; what it queues then (the immediate
    # e-mails, sent by the worker's other tasks) is left out of the figure and not run here.
    with CaptureQueriesContext(connection) as deliver_queries, mock.patch("ent.queue.enqueue_each", _not_queued):
        began = time.perf_counter()
        message = message_deliver(Message.objects.get(pk=message.pk))
        deliver_seconds = time.perf_counter() - began
    return {
        "recipients": message.recipient_count,
        "request_s": request_seconds,
        "request_q": len(request_queries),
        "deliver_s": deliver_seconds,
        "deliver_q": len(deliver_queries),
    }


def main():
    from django.conf import settings
    from django.test.utils import get_runner

    setup_test_environment()
    settings.CELERY_TASK_ALWAYS_EAGER = True
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        sender = district_team_sender()
        results = {}
        previous = 0
        for label, count in SCALES.items():
            build_people(count - previous, tag=label[:3])
            previous = count
            analyse()
            results[label] = measure(sender, label)
    finally:
        runner.teardown_databases(old)
    print(f"Envoi à toute la circonscription ({connection.vendor})")
    print(
        f"{'échelle':<10} {'destinataires':>13} {'requête (s)':>12} {'req. SQL':>9} {'distribution (s)':>17} {'distr. SQL':>11}"
    )
    for label, r in results.items():
        print(
            f"{label:<10} {r['recipients']:>13} {r['request_s']:>12.3f} {r['request_q']:>9} "
            f"{r['deliver_s']:>17.3f} {r['deliver_q']:>11}"
        )
    d, a = results["district"], results["académie"]
    print(
        f"académie ÷ district : requête {a['request_s'] / d['request_s']:.2f}× ({a['request_q']} / {d['request_q']} requêtes SQL), "
        f"distribution {a['deliver_s'] / d['deliver_s']:.1f}× pour {a['recipients'] / d['recipients']:.0f}× plus de destinataires "
        f"({a['deliver_q']} / {d['deliver_q']} requêtes SQL)"
    )
    print(f"requête à l’échelle de l’académie : {a['request_s']:.3f} s (objectif : moins de 2 s)")


if __name__ == "__main__":
    main()

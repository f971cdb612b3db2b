"""Benchmark: the main pages at district and académie scale, against an ideal page, on the production shape.

    make bench                                   # the whole run (a few minutes)
    .venv/bin/python bench/pages.py --scale 0.1  # a quick run: the académie at a tenth of its size

Builds two PostgreSQL databases of its own (dropped and created again at each run): the district,
which is the demo (``seed_demo``: 59 schools, about 250 people), and the académie, a copy of the
demo grown in bulk to 1,500 schools, 12,000 people, 1,616 news posts, 4,040 blog posts, 3,030
events and 140,000 notifications (``--scale`` multiplies these targets). Then, for each, serves
the site the production way (gunicorn, two workers, DEBUG off, the Redis cache) and measures, for
a director, the CPU milliseconds the gunicorn workers spend per request on each page (their
``utime + stime`` in ``/proc`` before and after the requests, divided by their number; the servers
of both scales and of the ideal page asked in turns, the median of ``--rounds`` rounds kept),
and the queries of each page (counted in a process of its own with Django's test client on the
same database). The ideal page (``bench/ideal_urls.py``: no middleware, one indexed query of 20
posts, one small template) is served and measured the same way on the académie database.

The table it prints says, per page, whether the targets are met: ideal ÷ page ≥ 0.4, académie ÷
district ≤ 1.5, the same number of queries at both scales and at most 12. A second table gives the
same pages redrawn with nothing kept (every value of ``ent.versions.cached`` dropped before each
request: the first visit of a day), for the record. Not a test: CPU time depends on the machine;
the ratios, measured in the same run, are what to compare.

Environment: ``BENCH_POSTGRES`` (default ``postgres://root@127.0.0.1:5432``, a role that may
create databases), ``BENCH_REDIS_URL`` (default ``redis://127.0.0.1:6379/7``: the district's
cache, the académie's in the next database; only these two are flushed).
"""

import argparse
import copy
import datetime as dt
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
DIRECTOR = "directeur@demo.ent.fr"
DATABASES = {"district": "ent_bench_district", "académie": "ent_bench_academie"}
ACADEMIE = {
    "schools": 1_500,
    "people": 12_000,
    "news": 1_616,
    "blog_posts": 4_040,
    "events": 3_030,
    "notifications": 140_000,
}
PAGES = [
    ("Accueil (directeur)", "/"),
    ("Fil « pédagogie »", "/actualites/pedagogie/"),
    ("Fil « directeurs »", "/actualites/directeurs/"),
    ("Frise", "/frise/"),
    ("Blog « L’outil numérique »", "/blogs/outil-numerique-de-la-semaine/"),
    ("Écoles", "/ecoles/"),
    ("Notifications", "/notifications/"),
    ("Messagerie", "/messagerie/"),
    ("Cahier (une page)", None),  # the first published page of the demo's first notebook
    ("Aide (le cadre seul, ou presque)", "/aide/"),  # the frame's cost: a short list of help pages in it
]
TARGET_IDEAL_RATIO = 0.4
TARGET_GROWTH = 1.5
TARGET_QUERIES = 12


# --- In a process of its own, with Django set up on one database ------------------------------


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")
    import django

    django.setup()


def _clone(obj, **fields):
    clone = copy.copy(obj)
    clone.pk = None
    clone.id = None
    clone._state = copy.copy(obj._state)
    clone._state.adding = True
    for name, value in fields.items():
        setattr(clone, name, value)
    return clone


def _copies(target: int, existing: int) -> int:
    """How many copies of each existing row bring ``existing`` rows to about ``target``."""
    return max(0, round(target / existing) - 1) if existing else 0


def build_academie(scale: float) -> dict:
    """Grows the demo (already in this database) to the académie's size, in bulk."""
    _setup()
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from accounts.demo import DEMO_PASSWORD, _school_year_start
    from accounts.models import District, Membership, Role, Structure, User
    from accounts.validators import uai_check_letter
    from blogs.models import Post as BlogPost
    from news.models import Post as NewsPost
    from notifications.models import Notification
    from timeline.models import Event

    targets = {key: int(value * scale) for key, value in ACADEMIE.items()}
    started = time.monotonic()
    with transaction.atomic():
        district = District.objects.get()
        # Schools: 7 UAI digits of a range the demo's (0869xxx) never uses, with their check letter.
        needed = max(0, targets["schools"] - Structure.objects.filter(kind=Structure.Kind.SCHOOL).count())
        kinds = [Structure.SchoolType.MATERNELLE, Structure.SchoolType.ELEMENTAIRE, Structure.SchoolType.PRIMAIRE]
        schools = []
        for n in range(needed):
            first_seven = f"08{10_000 + n:05d}"
            uai = first_seven + uai_check_letter(first_seven)
            schools.append(
                Structure(
                    district=district,
                    kind=Structure.Kind.SCHOOL,
                    code=uai.lower(),
                    uai=uai,
                    name=f"École de l’académie n° {n + 1}",
                    school_type=kinds[n % 3],
                    commune=f"Commune {n // 3 + 1}",
                    postal_code="86000",
                )
            )
        schools = Structure.objects.bulk_create(schools, batch_size=1000)

        # People: a director in each new school, then teachers, one hash for all (as the demo does).
        needed = max(0, targets["people"] - User.objects.count())
        password = make_password(DEMO_PASSWORD)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"personne.{n}@academie.ent.fr",
                    first_name="Dominique",
                    last_name=f"Académie {n}",
                    password=password,
                    is_active=True,
                )
                for n in range(needed)
            ],
            batch_size=2000,
        )
        start = _school_year_start()
        memberships = []
        for n, user in enumerate(users):
            if schools:
                school = schools[n % len(schools)]
                role = Role.DIRECTOR if n < len(schools) else Role.TEACHER
                memberships.append(Membership(user=user, structure=school, role=role, start_date=start))
        Membership.objects.bulk_create(memberships, batch_size=2000)

        # News posts: each demo post again, published a day earlier per copy, same audience.
        originals = list(NewsPost.objects.all())
        audiences = _m2m(NewsPost.audience_structures.through, "post_id", "structure_id")
        copies, clones = _copies(targets["news"], len(originals)), []
        for k in range(1, copies + 1):
            for post in originals:
                shift = dt.timedelta(days=k)
                clones.append(
                    _clone(
                        post,
                        slug=f"{post.slug[:200]}-copie-{k}",
                        published_at=post.published_at and post.published_at - shift,
                        created_at=post.created_at - shift,
                        pinned=False,
                    )
                )
        _bulk_with_m2m(
            NewsPost,
            clones,
            originals,
            copies,
            audiences,
            NewsPost.audience_structures.through,
            "post_id",
            "structure_id",
        )

        # Blog posts: the same, in the same blogs (a weekly series keeps one post per week).
        originals = list(BlogPost.objects.all())
        tags = _m2m(BlogPost.tags.through, "post_id", "tag_id")
        earliest = {}
        for post in originals:
            if post.week_start:
                earliest[post.blog_id] = min(earliest.get(post.blog_id, post.week_start), post.week_start)
        copies, clones = _copies(targets["blog_posts"], len(originals)), []
        for k in range(1, copies + 1):
            for post in originals:
                shift = dt.timedelta(days=7 * k)
                week_start = None
                if post.week_start:
                    earliest[post.blog_id] -= dt.timedelta(days=7)
                    week_start = earliest[post.blog_id]
                clones.append(
                    _clone(
                        post,
                        slug=f"{post.slug[:60]}-copie-{k}",
                        week_start=week_start,
                        published_at=post.published_at and post.published_at - shift,
                        created_at=post.created_at - shift,
                    )
                )
        _bulk_with_m2m(BlogPost, clones, originals, copies, tags, BlogPost.tags.through, "post_id", "tag_id")

        # Events: each demo event again, same dates; a school's own event goes to a new school.
        originals = list(Event.objects.all())
        audiences = _m2m(Event.audience_structures.through, "event_id", "structure_id")
        copies, clones, moved = _copies(targets["events"], len(originals)), [], []
        for k in range(1, copies + 1):
            for n, event in enumerate(originals):
                school = schools[(k * len(originals) + n) % len(schools)] if (event.school_id and schools) else None
                clones.append(_clone(event, school=school or event.school))
                moved.append((event.school_id, school.pk if school else None))
        Event.objects.bulk_create(clones, batch_size=1000)
        through = Event.audience_structures.through
        rows = []
        for index, clone in enumerate(clones):
            original = originals[index % len(originals)]
            old_school, new_school = moved[index]
            for structure_id in audiences.get(original.pk, ()):
                if new_school and structure_id == old_school:
                    structure_id = new_school
                rows.append(through(event_id=clone.pk, structure_id=structure_id))
        through.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
        from timeline.frise_cache import frise_changed

        frise_changed()  # bulk_create bypasses the services: the frise's cached drawings are stale

        # Notifications: each person's again, earlier; beyond three rounds, to the new people.
        originals = list(Notification.objects.all())
        copies, clones = _copies(targets["notifications"], len(originals)), []
        for k in range(1, copies + 1):
            for n, notification in enumerate(originals):
                recipient = notification.recipient_id if (k <= 2 or not users) else users[(k * n) % len(users)].pk
                clones.append(
                    _clone(
                        notification,
                        recipient_id=recipient,
                        key=None,
                        created_at=notification.created_at - dt.timedelta(days=k),
                    )
                )
        Notification.objects.bulk_create(clones, batch_size=5000)
    counts = {
        "schools": Structure.objects.filter(kind=Structure.Kind.SCHOOL).count(),
        "people": User.objects.count(),
        "news": NewsPost.objects.count(),
        "blog_posts": BlogPost.objects.count(),
        "events": Event.objects.count(),
        "notifications": Notification.objects.count(),
        "seconds": round(time.monotonic() - started, 1),
    }
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def _m2m(through, owner: str, other: str) -> dict:
    rows = {}
    for owner_id, other_id in through.objects.values_list(owner, other):
        rows.setdefault(owner_id, []).append(other_id)
    return rows


def _bulk_with_m2m(model, clones, originals, copies, links, through, owner, other):
    model.objects.bulk_create(clones, batch_size=1000)
    rows = [
        through(**{owner: clone.pk, other: other_id})
        for index, clone in enumerate(clones)
        for other_id in links.get(originals[index % len(originals)].pk, ())
    ]
    through.objects.bulk_create(rows, batch_size=5000)


def prepare() -> dict:
    """The director's session, the pages' paths, and each page's queries (test client): warm, and
    with nothing kept (:func:`forgetting`)."""
    _setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench._common import session_for
    from notebooks.models import Page

    director = User.objects.get(email=DIRECTOR)
    key = session_for(director)
    page = next(p for p in Page.objects.select_related("notebook").order_by("notebook__pk", "pk") if p.is_published)
    pages = [(name, path or page.get_absolute_url()) for name, path in PAGES]
    client = Client()
    client.cookies["sessionid"] = key
    forget = forgetting(os.environ["REDIS_URL"])
    queries, redrawn = {}, {}
    for name, path in pages:
        client.get(path)  # once to warm what a page caches, as the measured requests find it
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{name} ({path}) : réponse {response.status_code}")
        queries[name] = len(captured.captured_queries)
        forget()
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        redrawn[name] = len(captured.captured_queries)
    return {"session": key, "pages": pages, "queries": queries, "redrawn": redrawn}


# --- The conductor: databases, gunicorn, the measures, the table -------------------------------


def _admin_sql(postgres: str, *statements: str):
    import psycopg

    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def _env(database_url: str, **extra) -> dict:
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL", "DEBUG"}}
    env.update(
        DATABASE_URL=database_url,
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        MEDIA_ROOT=str(ROOT / "var" / "bench" / "media"),
        # DEBUG off: the static files' names come from the manifest of a collectstatic (run below).
        STATIC_ROOT=str(ROOT / "var" / "bench" / "static"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="ent.settings",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def _run(args, env, label):
    started = time.monotonic()
    result = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"Échec : {label}")
    return result.stdout, time.monotonic() - started


def _child(mode, env, *extra):
    out, _ = _run([PYTHON, str(Path(__file__)), mode, *extra], env, mode)
    return json.loads(out.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn with two sync workers on loopback, the production way (DEBUG off, Redis cache)."""

    def __init__(self, env):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [
                GUNICORN,
                "ent.wsgi:application",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        import requests

        deadline = time.monotonic() + 90
        while True:
            try:  # the sign-in page: answered without the cache, the broker or the storage
                requests.get(self.base + "/accounts/login/", timeout=30)
                break
            except requests.RequestException:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    raise SystemExit("gunicorn n’a pas démarré.") from None
                time.sleep(0.3)
        while len(self.workers()) < 2:
            time.sleep(0.2)

    def workers(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry.name))
        return found

    def cpu_seconds(self) -> float:
        ticks = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        return ticks / os.sysconf("SC_CLK_TCK")

    def measure(self, path: str, session: str | None, count: int, *, warm_up: int = 6, before_each=None) -> float:
        """CPU milliseconds of the workers per request of ``path``, after a warm-up; ``before_each()``
        is called before every measured request (in this process: what it does is not counted)."""
        import requests

        http = requests.Session()
        if session:
            http.cookies.set("sessionid", session, domain="127.0.0.1", path="/")

        def get():
            response = http.get(self.base + path, timeout=60, allow_redirects=False)
            if response.status_code != 200:
                raise SystemExit(f"{path} : réponse {response.status_code}")

        for _ in range(warm_up):  # both workers: templates compiled, connections open
            get()
        workers = set(self.workers())
        before = self.cpu_seconds()
        for _ in range(count):
            if before_each is not None:
                before_each()
            get()
        after = self.cpu_seconds()
        if set(self.workers()) != workers:
            raise SystemExit("Un worker de gunicorn a redémarré pendant la mesure.")
        return (after - before) * 1000 / count

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)


def _redis_db(redis_url: str, offset: int) -> str:
    """The Redis database ``offset`` places after the one of ``redis_url``."""
    parts = urlsplit(redis_url)
    return parts._replace(path=f"/{int(parts.path.strip('/') or 0) + offset}").geturl()


def _flush_redis(redis_url: str):
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def forgetting(redis_url: str):
    """A function that drops every value kept in the cache of ``redis_url`` (``ent.versions.cached``:
    the kept parts of pages, the panels, the memberships), as the first visit of a day finds it, or
    a page whose every version has just changed. The versions, the sessions and what each process
    keeps for itself (the frame, the fields drawn once, the templates compiled) stay."""
    import redis

    from ent.versions import CACHED_PREFIX

    client = redis.Redis.from_url(redis_url)

    def forget():
        kept = list(client.scan_iter(match=f"*{CACHED_PREFIX}*", count=1000))
        if kept:
            client.delete(*kept)

    return forget


def resolution(requests: int, rounds: int) -> float:
    """The smallest step of a page's figure, in milliseconds per request: one tick of the clock
    that counts a process's CPU time (10 ms on Linux) spread over one round's requests. At 20
    requests a round it was 0.5 ms, a sixth of a page kept as HTML, enough to swing a ratio."""
    return 1000 / os.sysconf("SC_CLK_TCK") / max(1, requests // max(1, rounds))


def _table(cpu: dict, queries: dict, ideal: float) -> int:
    """Prints the table of ``cpu`` (per scale and page) against the targets; the pages that miss one."""
    header = ["page", "district", "académie", "idéale", "page ÷ idéale", "académie ÷ district", "requêtes", "cibles"]
    rows, missed = [], 0
    for name, _ in PAGES:
        district, academie = cpu["district"][name], cpu["académie"][name]
        ratio, growth = academie / ideal, academie / district
        count_d, count_a = queries["district"][name], queries["académie"][name]
        failed = []
        if ideal / academie < TARGET_IDEAL_RATIO:
            failed.append("idéale")
        if growth > TARGET_GROWTH:
            failed.append("croissance")
        if count_d != count_a or count_a > TARGET_QUERIES:
            failed.append("requêtes")
        missed += bool(failed)
        rows.append(
            [
                name,
                f"{district:.1f}",
                f"{academie:.1f}",
                f"{ideal:.1f}",
                f"{ratio:.1f}",
                f"{growth:.2f}",
                f"{count_d}/{count_a}",
                "atteintes" if not failed else "manquées : " + ", ".join(failed),
            ]
        )
    print("| " + " | ".join(header) + " |")
    print("| " + " | ".join("---" for _ in header) + " |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return missed


def conduct(options) -> int:
    postgres = options.postgres.rstrip("/")
    if urlsplit(postgres).hostname not in {"127.0.0.1", "localhost", "::1"}:
        raise SystemExit("Seul un PostgreSQL sur la boucle locale est accepté.")
    urls = {scale: f"{postgres}/{name}" for scale, name in DATABASES.items()}
    started = time.monotonic()

    print("Données :", flush=True)
    _admin_sql(postgres, *[f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in DATABASES.values()])
    _admin_sql(postgres, f'CREATE DATABASE "{DATABASES["district"]}"')
    env = _env(urls["district"])
    _, seconds = _run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], env, "migrate")
    print(f"  migrations : {seconds:.0f} s", flush=True)
    _, seconds = _run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"], env, "collectstatic")
    print(f"  fichiers statiques (collectstatic) : {seconds:.0f} s", flush=True)
    _, seconds = _run([PYTHON, "manage.py", "seed_demo", "--force"], env, "seed_demo")
    print(f"  district (la démo, seed_demo) : {seconds:.0f} s", flush=True)
    _admin_sql(postgres, f'CREATE DATABASE "{DATABASES["académie"]}" TEMPLATE "{DATABASES["district"]}"')
    counts = _child("--build-academie", _env(urls["académie"]), "--scale", str(options.scale))
    print(
        f"  académie (×{options.scale:g}) : {counts['schools']} écoles, {counts['people']} personnes, "
        f"{counts['news']} actualités, {counts['blog_posts']} billets, {counts['events']} événements, "
        f"{counts['notifications']} notifications, en {counts['seconds']:.0f} s",
        flush=True,
    )

    # Both scales and the ideal page served at once, measured in turns (page by page, round by
    # round): a machine slower for a while slows them all, and the median of the rounds is kept.
    # One Redis database per scale, so that neither reads what the other cached.
    redis = {"district": _redis_db(options.redis, 0), "académie": _redis_db(options.redis, 1)}
    envs = {scale: _env(url, REDIS_URL=redis[scale]) for scale, url in urls.items()}
    plans = {}
    for scale, env in envs.items():
        _flush_redis(redis[scale])
        plans[scale] = _child("--prepare", env)
    ideal_env = _env(urls["académie"], REDIS_URL=redis["académie"], DJANGO_SETTINGS_MODULE="bench.ideal_settings")
    servers = {}
    try:
        for scale, env in envs.items():
            servers[scale] = Gunicorn(env)
        servers["idéale"] = Gunicorn(ideal_env)
        samples = {}
        rounds = max(1, options.rounds)
        forget = {scale: forgetting(url) for scale, url in redis.items()}
        for turn in range(rounds):
            warm_up = 6 if turn == 0 else 0
            for scale in envs:
                for name, path in plans[scale]["pages"]:
                    per_round = max(1, options.requests // rounds)
                    figure = servers[scale].measure(path, plans[scale]["session"], per_round, warm_up=warm_up)
                    samples.setdefault((scale, name), []).append(figure)
                    # Then with nothing kept before each request (the last one keeps it all again).
                    per_round = max(1, options.redrawn_requests // rounds)
                    figure = servers[scale].measure(
                        path, plans[scale]["session"], per_round, warm_up=0, before_each=forget[scale]
                    )
                    samples.setdefault((scale, name, "redrawn"), []).append(figure)
            per_round = max(1, options.ideal_requests // rounds)
            samples.setdefault(("idéale", ""), []).append(
                servers["idéale"].measure("/", None, per_round, warm_up=warm_up)
            )
            print(f"  mesuré : tour {turn + 1} sur {rounds}", flush=True)
    finally:
        for server in servers.values():
            server.stop()
        for url in redis.values():
            _flush_redis(url)
    cpu = {
        scale: {name: statistics.median(samples[(scale, name)]) for name, _ in plans[scale]["pages"]} for scale in envs
    }
    redrawn = {
        scale: {name: statistics.median(samples[(scale, name, "redrawn")]) for name, _ in plans[scale]["pages"]}
        for scale in envs
    }
    ideal = statistics.median(samples[("idéale", "")])
    if not options.keep:
        _admin_sql(postgres, *[f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in DATABASES.values()])

    print(
        f"\nCPU des workers gunicorn par requête (ms), médiane de {options.rounds} tours, {options.requests} "
        f"requêtes par page ({options.ideal_requests} pour la page idéale), académie ×{options.scale:g}, "
        f"{time.monotonic() - started:.0f} s en tout ; résolution : {resolution(options.requests, options.rounds):.2f} ms "
        f"par requête (un tic d’horloge du système sur les requêtes d’un tour)\n"
    )
    missed = _table(cpu, {scale: plans[scale]["queries"] for scale in envs}, ideal)
    print(
        f"\nCibles : idéale ÷ page ≥ {TARGET_IDEAL_RATIO} (page ÷ idéale ≤ {1 / TARGET_IDEAL_RATIO:.1f}), "
        f"académie ÷ district ≤ {TARGET_GROWTH}, requêtes identiques aux deux échelles et ≤ {TARGET_QUERIES}."
    )
    print(f"Pages qui manquent une cible : {missed} sur {len(PAGES)}")

    print(
        f"\nLes mêmes pages redessinées, rien de gardé avant chaque requête (le premier affichage d’un "
        f"jour, ou d’une page dont toutes les données viennent de changer) : {options.redrawn_requests} "
        f"requêtes par page, résolution {resolution(options.redrawn_requests, options.rounds):.2f} ms\n"
    )
    missed = _table(redrawn, {scale: plans[scale]["redrawn"] for scale in envs}, ideal)
    print(f"\nRedessinées : {missed} sur {len(PAGES)} manquent une cible (mêmes cibles, données pour mémoire)")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="Taille de l’académie (1 : la taille entière).")
    parser.add_argument("--requests", type=int, default=600, help="Requêtes mesurées par page (en tout).")
    parser.add_argument("--rounds", type=int, default=3, help="Tours de mesure (la médiane est gardée).")
    parser.add_argument("--ideal-requests", type=int, default=1200, help="Requêtes mesurées pour la page idéale.")
    parser.add_argument(
        "--redrawn-requests", type=int, default=60, help="Requêtes mesurées par page redessinée (rien de gardé)."
    )
    parser.add_argument("--keep", action="store_true", help="Garder les deux bases à la fin.")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://root@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"))
    parser.add_argument("--build-academie", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.build_academie:
        print(json.dumps(build_academie(options.scale)))
        return 0
    if options.prepare:
        print(json.dumps(prepare()))
        return 0
    return conduct(options)


if __name__ == "__main__":
    sys.exit(main())

"""Load: 50 simulated people for 60 s against a running site on loopback, reading and writing.

    make run                                   # in one terminal (or the production shape)
    make load                                  # in another: .venv/bin/python bench/load.py --url http://127.0.0.1:8000

It must run with the server's settings (the same ``DATABASE_URL``): it signs in demo people by
writing their sessions in the database (two-factor step marked done: signing in is not what is
measured), then each simulated person loops for ``--seconds``: mostly reading (Accueil, the news
feeds, the frise, the blogs and a post, the mailbox), sometimes writing (a director acknowledges a
news post, someone comments on a blog post, writes to the district team, a teacher proposes a
post), with a short think time.

Only loopback addresses are accepted. The report prints, per page, the number of requests, p50 and
p95 in milliseconds, and the errors (any answer but the expected 200/302, or a failed connection);
the last line is the total error count, which must be 0 (the exit status is 1 otherwise).
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")

from bench._common import LOOPBACK, session_for  # noqa: E402


def prepare(people: int) -> dict:
    """Sessions for up to ``people`` active demo people, and what they will act on."""
    import django

    django.setup()

    from accounts.models import Role, User
    from blogs.models import Post as BlogPost
    from news.models import Post as NewsPost

    directors = list(User.objects.filter(is_active=True, memberships__role=Role.DIRECTOR).distinct()[: people // 2])
    teachers = list(
        User.objects.filter(is_active=True, memberships__role=Role.TEACHER).distinct()[: people - len(directors)]
    )
    if not directors or not teachers:
        sys.exit("No demo people: run `make run` (it loads the demo) before `make load`.")
    news = list(NewsPost.objects.filter(status="publie").order_by("-published_at").values_list("pk", flat=True)[:20])
    blog_posts = [
        (post.blog.slug, post.pk, post.get_absolute_url())
        for post in BlogPost.objects.filter(status="publie").select_related("blog").order_by("-published_at")[:20]
    ]
    from accounts.models import Structure

    team = Structure.objects.filter(kind=Structure.Kind.DISTRICT_TEAM).first()
    return {
        "team_token": f"s:{team.pk}" if team else None,
        "people": [("directeur", session_for(user)) for user in directors]
        + [("enseignant", session_for(user)) for user in teachers],
        "news": news,
        "blog_posts": blog_posts,
    }


class Person(threading.Thread):
    def __init__(self, base, role, session_key, plan, results, until, seed):
        super().__init__(daemon=True)
        import requests

        self.base, self.role, self.plan, self.results, self.until = base, role, plan, results, until
        self.random = random.Random(seed)
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session_key, domain=urlsplit(base).hostname, path="/")

    def call(self, page: str, method: str, path: str, data=None, expect=(200,)):
        started = time.perf_counter()
        try:
            if method == "GET":
                response = self.http.get(self.base + path, timeout=30, allow_redirects=False)
            else:
                token = self.http.cookies.get("csrftoken", "")
                response = self.http.post(
                    self.base + path,
                    data={"csrfmiddlewaretoken": token, **(data or {})},
                    headers={"X-CSRFToken": token, "Referer": self.base + path},
                    timeout=30,
                    allow_redirects=False,
                )
            # A redirect to the sign-in page is a lost session, not a success.
            ok = response.status_code in expect and "/accounts/login/" not in response.headers.get("Location", "")
        except Exception:  # a refused or cut connection is an error like any other
            ok = False
        self.results[page].append(((time.perf_counter() - started) * 1000, ok))

    def run(self):
        reads = [
            ("Accueil", "/"),
            ("Actualités pédagogiques", "/actualites/pedagogie/"),
            ("Frise", "/frise/"),
            ("Blogs", "/blogs/"),
            ("Messagerie", "/messagerie/"),
        ]
        if self.role == "directeur":  # the directors' feed is theirs only
            reads.append(("Informations aux directeurs", "/actualites/directeurs/"))
        while time.monotonic() < self.until:
            roll = self.random.random()
            if roll < 0.75 or not self.plan["blog_posts"]:
                page, path = self.random.choice(reads)
                self.call(page, "GET", path)
            elif roll < 0.82:
                slug, pk, url = self.random.choice(self.plan["blog_posts"])
                self.call("Billet de blog", "GET", url)
            elif roll < 0.90 and self.role == "directeur" and self.plan["news"]:
                pk = self.random.choice(self.plan["news"])
                self.call("Actualité (lecture)", "GET", f"/actualites/billet/{pk}/")
                # Acknowledging a post that asks for none, or twice, is refused (403/404) by design:
                # only the answers of the server being wrong (5xx, cut) count as errors here.
                self.call(
                    "Accusé de lecture",
                    "POST",
                    f"/actualites/billet/{pk}/pris-connaissance/",
                    expect=(200, 302, 403, 404),
                )
            elif roll < 0.95:
                slug, pk, url = self.random.choice(self.plan["blog_posts"])
                self.call("Billet de blog", "GET", url)
                self.call(
                    "Commentaire",
                    "POST",
                    f"/blogs/{slug}/{pk}/commenter/",
                    {"body": "Merci pour ce partage, nous allons l’essayer en classe."},
                    expect=(200, 302, 403),
                )
            elif roll < 0.975 and self.plan["team_token"]:
                self.call("Écrire (formulaire)", "GET", "/messagerie/ecrire/")
                self.call(
                    "Envoyer un message",
                    "POST",
                    "/messagerie/ecrire/",
                    {
                        "to": self.plan["team_token"],
                        "subject": "Question sur l’animation de mercredi",
                        "body": "<p>Bonjour, à quelle heure commence-t-elle ?</p>",
                        "action": "send",
                        # To a whole team the page asks « Vérifiez avant d’envoyer » first: ticked here.
                        "confirmed": "on",
                        "send_key": str(uuid.uuid4()),
                    },
                    expect=(302,),
                )
            else:
                self.call("Proposer (formulaire)", "GET", "/actualites/projets/nouveau/")
                self.call(
                    "Proposer une actualité",
                    "POST",
                    "/actualites/projets/nouveau/",
                    {
                        "title": "Projet de chorale inter-écoles",
                        "summary": "Une chorale au printemps.",
                        "body": "<p>Inscrivez vos classes.</p>",
                        "action": "submit",
                    },
                    expect=(200, 302, 403),
                )
            time.sleep(self.random.uniform(0.2, 1.0))  # the person reads before the next click


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    options = parser.parse_args()
    if urlsplit(options.url).hostname not in LOOPBACK:
        sys.exit("Only a site on loopback (127.0.0.1, localhost) may be loaded.")
    plan = prepare(options.people)
    results = defaultdict(list)
    until = time.monotonic() + options.seconds
    people = [
        Person(options.url.rstrip("/"), role, key, plan, results, until, seed)
        for seed, (role, key) in enumerate(plan["people"])
    ]
    for person in people:
        person.start()
    for person in people:
        person.join()
    errors = 0
    print(f"{len(people)} personnes simulées pendant {options.seconds:.0f} s sur {options.url}\n")
    print(f"{'page':32} {'requêtes':>9} {'p50 (ms)':>9} {'p95 (ms)':>9} {'erreurs':>8}")
    for page in sorted(results):
        times = [elapsed for elapsed, _ in results[page]]
        failed = sum(1 for _, ok in results[page] if not ok)
        errors += failed
        print(f"{page:32} {len(times):9d} {statistics.median(times):9.0f} {percentile(times, 0.95):9.0f} {failed:8d}")
    print(f"\nErreurs : {errors}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())

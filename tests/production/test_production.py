"""The production shape, broken on purpose: real PostgreSQL, Redis, S3, gunicorn, Celery and nginx
processes on loopback (``conftest.py``), reached through HTTP only, as people would."""

import re
import signal
import time
import uuid

import pytest

from .conftest import wait_until

pytestmark = [pytest.mark.production, pytest.mark.services]

DIRECTORS_FEED = "/actualites/directeurs/nouveau/"


def _publish(client, title: str, files=None, **extra):
    data = {
        "title": title,
        "summary": f"Résumé de « {title} ».",
        "body": "<p>Le texte.</p>",
        "audience_choice": "all",
        "action": "publish",
        **extra,
    }
    response = client.post_form(DIRECTORS_FEED, data, files=files)
    assert response.status_code == 302, response.text[-3000:]
    match = re.search(r"/actualites/billet/(\d+)/", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


def _notifications_per_person(shape, post_id):
    return shape.sql(
        "SELECT n.recipient_id, count(*) FROM notifications_notification n "
        "JOIN django_content_type t ON t.id = n.target_type_id "
        "WHERE t.app_label = 'news' AND t.model = 'post' AND n.target_id = %s GROUP BY n.recipient_id",
        post_id,
    )


def _mails_about(shape, title: str) -> dict[str, int]:
    per_address: dict[str, int] = {}
    for path in shape.mail_dir.glob("*.log"):
        text = path.read_text(errors="replace")
        for message in text.split("\n" + "-" * 79 + "\n"):
            if title in message and (to := re.search(r"^To: (.+)$", message, re.M)):
                per_address[to.group(1).strip()] = per_address.get(to.group(1).strip(), 0) + 1
    return per_address


def test_pages_come_gzipped_and_hashed_static_files_immutable_from_nginx(shape):
    counsellor = shape.client(shape.people["counsellor"], via="a")
    page = counsellor.get("/", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200, page.text[:500]
    assert page.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in page.headers["Vary"]
    stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, "no hashed stylesheet on the page"
    static = counsellor.get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})
    assert static.status_code == 200
    assert static.headers["Content-Encoding"] == "gzip"  # the .gz written by collectstatic
    assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_file_uploaded_through_web_a_is_served_by_web_b(shape, jpeg):
    counsellor_a = shape.client(shape.people["counsellor"], via="a")
    post_id = _publish(
        counsellor_a,
        f"Photo de la sortie {uuid.uuid4().hex[:6]}",
        files={"cover": ("sortie.jpg", jpeg, "image/jpeg")},
        cover_alt="L’entrée du musée",
        cover_no_pupil="on",
    )
    (public_id,) = shape.sql(
        "SELECT m.public_id FROM uploads_mediafile m JOIN news_post p ON p.cover_id = m.id WHERE p.id = %s", post_id
    )[0]
    wait_until(
        lambda: shape.sql("SELECT status FROM uploads_mediafile WHERE public_id = %s", public_id)[0][0] == "ready",
        timeout=60,
        what="the worker processing the cover",
    )
    director_b = shape.client(shape.people["directors"][0], via="b")

    served = director_b.get(f"/fichiers/{public_id}/display/")

    assert served.status_code == 200, served.text[:500]
    assert served.headers["Content-Type"] == "image/webp"
    assert served.content[:4] == b"RIFF" and served.content[8:12] == b"WEBP"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Accel-Redirect" not in served.headers and "x-amz-request-id" not in served.headers
    # Someone who may not see it gets nothing, from either web process.
    anonymous = shape.client("absente", via="b").get(f"/fichiers/{public_id}/display/")
    assert anonymous.status_code == 302


def test_postgresql_restarted_pages_answer_503_in_french_then_200(shape):
    director = shape.client(shape.people["directors"][1], via="a")
    assert director.get("/").status_code == 200

    shape.postgres_stop()
    try:
        during = director.get("/")
        health = director.get("/sante/")
    finally:
        shape.postgres_start()

    assert during.status_code == 503
    assert "Service momentanément indisponible" in during.text
    assert "Traceback" not in during.text and "psycopg" not in during.text
    assert health.status_code == 503 and health.json()["base_de_donnees"] == "indisponible"
    # Back without restarting anything. Each worker's pool reconnects in the background (psycopg_pool's
    # attempts back off 1, 2, 4… s, so a request may still wait for it and get the 503 meanwhile),
    # and every connection a pool lends is checked first (CONN_HEALTH_CHECKS): none broken by the
    # restart ever reaches a request. Twenty requests in a row through A and through B, more than
    # the connections each of the four gunicorn workers keeps, then the web logs since the restart.
    back = time.monotonic()
    logged = {name: _log_size(shape, name) for name in ("web_a", "web_b")}
    director_b = shape.client(shape.people["directors"][1], via="b")
    wait_until(
        lambda: all(client.get("/").status_code == 200 for _ in range(20) for client in (director, director_b)),
        timeout=60,
        what="twenty pages in a row through A and B after PostgreSQL's restart",
    )
    print(f"PostgreSQL back: every web process answered within {time.monotonic() - back:.1f} s")
    for name, offset in logged.items():
        since = _log_since(shape, name, offset)
        for broken in BROKEN_CONNECTION:
            assert broken not in since, f"{name} lent a connection broken by the restart:\n{since[-3000:]}"


# What psycopg says when it is handed a connection that PostgreSQL's restart closed.
BROKEN_CONNECTION = (
    "server closed the connection",
    "terminating connection",
    "connection is lost",
    "the connection is closed",
    "consuming input failed",
    "sending query failed",
)


def _log_size(shape, name: str) -> int:
    return shape.logs[name].stat().st_size


def _log_since(shape, name: str, offset: int) -> str:
    with shape.logs[name].open("rb") as log:
        log.seek(offset)
        return log.read().decode(errors="replace")


def test_two_beats_publish_every_scheduled_post_once(shape):
    shape.beat_start("beat-2")
    try:
        counsellor = shape.client(shape.people["counsellor"])
        soon = time.strftime("%Y-%m-%dT%H:%M", time.localtime(time.time() + 60))
        titles = [f"Programmée {n} {uuid.uuid4().hex[:6]}" for n in range(3)]
        ids = [_publish(counsellor, title, published_at=soon) for title in titles]
        assert {row[0] for row in shape.sql("SELECT status FROM news_post WHERE id = ANY(%s)", ids)} == {"programme"}
        wait_until(
            lambda: {row[0] for row in shape.sql("SELECT status FROM news_post WHERE id = ANY(%s)", ids)} == {"publie"},
            timeout=150,
            what="the scheduled posts published",
        )
        time.sleep(6)  # both beats run again meanwhile
    finally:
        shape.stop("beat-2")
    directors = len(shape.people["director_emails"])
    for post_id in ids:
        counts = _notifications_per_person(shape, post_id)
        assert len(counts) == directors and {count for _, count in counts} == {1}


def _email_states(shape, post_id) -> dict[str, int]:
    rows = shape.sql(
        "SELECT n.email_state, count(*) FROM notifications_notification n "
        "JOIN django_content_type t ON t.id = n.target_type_id "
        "WHERE t.app_label = 'news' AND t.model = 'post' AND n.target_id = %s GROUP BY n.email_state",
        post_id,
    )
    return dict(rows)


def _settled(shape, post_id) -> bool:
    return set(_email_states(shape, post_id)) <= {"sent", "failed", "none"}


def test_the_worker_killed_mid_fan_out_each_director_is_notified_once_and_mailed_at_most_once(shape):
    directors = len(shape.people["director_emails"])
    title = f"Fermeture exceptionnelle {uuid.uuid4().hex[:6]}"
    counsellor = shape.client(shape.people["counsellor"])

    post_id = _publish(counsellor, title)
    # SIGKILL (no warm shutdown, nothing acknowledged) as soon as the first e-mails are written.
    wait_until(lambda: _mails_about(shape, title), timeout=60, what="the first e-mails", interval=0.02)
    shape.stop("worker", sig=signal.SIGKILL)
    sent_before_kill = len(_mails_about(shape, title))
    shape.worker_start()

    wait_until(lambda: _settled(shape, post_id), timeout=120, what="every e-mail sent or given up")
    counts = _notifications_per_person(shape, post_id)
    assert len(counts) == directors and {count for _, count in counts} == {1}
    mails = _mails_about(shape, title)
    assert max(mails.values()) == 1, {address: n for address, n in mails.items() if n > 1}
    assert set(mails) <= set(shape.people["director_emails"])
    states = _email_states(shape, post_id)
    # A send interrupted between the e-mail leaving and its row saying so is "failed" (« peut-être
    # parti »), never sent again: so the e-mails written are between those marked sent and those tried.
    assert states.get("sent", 0) <= len(mails) <= states.get("sent", 0) + states.get("failed", 0)
    assert states.get("sent", 0) >= directors - 100  # only the killed task's batch may be given up
    print(
        f"Worker killed after {sent_before_kill} of {directors} e-mails; in the end {len(mails)} sent once, "
        f"{states.get('failed', 0)} given up (interrupted mid-send), none twice."
    )


def test_redis_stopped_during_a_publication_and_an_upload_nothing_is_lost_or_doubled(shape, jpeg):
    directors = len(shape.people["director_emails"])
    title = f"Sortie au musée {uuid.uuid4().hex[:6]}"
    counsellor = shape.client(shape.people["counsellor"], via="b")
    director = shape.client(shape.people["directors"][2], via="a")

    shape.redis_stop()
    try:
        post_id = _publish(
            counsellor,
            title,
            files={"cover": ("musee.jpg", jpeg, "image/jpeg")},
            cover_alt="Le musée",
            cover_no_pupil="on",
        )
        assert director.get("/").status_code == 200
        assert director.get(f"/actualites/billet/{post_id}/").status_code == 200
    finally:
        shape.redis_start()

    ((media_id, status),) = shape.sql(
        "SELECT m.id, m.status FROM uploads_mediafile m JOIN news_post p ON p.cover_id = m.id WHERE p.id = %s", post_id
    )
    assert status == "pending"  # never queued: the broker was down
    wait_until(
        lambda: shape.sql("SELECT status FROM uploads_mediafile WHERE id = %s", media_id)[0][0] == "ready",
        timeout=120,
        what="the sweep queuing the image again and the worker processing it",
    )
    wait_until(lambda: _settled(shape, post_id), timeout=120, what="the sweep sending the e-mails")
    time.sleep(8)  # more sweeps run: nothing is sent or processed again
    counts = _notifications_per_person(shape, post_id)
    assert len(counts) == directors and {count for _, count in counts} == {1}
    mails = _mails_about(shape, title)
    # The director who read the post meanwhile gets no e-mail about it (already seen); the others one.
    expected = set(shape.people["director_emails"]) - {shape.people["director_emails"][2]}
    assert set(mails) == expected and set(mails.values()) == {1}
    assert shape.sql("SELECT attempts FROM uploads_mediafile WHERE id = %s", media_id) == [(1,)]

"""What the mailbox costs does not grow with it: the inbox, a message page, a thread and the unread
counter in the navigation, pinned at N and 10×N messages (``assert_flat_queries``; a box's page,
kept, drawn and kept: ``assert_flat_box``)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Role
from ent import versions
from mail.lists import TEAM_LIST_VERSION, list_version
from mail.models import Message
from mail.selectors import unread_count
from tests.factories import TeamFactory, make_member, send_mail_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client_as, counsellor):
    """A member of the district team (their own mailbox and the shared one)."""
    return client_as(counsellor)


@pytest.fixture
def assert_flat_box(assert_flat_kept_queries):
    """A box's page pinned drawn (its side menu and list drawn again after its mailbox's version
    changed, as any write to it does, ``mail.lists``: the 5 queries it was pinned at before it was
    kept) and kept (``views._kept_box``: the person's own row only). ``expect``: the rows shown."""

    def check(client, url, make_rows, *, versions_of, **pins):
        assert_flat_kept_queries(
            client,
            url,
            make_rows,
            forget=lambda: versions.bump(*versions_of),  # as a delivery written does
            part=_kept_part,
            shown=lambda drawn: drawn.text.count('class="mail-row'),
            **pins,
        )

    return check


def _kept_part(text: str) -> str:
    """A box's page from its side menu to the end of its list (``views._kept_box``)."""
    return text[text.index('<nav class="fr-sidemenu') : text.index('<p class="fr-text--sm fr-mt-6w ent-muted')]


def test_inbox_cost_is_flat(reader, counsellor, inspector, assert_flat_box):
    def make_rows(count):
        for _ in range(count):
            send_mail_to(inspector, [counsellor], read_receipt=True)

    assert_flat_box(
        reader,
        reverse("mail:inbox"),
        make_rows,
        versions_of=[list_version(counsellor.pk)],
        rows=3,
        drawn=QUERIES["inbox"],
        kept=QUERIES["kept box"],
        expect=(3, 25),
    )


def test_team_box_cost_is_flat(reader, counsellor, director, assert_flat_box):
    team = TeamFactory()

    def make_rows(count):
        for _ in range(count):
            send_mail_to(director, [], shared_box=team)

    assert_flat_box(
        reader,
        reverse("mail:box", args=["equipe"]),
        make_rows,
        versions_of=[TEAM_LIST_VERSION],
        rows=2,
        drawn=QUERIES["team"],
        kept=QUERIES["kept box"],
        expect=(2, 20),
    )


def test_message_page_cost_is_flat_with_the_mailbox_and_the_recipients(
    reader, counsellor, inspector, school, assert_flat_queries
):
    message = send_mail_to(inspector, [counsellor], subject="Le message ouvert")
    people = []

    def make_rows(count):
        for _ in range(count):
            person = make_member(Role.TEACHER, school)
            people.append(person)
            send_mail_to(inspector, [counsellor])
        Message.objects.filter(pk=message.pk).update(
            addressing={"to": [f"u:{p.pk}" for p in people] + ["directors", f"s:{school.pk}", f"d:{school.pk}"]}
        )

    assert_flat_queries(
        reader,
        reverse("mail:message", args=[message.pk]),
        make_rows,
        rows=3,
        queries=QUERIES["message"],
        shown=lambda r: r.content.decode().count("Le message ouvert") > 0,
        expect=(True, True),
    )


def test_thread_cost_is_flat(reader, counsellor, inspector, assert_flat_queries):
    first = send_mail_to(inspector, [counsellor], subject="Projet chorale")
    Message.objects.filter(pk=first.pk).update(thread=first)

    def make_rows(count):
        for i in range(count):
            sender, to = (counsellor, inspector) if i % 2 else (inspector, counsellor)
            send_mail_to(sender, [to], subject="Re: Projet chorale", thread=first, parent=first)

    assert_flat_queries(
        reader,
        reverse("mail:thread", args=[first.pk]),
        make_rows,
        rows=2,
        queries=QUERIES["thread"],
        shown=lambda r: r.content.decode().count('class="mail-thread-item'),
        expect=(3, 21),
    )


def test_the_unread_counter_is_one_query_once_per_request(counsellor, inspector, reader):
    for _ in range(4):
        send_mail_to(inspector, [counsellor])
    with CaptureQueriesContext(connection) as log:
        assert unread_count(counsellor) == 4
    assert len(log) == 2  # the person's roles (cached for the request afterwards), then one COUNT
    with CaptureQueriesContext(connection) as log:
        unread_count(counsellor)
    assert len(log) == 1
    response = reader.get(reverse("news:index"))
    html = response.content.decode()
    assert '4<span class="fr-sr-only"> non lus</span>' in html
    with CaptureQueriesContext(connection) as log:
        reader.get(reverse("news:index"))
    counts = [q["sql"] for q in log.captured_queries if "mail_delivery" in q["sql"]]
    assert counts == []  # the header's count is kept in the cache until a delivery changes (ent.header)


# A box drawn (« inbox », « team »: its side menu and list drawn again) and kept (« kept box »).
QUERIES = {"inbox": 5, "team": 5, "kept box": 1, "message": 12, "thread": 7}

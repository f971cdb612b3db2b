"""Two things every page reads are kept in the shared cache under versions: the header's counts
(``ent.header``: the bell's unread notifications, the menu's unread messages) and a person's
memberships (``accounts.roles``). Each costs one query the first time and none after, and each is
read again after every write that changes it, made the way a person makes it (the services)."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.imports import PersonRow
from accounts.models import Membership, Role, User
from accounts.roles import current_memberships, viewer
from ent.publication import publish_due
from mail import services as mail
from mail.services.mailbox import retention_days
from notifications import services as notifications
from tests.factories import SchoolFactory, TeamFactory, make_member, send_mail_to

pytestmark = pytest.mark.django_db

PAGE = "accounts:accessibility"  # the frame, and a page that reads neither count for itself
BELL = re.compile(r'ent-bell" href="[^"]*">Notifications(?: \((\d+) non lues?\))?</a>')
MENU = re.compile(r'>Messagerie(?: <span class="fr-badge[^"]*">(\d+)<span class="fr-sr-only"> non lus?</span>)?')


def header(client) -> tuple[int, int]:
    """(unread notifications, unread messages) as the header of a page shows them."""
    html = client.get(reverse(PAGE)).content.decode()
    bell, menu = BELL.search(html), MENU.search(html)
    assert bell and menu, "the header shows the bell and the menu"
    return int(bell.group(1) or 0), int(menu.group(1) or 0)


def _tell(person, text="Une actualité", target=None):
    notifications.notify(kind="news.published", actor=None, target=target, text=text, url="/", recipients=[person])


def _send(sender, tokens):
    draft = mail.draft_save(
        actor=sender, subject="Conseil des maîtres", body="<p>Bonjour</p>", addressing={"to": tokens}
    )
    message = mail.message_send(actor=sender, message=draft, send_key=uuid.uuid4())
    publish_due(now=timezone.now() + timedelta(minutes=1))  # delivered (the undo delay is over)
    message.refresh_from_db()
    return message


def _counted(log, table) -> int:
    return sum(1 for query in log.captured_queries if table in query["sql"])


def test_the_counts_cost_one_query_the_first_time_then_none(client_as, director, school):
    send_mail_to(make_member(Role.TEACHER, school), [director])
    for n in range(3):
        _tell(director, f"Actualité {n}")
    client = client_as(director)
    with CaptureQueriesContext(connection) as first:
        assert header(client) == (3, 1)
    with CaptureQueriesContext(connection) as second:
        assert header(client) == (3, 1)
    counting = [q for q in first.captured_queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1 and "mail_delivery" in counting[0]["sql"]  # both counts in one query
    assert _counted(first, "accounts_membership") == 1
    assert _counted(second, "notifications_notification") == _counted(second, "mail_delivery") == 0
    assert _counted(second, "accounts_membership") == 0
    assert len(second) == 2  # the person (sessions are cached), and the page's contact: the district team


def test_the_bell_follows_each_notification_made_read_or_withdrawn(client_as, director, school):
    client = client_as(director)
    assert header(client) == (0, 0)
    _tell(director, "Première")
    assert header(client) == (1, 0)
    _tell(director, "Deuxième", target=school)
    _tell(director, "Troisième", target=SchoolFactory())
    assert header(client) == (3, 0)
    first = director.notifications.get(text="Première")
    notifications.notification_mark_read(user=director, notification=first)
    assert header(client) == (2, 0)
    notifications.notifications_mark_read_for(user=director, target=school)  # its object opened
    assert header(client) == (1, 0)
    _tell(director, "Quatrième")
    assert header(client) == (2, 0)
    notifications.notifications_withdraw(target=director.notifications.get(text="Troisième").target)
    assert header(client) == (1, 0)
    notifications.notifications_mark_all_read(user=director)
    assert header(client) == (0, 0)


def test_the_menu_follows_each_message_delivered_read_filed_or_recalled(client_as, inspector, director):
    client = client_as(director)
    assert header(client) == (0, 0)
    message = _send(inspector, [f"u:{director.pk}"])
    assert header(client) == (1, 1)  # its notification, and the message
    mail.message_open(actor=director, message=message)
    assert header(client) == (0, 0)  # opening it reads its notification too
    mail.message_mark_unread(actor=director, message=message)
    assert header(client)[1] == 1
    mail.message_trash(actor=director, message=message)
    assert header(client)[1] == 0
    mail.message_restore(actor=director, message=message)
    assert header(client)[1] == 1
    mail.message_trash(actor=director, message=message)
    assert header(client)[1] == 0
    mail.message_move(actor=director, message=message, folder=None)  # out of the trash, to the inbox
    assert header(client)[1] == 1
    mail.message_recall(actor=inspector, message=message)
    assert header(client)[1] == 0  # a recalled message no longer asks to be read


def test_the_team_box_counts_for_each_member_until_one_handles_it(client_as, inspector, counsellor, teacher):
    team = inspector.memberships.get().structure
    assert counsellor.memberships.get().structure == team
    annie, adrian = client_as(inspector), client_as(counsellor)
    assert header(annie)[1] == header(adrian)[1] == 0
    message = _send(teacher, ["team"])
    assert header(annie)[1] == header(adrian)[1] == 1
    mail.message_handle(actor=counsellor, message=message)
    assert header(annie)[1] == header(adrian)[1] == 0


def test_the_retention_purge_takes_its_messages_out_of_the_count(client_as, director, school):
    long_ago = timezone.now() - timedelta(days=retention_days() + 1)
    send_mail_to(make_member(Role.TEACHER, school), [director], delivered_at=long_ago)
    client = client_as(director)
    assert header(client)[1] == 1
    assert mail.mail_purge()["inbox"] == 1
    assert header(client)[1] == 0


def test_the_notifications_purge_takes_its_unread_ones_out_of_the_bell(client_as, director):
    from privacy.retention import purge_notifications

    _tell(director, "Il y a plus d’un an")
    client = client_as(director)
    assert header(client)[0] == 1
    assert purge_notifications(now=timezone.now() + timedelta(days=366)) == 1
    assert header(client)[0] == 0


def test_joining_the_team_shows_its_box_and_leaving_it_hides_it(client_as, admin_user, teacher, school):
    team = TeamFactory()
    _send(make_member(Role.DIRECTOR, school), ["team"])
    client = client_as(teacher)
    assert header(client)[1] == 0
    joined = Membership(user=teacher, structure=team, role=Role.CPC, start_date=timezone.localdate())
    account_services.memberships_save(actor=admin_user, memberships=[joined])
    assert header(client)[1] == 1
    joined.end_date = timezone.localdate()
    account_services.memberships_save(actor=admin_user, memberships=[joined])
    assert header(client)[1] == 0


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # as the next request reads the person


def test_a_persons_memberships_are_read_once_then_after_each_change(admin_user, teacher, school):
    with CaptureQueriesContext(connection) as log:
        assert viewer(_fresh(teacher)).roles == {Role.TEACHER}
    assert _counted(log, "accounts_membership") == 1
    with CaptureQueriesContext(connection) as log:
        assert viewer(_fresh(teacher)).roles == {Role.TEACHER}
    assert _counted(log, "accounts_membership") == 0

    other = SchoolFactory(name="École du Parc")
    account_services.memberships_save(
        actor=admin_user,
        memberships=[Membership(user=teacher, structure=other, role=Role.DIRECTOR, start_date=timezone.localdate())],
    )
    assert viewer(_fresh(teacher)).roles == {Role.TEACHER, Role.DIRECTOR}

    school.name = "École Jean-Raffarin (renommée)"
    school.save()  # a structure changed: everyone's memberships are read again
    assert sorted(m.structure.name for m in current_memberships(_fresh(teacher))) == [
        "École Jean-Raffarin (renommée)",
        "École du Parc",
    ]

    third = SchoolFactory(name="École des Tilleuls")
    row = PersonRow(
        email=teacher.email,
        first_name=teacher.first_name,
        last_name=teacher.last_name,
        structure_id=third.pk,
        role=Role.TEACHER,
    )
    assert account_services.people_import(actor=admin_user, rows=[row])["memberships"] == 1  # in bulk: no signal
    assert third.pk in viewer(_fresh(teacher)).structure_ids

    account_services.memberships_save(actor=admin_user, deleted=list(teacher.memberships.filter(structure=other)))
    assert viewer(_fresh(teacher)).roles == {Role.TEACHER}


def test_memberships_kept_yesterday_are_not_todays(teacher, school, monkeypatch):
    """A membership ends with a day: what was kept on one day is not read on the next."""
    membership = teacher.memberships.get()
    assert viewer(_fresh(teacher)).structure_ids == {school.pk}
    Membership.objects.filter(pk=membership.pk).update(end_date=timezone.localdate() + timedelta(days=1))
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert viewer(_fresh(teacher)).structure_ids == frozenset()

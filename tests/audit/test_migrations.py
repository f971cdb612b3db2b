"""The former logs (news.PostRevision, accounts.AccountEvent) are copied into the audit trail."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("accounts", "0002_sort_names"),
    ("audit", "0001_initial"),
    ("news", "0001_initial"),
    ("notifications", "0001_initial"),
]
AFTER = [("accounts", "0004_delete_accountevent"), ("news", "0003_delete_postrevision")]
MOMENT = dt.datetime(2026, 3, 12, 13, 5, tzinfo=dt.UTC)


@pytest.fixture
def latest_migrations_afterwards():
    """Leave the test database at the latest migrations, as the next tests expect (later migrations
    than ``AFTER``, e.g. accounts' AppLink, would otherwise be missing for them)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("latest_migrations_afterwards")
def test_revisions_and_account_events_become_audit_events():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User, Post = old.get_model("accounts", "User"), old.get_model("news", "Post")
    admin = User.objects.create(email="admin@ent.test", first_name="Ada", last_name="Admin", sort_name="admin ada")
    person = User.objects.create(email="claire@ent.test", first_name="Claire", last_name="Dupin", sort_name="dupin")
    post = Post.objects.create(feed="pedagogie", title="Animation", slug="animation", summary="r", author=admin)
    Revision = old.get_model("news", "PostRevision")
    changes = [{"field": "title", "label": "Titre", "before": "A", "after": "Animation"}]
    Revision.objects.create(post=post, editor=admin, action="Création", created_at=MOMENT)
    again = Revision.objects.create(
        post=post, editor=admin, action="Modification, annoncée à nouveau", changes=changes, created_at=MOMENT
    )
    Revision.objects.create(post=post, editor=None, action="Programmée pour le lundi 5 janvier 2099 à 08h00")
    Notification = old.get_model("notifications", "Notification")
    notice = Notification.objects.create(
        recipient=person, kind="news.published", text="t", url="/", key=f"news.published:{post.pk}:r{again.pk}"
    )
    other = Notification.objects.create(
        recipient=person, kind="news.published", text="t", url="/", key=f"news.published:{post.pk}"
    )
    AccountEvent = old.get_model("accounts", "AccountEvent")
    AccountEvent.objects.create(user=person, kind="activated", actor=admin, at=MOMENT)
    AccountEvent.objects.create(user=person, kind="invited", actor=None, at=MOMENT)

    executor.loader.build_graph()
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    Event = new.get_model("audit", "Event")
    ContentType = new.get_model("contenttypes", "ContentType")
    post_type = ContentType.objects.get(app_label="news", model="post")
    user_type = ContentType.objects.get(app_label="accounts", model="user")

    news_events = list(
        Event.objects.filter(target_type=post_type, target_id=post.pk)
        .order_by("pk")
        .values_list("action", "label", "actor_id", "target_repr", "changes")
    )
    assert news_events == [
        ("news.post.created", "Création", admin.pk, "Animation", []),
        ("news.post.announced_again", "Modification, annoncée à nouveau", admin.pk, "Animation", changes),
        ("news.post.scheduled", "Programmée pour le lundi 5 janvier 2099 à 08h00", None, "Animation", []),
    ]
    assert Event.objects.get(action="news.post.created").created_at == MOMENT
    announced = Event.objects.get(action="news.post.announced_again")
    assert Notification.objects.get(pk=notice.pk).key == f"news.published:{post.pk}:r{announced.pk}"
    assert Notification.objects.get(pk=other.pk).key == f"news.published:{post.pk}"
    assert sorted(
        Event.objects.filter(target_type=user_type, target_id=person.pk).values_list(
            "action", "label", "actor_id", "created_at", "target_repr"
        )
    ) == [
        ("accounts.user.activated", "Compte activé", admin.pk, MOMENT, "Claire Dupin"),
        ("accounts.user.invited", "Invitation envoyée", None, MOMENT, "Claire Dupin"),
    ]

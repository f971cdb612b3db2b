"""Copy every AccountEvent into the audit trail (audit.Event): the person is the target, with the
same actor, moment and French label. Going back only deletes the accounts events of the trail."""

from django.db import migrations

ACTIONS = {
    "activated": ("accounts.user.activated", "Compte activé"),
    "deactivated": ("accounts.user.deactivated", "Compte désactivé"),
    "invited": ("accounts.user.invited", "Invitation envoyée"),
}


def forwards(apps, schema_editor):
    AccountEvent = apps.get_model("accounts", "AccountEvent")
    Event = apps.get_model("audit", "Event")
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = AccountEvent.objects.select_related("user").order_by("at", "pk")
    if not old.exists():
        return
    user_type, _ = ContentType.objects.get_or_create(app_label="accounts", model="user")
    batch = []
    for row in old.iterator(chunk_size=1000):
        action, label = ACTIONS[row.kind]
        person = row.user
        batch.append(
            Event(
                created_at=row.at,
                actor_id=row.actor_id,
                action=action,
                label=label,
                target_type=user_type,
                target_id=row.user_id,
                target_repr=(f"{person.first_name} {person.last_name}".strip() or person.email)[:200],
            )
        )
        if len(batch) == 1000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)


def backwards(apps, schema_editor):
    apps.get_model("audit", "Event").objects.filter(action__startswith="accounts.user.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_sort_names"),
        ("audit", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

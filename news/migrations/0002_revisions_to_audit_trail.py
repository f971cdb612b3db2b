"""Copy every PostRevision into the audit trail (audit.Event), keeping who, when, what and the label.

Notification keys that named a revision (``…:r<revision id>``: a post announced again, a proposal
submitted or returned) are rewritten with the id of its audit event, so that a later notice
is never mistaken for an old one. Going back only deletes the news events of the audit trail
(the revisions table comes back empty, and the rewritten keys stay as they are).
"""

from django.db import migrations

CODES = {
    "Création": "news.post.created",
    "Modification": "news.post.updated",
    "Modification, annoncée à nouveau": "news.post.announced_again",
    "Publication": "news.post.published",
    "Publication programmée": "news.post.published_on_schedule",
    "Proposition soumise à validation": "news.post.submitted",
    "Archivage": "news.post.archived",
}
PREFIXES = {
    "Programmée pour le": "news.post.scheduled",
    "Renvoyée à son auteur": "news.post.returned",
}
# The notices whose key carries a revision id, by audit action.
KEYED = {
    "news.post.announced_again": "news.published",
    "news.post.submitted": "news.proposal_submitted",
    "news.post.returned": "news.proposal_reviewed",
}


def code_of(label: str) -> str:
    if label in CODES:
        return CODES[label]
    for prefix, code in PREFIXES.items():
        if label.startswith(prefix):
            return code
    return "news.post.updated"


def forwards(apps, schema_editor):
    PostRevision = apps.get_model("news", "PostRevision")
    Event = apps.get_model("audit", "Event")
    Notification = apps.get_model("notifications", "Notification")
    ContentType = apps.get_model("contenttypes", "ContentType")
    revisions = PostRevision.objects.select_related("post").order_by("pk")
    if not revisions.exists():
        return
    post_type, _ = ContentType.objects.get_or_create(app_label="news", model="post")
    renamed = []  # (notification pk, final key)
    for revision in revisions.iterator(chunk_size=500):
        code = code_of(revision.action)
        event = Event.objects.create(
            created_at=revision.created_at,
            actor_id=revision.editor_id,
            action=code,
            label=revision.action[:300],
            target_type=post_type,
            target_id=revision.post_id,
            target_repr=revision.post.title[:200],
            changes=revision.changes or [],
        )
        if code in KEYED:
            old = f"{KEYED[code]}:{revision.post_id}:r{revision.pk}"
            new = f"{KEYED[code]}:{revision.post_id}:r{event.pk}"
            renamed += [(pk, new) for pk in Notification.objects.filter(key=old).values_list("pk", flat=True)]
    # Two passes, so that a new key never meets an old one that is still to be renamed.
    for pk, key in renamed:
        Notification.objects.filter(pk=pk).update(key=f"{key}~")
    for pk, key in renamed:
        Notification.objects.filter(pk=pk).update(key=key)


def backwards(apps, schema_editor):
    Event = apps.get_model("audit", "Event")
    Event.objects.filter(action__startswith="news.post.").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0001_initial"),
        ("audit", "0001_initial"),
        ("notifications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

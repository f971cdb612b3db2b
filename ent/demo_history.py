"""The demo's one way to write the past: run a service now, then date what it wrote back then.

The apps' ``demo.py`` modules make their content through their own services, so that notifications,
the audit trail and e-mails exist as they would on a real site. A service always writes *now*; a
post of last month must not look written this morning. So the demo runs the service inside
:func:`written_at`, which then moves the **audit events and notifications that the service wrote
inside the block** (and only those: rows with a greater id) to the given moment. The app's own
dates (a blog post's ``published_at``, a comment's ``created_at``) are the app demo's business.

Demo only: nothing of the site calls it.
"""

import datetime as dt
from contextlib import contextmanager

from django.db.models import Max


def _last_ids():
    from audit.models import Event
    from notifications.models import Notification

    return (
        Event.objects.aggregate(last=Max("pk"))["last"] or 0,
        Notification.objects.aggregate(last=Max("pk"))["last"] or 0,
    )


@contextmanager
def written_at(moment: dt.datetime):
    """Date back to ``moment`` the audit events and notifications written inside the block."""
    from audit.models import Event
    from notifications.models import Notification

    last_event, last_notification = _last_ids()
    yield
    Event.objects.filter(pk__gt=last_event).update(created_at=moment)
    Notification.objects.filter(pk__gt=last_notification).update(created_at=moment)

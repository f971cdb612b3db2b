"""The Celery application.

Without ``REDIS_URL`` the settings make every task run inline (``task_always_eager``), so the
embedded default needs no broker. With it, Redis is the broker and ``celery -A ent worker`` runs
the tasks; ``celery -A ent beat`` runs the schedules stored by django-celery-beat.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ent.settings")

app = Celery("ent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from django.apps import AppConfig


class EntConfig(AppConfig):
    name = "ent"
    verbose_name = "ENT de circonscription"

    def ready(self):
        from . import (
            checks,  # noqa: F401 - registers the project's system checks
            inline_scheduler,
        )

        if inline_scheduler.should_start():
            inline_scheduler.start()

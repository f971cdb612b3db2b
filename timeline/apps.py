from django.apps import AppConfig


class TimelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "timeline"
    verbose_name = "Frise chronologique"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from accounts import home, structure_page
        from audit import actions
        from notifications import kinds

        from . import sections
        from .home import home_panel_context, home_panel_kept, todo_items, todo_kept
        from .models import SchoolHoliday, TimelineAction

        # The holidays are kept in each process's memory (selectors.school_holidays_between): any
        # holiday written, by the ministry file's load, the admin or anything else, reads them again.
        post_save.connect(_holidays_changed, sender=SchoolHoliday, dispatch_uid="timeline.holiday.saved")
        post_delete.connect(_holidays_changed, sender=SchoolHoliday, dispatch_uid="timeline.holiday.deleted")
        # The frise's drawings and Accueil's next events and deadlines are kept under the events'
        # version (frise_cache.frise_changed): any event, or its audience, written renews them.
        from django.db.models.signals import m2m_changed

        from .models import Event

        post_save.connect(_events_changed, sender=Event, dispatch_uid="timeline.event.saved")
        post_delete.connect(_events_changed, sender=Event, dispatch_uid="timeline.event.deleted")
        m2m_changed.connect(
            _events_changed, sender=Event.audience_structures.through, dispatch_uid="timeline.event.audience"
        )

        actions.register(TimelineAction, app_name="Frise chronologique")
        home.register(
            home.Panel(
                key="timeline",
                order=20,
                template="timeline/home_panel.html",
                context=home_panel_context,
                kept=home_panel_kept,
            )
        )
        home.register_todo(home.TodoSource(key="timeline", order=20, items=todo_items, kept=todo_kept))
        # A deadline reminder is worth an e-mail straight away; a new event can wait for the daily summary.
        kinds.register(
            "timeline.deadline",
            label="Rappel d’échéance administrative (7 jours puis 1 jour avant)",
            app_label="timeline",
            app_name="Frise chronologique",
            default_frequency=kinds.Frequency.IMMEDIATE,
        )
        kinds.register(
            "timeline.event_created",
            label="Nouvel événement sur la frise",
            app_label="timeline",
            app_name="Frise chronologique",
            default_frequency=kinds.Frequency.DAILY,
        )
        structure_page.register(
            structure_page.Section(
                key="timeline",
                order=20,
                template="timeline/structure_section.html",
                context=sections.structure_section_context,
            )
        )


def _holidays_changed(**kwargs) -> None:
    from .selectors import holidays_changed

    holidays_changed()


def _events_changed(**kwargs) -> None:
    from .frise_cache import frise_changed

    frise_changed()

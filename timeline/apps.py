from django.apps import AppConfig


class TimelineConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "timeline"
    verbose_name = "Frise chronologique"

    def ready(self):
        from accounts import home

        from .home import home_panel_context

        home.register(
            home.Panel(key="timeline", order=20, template="timeline/home_panel.html", context=home_panel_context)
        )

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from accounts import home

        from .home import home_panel_context

        home.register(
            home.Panel(
                key="notifications", order=5, template="notifications/home_panel.html", context=home_panel_context
            )
        )

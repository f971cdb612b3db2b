from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self):
        from accounts import home
        from ent import fragments

        from .home import home_panel_context, home_panel_kept

        home.register(
            home.Panel(
                key="notifications",
                order=5,
                template="notifications/home_panel.html",
                context=home_panel_context,
                kept=home_panel_kept,
                kept_timeout=fragments.RELATIVE_TIMES,  # « il y a 5 minutes »
            )
        )

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Comptes et structures"

    def ready(self):
        from audit import actions

        from . import home
        from .models import AccountAction

        actions.register(AccountAction, app_name="Comptes")
        # After the feature apps' panels: the outside services are a way out, not news.
        home.register(
            home.Panel(
                key="app_links", order=90, template="accounts/app_links_panel.html", context=home.app_links_panel
            )
        )

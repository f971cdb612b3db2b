from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Comptes et structures"

    def ready(self):
        from audit import actions

        from .models import AccountAction

        actions.register(AccountAction, app_name="Comptes")

from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Droit à l'image: a concern of every feature that publishes pupils' photos or voices, owned by none."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
    verbose_name = "Droit à l’image"

    def ready(self):
        from accounts import services as accounts_services
        from accounts import structure_page
        from audit import actions
        from notifications import kinds

        from .accounts_purge import on_membership_ended
        from .models import PrivacyAction
        from .sections import registry_action_context

        structure_page.register(
            structure_page.Section(
                key="privacy",
                order=30,
                template="privacy/structure_action.html",
                context=registry_action_context,
                region=structure_page.Region.ACTIONS,
            )
        )

        # Ended accounts (arrêté du 30 novembre 2006): closed as soon as their last membership ends.
        accounts_services.on_membership_ended(on_membership_ended)
        actions.register(PrivacyAction, app_name="Droit à l’image")
        kinds.register(
            "privacy.media_withheld",
            label="Un média que vous avez publié est masqué : une autorisation a été retirée",
            app_label="privacy",
            app_name="Droit à l’image",
            default_frequency=kinds.Frequency.IMMEDIATE,
        )

from django.apps import AppConfig


class MailConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "mail"
    verbose_name = "Messagerie"

    def ready(self):
        from . import lists

        lists.follow()  # the mailbox's pages kept under these versions (mail.lists)
        from privacy import publishers

        publishers.register(
            "mail.message_send", label="Envoi d’un message avec pièces jointes", service="mail.services.message_send"
        )
        from accounts import adoption

        from .adoption import MEASURES

        for measure in MEASURES:
            adoption.register(measure)
        from accounts import home, structure_page
        from audit import actions
        from notifications import kinds
        from uploads.access import register_holder

        from . import sections
        from .home import home_panel_context, home_panel_kept
        from .models import MailAction, Message
        from .permissions import can_view_attachments, has_mailbox

        # --- reading side ---
        # A message's files: whoever may read the message, its content not recalled (permissions).
        register_holder(Message, can_view_attachments)
        kinds.register(
            "mail.received",
            label="Nouveau message",
            app_label="mail",
            app_name="Messagerie",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=has_mailbox,
        )
        actions.register(MailAction, app_name="Messagerie")
        home.register(
            home.Panel(
                key="mail", order=5, template="mail/home_panel.html", context=home_panel_context, kept=home_panel_kept
            )
        )
        structure_page.register(
            structure_page.Section(
                key="mail",
                order=10,
                template="mail/structure_action.html",
                context=sections.write_to_direction_context,
                region=structure_page.Region.ACTIONS,
            )
        )
        # --- writing side ---
        from ent import publication

        from . import services

        publication.register(Message, publish=services.message_deliver)
        kinds.register(
            "mail.reminder",
            label="Relance d’un message non lu",
            app_label="mail",
            app_name="Messagerie",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=has_mailbox,
        )

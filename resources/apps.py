from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"
    verbose_name = "Ressources"

    def ready(self):
        from accounts import home
        from audit import actions
        from uploads import access

        from .home import home_panel_context
        from .models import Document, ResourceAction
        from .permissions import can_view_document

        actions.register(ResourceAction, app_name="Ressources")
        # A document's files (every version) are seen by whoever sees the document.
        access.register_holder(Document, can_view_document)
        home.register(
            home.Panel(key="resources", order=40, template="resources/home_panel.html", context=home_panel_context)
        )

from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "resources"
    verbose_name = "Ressources"

    def ready(self):
        from accounts import home
        from audit import actions
        from ent import versions
        from uploads import access

        from .home import home_panel_context, home_panel_kept
        from .models import RESOURCES_VERSION, Document, Folder, ResourceAction, Version
        from .permissions import can_view_document

        versions.follow(RESOURCES_VERSION, Folder, Document, Version, m2m=[Folder.audience_structures.through])
        actions.register(ResourceAction, app_name="Ressources")
        # A document's files (every version) are seen by whoever sees the document.
        access.register_holder(Document, can_view_document)
        home.register(
            home.Panel(
                key="resources",
                order=40,
                template="resources/home_panel.html",
                context=home_panel_context,
                kept=home_panel_kept,
            )
        )

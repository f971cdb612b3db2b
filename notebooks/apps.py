from django.apps import AppConfig


class NotebooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notebooks"
    verbose_name = "Cahiers multimédias"

    def ready(self):
        from django.db.models import Q

        from ent import versions
        from privacy import projects, publishers
        from privacy.models import ConsentRequest

        from .models import NOTEBOOKS_VERSION
        from .models import Notebook as NotebookModel

        versions.follow(
            NOTEBOOKS_VERSION,
            NotebookModel,
            m2m=[
                NotebookModel.audience_structures.through,
                NotebookModel.contributor_users.through,
                NotebookModel.contributor_structures.through,
            ],
        )

        publishers.register(
            "notebooks.page_publish",
            label="Publication ou validation d’une page",
            service="notebooks.services.page_publish",
        )
        publishers.register(
            "notebooks.book_export", label="Export du livre commun", service="notebooks.services.book_export_request"
        )
        from .services import book_exports_take_down

        publishers.register_takedown("notebooks.book", book_exports_take_down)
        from .models import Page as PageModel

        projects.register_holder(NotebookModel, project=lambda notebook: notebook)
        projects.register_holder(PageModel, project=lambda page: page.notebook)
        projects.register(
            ConsentRequest.Project.NOTEBOOK,
            lambda school: (
                NotebookModel.objects.filter(Q(school=school) | Q(pages__school=school)).distinct().order_by("title")
            ),
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
        from .home import open_notebooks_panel
        from .models import Notebook, NotebooksAction, Page
        from .permissions import can_view_block_media, can_view_notebook, reviews_some_notebook

        home.register(
            home.Panel(key="notebooks", order=45, template="notebooks/home_panel.html", context=open_notebooks_panel)
        )
        kinds.register(
            "notebooks.opened",
            label="Nouveau cahier multimédia ouvert",
            app_label="notebooks",
            app_name="Cahiers multimédias",
            default_frequency=kinds.Frequency.DAILY,
        )
        kinds.register(
            "notebooks.page_proposed",
            label="Page de cahier à valider",
            app_label="notebooks",
            app_name="Cahiers multimédias",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=reviews_some_notebook,
        )
        kinds.register(
            "notebooks.page_decided",
            label="Votre page publiée ou renvoyée",
            app_label="notebooks",
            app_name="Cahiers multimédias",
            default_frequency=kinds.Frequency.IMMEDIATE,
        )
        kinds.register(
            "notebooks.book_ready",
            label="Livre commun prêt",
            app_label="notebooks",
            app_name="Cahiers multimédias",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=reviews_some_notebook,
        )
        # The cover is seen by the notebook's readers; the files of the blocks by whoever sees the
        # page (they are held by the page, so that a frozen copy keeps them after a block is removed).
        register_holder(Notebook, can_view_notebook)
        register_holder(Page, can_view_block_media)
        actions.register(NotebooksAction, app_name="Cahiers multimédias")
        structure_page.register(
            structure_page.Section(
                key="notebooks",
                order=20,
                template="notebooks/structure_section.html",
                context=sections.structure_section_context,
            )
        )

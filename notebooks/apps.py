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
        _follow_pages()

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
        from .home import open_notebooks_kept, open_notebooks_panel
        from .models import Notebook, NotebooksAction, Page
        from .permissions import can_view_block_media, can_view_notebook, reviews_some_notebook

        home.register(
            home.Panel(
                key="notebooks",
                order=45,
                template="notebooks/home_panel.html",
                context=open_notebooks_panel,
                kept=open_notebooks_kept,
            )
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


def _follow_pages() -> None:
    """A page's version (``models.page_version``) follows what its page draws: the page, its authors
    (from either side), blocks, frozen copies and lock, and the media it holds (their processing,
    description, blurring, deletion). A media withheld or released is an ``update()``:
    ``uploads.services.WITHHELD_VERSION`` says it. The services bump what they write without a signal."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from uploads.models import MediaFile

    from .models import Block, Page, PageEdition, PageLock

    for signal in (post_save, post_delete):
        name = "saved" if signal is post_save else "deleted"
        signal.connect(_page_changed, sender=Page, dispatch_uid=f"notebooks.page.version.{name}")
        for model in (Block, PageEdition, PageLock):
            signal.connect(_part_changed, sender=model, dispatch_uid=f"notebooks.{model.__name__}.version.{name}")
        signal.connect(_media_changed, sender=MediaFile, dispatch_uid=f"notebooks.mediafile.version.{name}")
    m2m_changed.connect(_authors_changed, sender=Page.authors.through, dispatch_uid="notebooks.page.authors.version")


def _page_changed(instance, **kwargs) -> None:
    from .models import pages_changed

    pages_changed([instance.pk])


def _part_changed(instance, **kwargs) -> None:
    from .models import pages_changed

    pages_changed([instance.page_id])


def _authors_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs) -> None:
    from .models import pages_changed

    if not reverse:
        if action.startswith("post_"):
            pages_changed([instance.pk])
    elif action == "pre_clear":  # a person's pages cleared: post_clear does not say which
        pages_changed(sender.objects.filter(user_id=instance.pk).values_list("page_id", flat=True))
    elif action.startswith("post_"):
        pages_changed(pk_set or ())


def _media_changed(instance, **kwargs) -> None:
    """A media saved or deleted: if a page holds it (its blocks' and frozen copies' files), that page's."""
    if instance.holder_content_type_id is None:
        return
    from django.contrib.contenttypes.models import ContentType

    from .models import Page, pages_changed

    if instance.holder_content_type_id == ContentType.objects.get_for_model(Page).pk:
        pages_changed([instance.holder_object_id])

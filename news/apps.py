from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def _cover_changed(sender, instance, **kwargs):
    """A post's cover or attachment saved (processed, blurred…) or deleted, whose post's
    ``cover`` is then set to null by an update that sends no signal: the feeds draw the cover."""
    from django.contrib.contenttypes.models import ContentType

    from ent import versions

    from .models import NEWS_VERSION, Post

    if (
        instance.holder_content_type_id
        and instance.holder_content_type_id == ContentType.objects.get_for_model(Post).pk
    ):
        versions.bump(NEWS_VERSION)


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "news"
    verbose_name = "Actualités"

    def ready(self):
        from privacy import projects, publishers
        from privacy.models import ConsentRequest

        from .models import Post as NewsPost

        publishers.register(
            "news.post_publish", label="Publication d’une actualité", service="news.services.post_publish"
        )
        publishers.register(
            "news.post_publish_scheduled",
            label="Publication programmée d’une actualité",
            service="news.services.post_publish_scheduled",
        )
        projects.register_holder(NewsPost, project=lambda post: post)
        projects.register(
            ConsentRequest.Project.NEWS,
            lambda school: NewsPost.objects.filter(audience_structures=school).order_by("-created_at")[:50],
        )
        from accounts import adoption

        from .adoption import MEASURES

        for measure in MEASURES:
            adoption.register(measure)
        from accounts import home, partners, structure_page
        from accounts.permissions import schools_directed_by
        from audit import actions
        from ent import publication, versions
        from notifications import kinds
        from uploads.access import register_holder

        from . import sections, services
        from .home import home_panel_context, home_panel_kept, todo_items, todo_kept
        from .models import NEWS_VERSION, Acknowledgement, Feed, NewsAction, Post
        from .permissions import can_propose, can_review_proposals, can_view_feed, can_view_post

        versions.follow(NEWS_VERSION, Post, Acknowledgement, m2m=[Post.audience_structures.through])
        from uploads.models import MediaFile

        for signal in (post_save, post_delete):
            signal.connect(_cover_changed, sender=MediaFile, dispatch_uid=f"news:covers:{signal is post_save}")
        home.register(
            home.Panel(
                key="news", order=10, template="news/home_panel.html", context=home_panel_context, kept=home_panel_kept
            )
        )
        home.register_todo(home.TodoSource(key="news", order=10, items=todo_items, kept=todo_kept))
        register_holder(Post, can_view_post)
        publication.register(Post, publish=lambda post: services.post_publish_scheduled(post=post))
        actions.register(NewsAction, app_name="Actualités")

        app = {"app_label": "news", "app_name": "Actualités"}
        # Who can receive each kind (the preferences page offers only those): asked of news' permissions.
        kinds.register(
            "news.published",
            label="Nouvelle actualité",
            default_frequency=kinds.Frequency.DAILY,
            receivers=lambda user: can_view_feed(user, Feed.PEDAGOGY),
            **app,
        )
        kinds.register(
            "news.directors",
            label="Nouvelle information aux directeurs",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=lambda user: can_view_feed(user, Feed.DIRECTORS),
            **app,
        )
        kinds.register(
            "news.ack_reminder",
            label="Rappel d’accusé de lecture",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=lambda user: bool(schools_directed_by(user)),  # directors acknowledge
            **app,
        )
        kinds.register(
            "news.proposal_submitted",
            label="Proposition d’actualité à valider",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=can_review_proposals,
            **app,
        )
        kinds.register(
            "news.proposal_reviewed",
            label="Votre proposition d’actualité a été relue",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=can_propose,
            **app,
        )
        structure_page.register(
            structure_page.Section(
                key="news", order=30, template="news/structure_section.html", context=sections.structure_section_context
            )
        )
        # Schools sharing a project, for the messaging (who may write to whom).
        from .selectors import project_partner_schools

        partners.register(project_partner_schools)

from django.apps import AppConfig


class BlogsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blogs"
    verbose_name = "Blogs"

    def ready(self):
        from privacy import projects, publishers
        from privacy.models import ConsentRequest

        from .models import Blog as BlogModel

        publishers.register(
            "blogs.post_write", label="Billet écrit et publié (ou programmé)", service="blogs.services.post_create"
        )
        publishers.register(
            "blogs.post_publish", label="« Publier maintenant » un billet", service="blogs.services.post_publish"
        )
        publishers.register(
            "blogs.post_publish_scheduled",
            label="Publication programmée d’un billet",
            service="blogs.services.post_publish_scheduled",
        )
        publishers.register("blogs.blog_make_public", label="Blog rendu public", service="blogs.services.blog_update")
        from .models import Post as BlogPost
        from .services import blog_reach

        projects.register_holder(BlogModel, project=lambda blog: blog, reach=blog_reach)
        projects.register_holder(BlogPost, project=lambda post: post.blog, reach=lambda post: blog_reach(post.blog))
        projects.register(
            ConsentRequest.Project.BLOG,
            lambda school: BlogModel.objects.filter(owner_structures=school).order_by("title"),
        )
        from accounts import adoption

        from .adoption import MEASURES

        for measure in MEASURES:
            adoption.register(measure)
        from accounts import home, partners, structure_page
        from audit import actions
        from ent import publication
        from notifications import kinds
        from uploads.access import register_holder

        from . import sections, services
        from .home import latest_tutorial_kept, latest_tutorial_panel, todo_items, todo_kept
        from .models import Blog, BlogsAction, Post
        from .permissions import can_view_blog, can_view_post, moderates_some_blog

        _keep_caches_current(Post)
        home.register(
            home.Panel(
                key="blogs",
                order=40,
                template="blogs/home_panel.html",
                context=latest_tutorial_panel,
                kept=latest_tutorial_kept,
            )
        )
        home.register_todo(home.TodoSource(key="blogs", order=40, items=todo_items, kept=todo_kept))
        kinds.register(
            "blogs.published",
            label="Nouveau billet de blog",
            app_label="blogs",
            app_name="Blogs",
            default_frequency=kinds.Frequency.DAILY,
        )
        kinds.register(
            "blogs.comment_pending",
            label="Commentaire à valider",
            app_label="blogs",
            app_name="Blogs",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=moderates_some_blog,  # a blog's contributors moderate its comments
        )
        kinds.register(
            "blogs.comment_reported",
            label="Commentaire signalé",
            app_label="blogs",
            app_name="Blogs",
            default_frequency=kinds.Frequency.IMMEDIATE,
            receivers=moderates_some_blog,
        )
        # Who may fetch the images of a blog (its cover) and of a post: anyone, signed in or not,
        # for a public blog (anonymous=True makes uploads ask these rules about signed-out people).
        register_holder(Blog, can_view_blog, anonymous=True)
        register_holder(Post, can_view_post, anonymous=True)
        publication.register(Post, publish=lambda post: services.post_publish_scheduled(post=post))
        actions.register(BlogsAction, app_name="Blogs")
        structure_page.register(
            structure_page.Section(
                key="blogs",
                order=10,
                template="blogs/structure_section.html",
                context=sections.structure_section_context,
            )
        )
        # Schools sharing a project, for the messaging (who may write to whom).
        from .selectors import project_partner_schools

        partners.register(project_partner_schools)


def _keep_caches_current(Post) -> None:
    """A blog's archive months and tags are kept in the cache (``selectors.blog_sidebar``) under a
    version of the blog's posts and one of the tags, a blog's page of cards (``views._blog_page``)
    under those and the versions of ``selectors.blog_page_versions``, a person's latest tutorial
    (``selectors.latest_tutorial``) under a version of every blog and post, a person's « À faire »
    (``home.todo_items``) under that one and a version of the comments and their reports: any blog,
    post, tag, image, media of a post, comment or report written, by the services,
    the admin or anything else, makes them read again."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from uploads.models import MediaFile

    from .models import Blog, Comment, CommentReport, PostImage, Tag

    for model in (Comment, CommentReport):
        post_save.connect(_comment_changed, sender=model, dispatch_uid=f"blogs.{model.__name__}.cache.saved")
        post_delete.connect(_comment_changed, sender=model, dispatch_uid=f"blogs.{model.__name__}.cache.deleted")

    post_save.connect(_blog_changed, sender=Blog, dispatch_uid="blogs.blog.cache.saved")
    post_delete.connect(_blog_changed, sender=Blog, dispatch_uid="blogs.blog.cache.deleted")
    for through in (Blog.contributor_users.through, Blog.contributor_structures.through, Blog.owner_structures.through):
        m2m_changed.connect(_blog_changed, sender=through, dispatch_uid=f"blogs.blog.cache.{through.__name__}")

    post_save.connect(_post_changed, sender=Post, dispatch_uid="blogs.post.sidebar.saved")
    post_delete.connect(_post_changed, sender=Post, dispatch_uid="blogs.post.sidebar.deleted")
    m2m_changed.connect(_post_tags_changed, sender=Post.tags.through, dispatch_uid="blogs.post.sidebar.tags")
    post_save.connect(_tag_changed, sender=Tag, dispatch_uid="blogs.tag.sidebar.saved")
    post_delete.connect(_tag_changed, sender=Tag, dispatch_uid="blogs.tag.sidebar.deleted")

    # What a card shows besides its post: its first image, and the media under it (its state, its
    # description, who sent it). ``uploads.services.media_withhold`` / ``media_release`` write in
    # bulk: they bump their own version (``uploads.services.WITHHELD_VERSION``).
    post_save.connect(_image_changed, sender=PostImage, dispatch_uid="blogs.postimage.cards.saved")
    post_delete.connect(_image_changed, sender=PostImage, dispatch_uid="blogs.postimage.cards.deleted")
    post_save.connect(_media_changed, sender=MediaFile, dispatch_uid="blogs.mediafile.cards.saved")
    post_delete.connect(_media_changed, sender=MediaFile, dispatch_uid="blogs.mediafile.cards.deleted")
    # The authors' names (« par Prénom Nom ») are under ``accounts.models.NAMES_VERSION``.


def _blog_of_post(post_id, instance=None):
    """The blog of a post, from ``instance``'s loaded post if it has one, else one query (None for a
    post already deleted: its own ``post_delete`` bumped its blog)."""
    loaded = instance._state.fields_cache.get("post") if instance is not None else None
    if loaded is not None:
        return loaded.blog_id
    from .models import Post

    return Post.objects.filter(pk=post_id).values_list("blog_id", flat=True).first()


def _post_changed(instance, **kwargs) -> None:
    from .selectors import blog_posts_changed

    blog_posts_changed(instance.blog_id)


def _post_tags_changed(instance, action, reverse, **kwargs) -> None:
    from .selectors import blog_posts_changed, blog_tags_changed

    if action.startswith("post_"):
        blog_tags_changed() if reverse else blog_posts_changed(instance.blog_id)


def _tag_changed(**kwargs) -> None:
    from .selectors import blog_tags_changed

    blog_tags_changed()


def _blog_changed(sender, instance, action="post_", reverse=False, pk_set=None, **kwargs) -> None:
    """A blog saved or deleted, or its contributors or schools changed (from either side: a person's
    ``contributed_blogs``, too)."""
    from .models import Blog
    from .selectors import blogs_changed

    if reverse and action == "pre_clear":
        # Cleared from the other side: post_clear does not say which blogs; the rows still do now.
        other = next(f.attname for f in sender._meta.concrete_fields if f.many_to_one and f.related_model is not Blog)
        blogs_changed(sender.objects.filter(**{other: instance.pk}).values_list("blog_id", flat=True))
    elif action.startswith("post_"):
        blogs_changed((pk_set or ()) if reverse else [instance.pk])


def _comment_changed(sender, instance, **kwargs) -> None:
    from .models import Comment
    from .selectors import blog_comments_changed, blog_shown_changed

    blog_comments_changed()
    if sender is Comment:  # a card counts its post's published comments
        blog_shown_changed([_blog_of_post(instance.post_id, instance)])


def _image_changed(instance, **kwargs) -> None:
    from .selectors import blog_shown_changed

    blog_shown_changed([_blog_of_post(instance.post_id, instance)])


def _media_changed(instance, **kwargs) -> None:
    """A media saved or deleted: if a post holds it, that post's blog's cards are drawn again; if a
    blog does (its cover), the blog is read again (``selectors.blog_for_reading``) and its header
    drawn again."""
    if instance.holder_content_type_id is None:
        return
    from django.contrib.contenttypes.models import ContentType

    from .models import Blog, Post
    from .selectors import blog_shown_changed, blogs_changed

    if instance.holder_content_type_id == ContentType.objects.get_for_model(Post).pk:
        blog_shown_changed([_blog_of_post(instance.holder_object_id)])
    elif instance.holder_content_type_id == ContentType.objects.get_for_model(Blog).pk:
        blogs_changed([int(instance.holder_object_id)])

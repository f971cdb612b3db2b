from django.apps import AppConfig


class BlogsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "blogs"
    verbose_name = "Blogs"

    def ready(self):
        from accounts import home, structure_page
        from audit import actions
        from ent import publication
        from notifications import kinds
        from uploads.access import register_holder

        from . import sections, services
        from .home import latest_tutorial_panel, todo_items
        from .models import Blog, BlogsAction, Post
        from .permissions import can_view_blog, can_view_post, moderates_some_blog

        home.register(
            home.Panel(key="blogs", order=40, template="blogs/home_panel.html", context=latest_tutorial_panel)
        )
        home.register_todo(home.TodoSource(key="blogs", order=40, items=todo_items))
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

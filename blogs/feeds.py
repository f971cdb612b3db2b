"""Atom feeds: public for a public blog, behind a person's revocable key for the others."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.selectors import private_key_owner

from . import permissions, selectors
from .models import FeedToken


class BlogFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug, key=None):
        blog = selectors.blog_by_slug(slug=slug)
        if blog is None:
            raise Http404
        if key is None:
            if not blog.is_public:
                raise Http404
            return blog
        reader = private_key_owner(model=FeedToken, key=key)
        if reader is None or not permissions.can_view_blog(reader, blog):
            raise Http404
        return blog

    def title(self, blog):
        return blog.title

    def subtitle(self, blog):
        return blog.description or blog.owner_label()

    def link(self, blog):
        return blog.get_absolute_url()

    def feed_url(self, blog):
        return reverse("blogs:feed", args=[blog.slug]) if blog.is_public else None

    def items(self, blog):
        return selectors.attach_weeks(blog=blog, posts=selectors.feed_posts(blog=blog))

    def item_title(self, post):
        return f"{post.week.label} : {post.title}" if post.week else post.title

    def item_description(self, post):
        return str(post.body.html)

    def item_link(self, post):
        return post.get_absolute_url()

    def item_pubdate(self, post):
        return post.published_at

    def item_updateddate(self, post):
        return post.updated_at

    def item_author_name(self, post):
        return post.author.get_full_name() if post.author else None


blog_feed = BlogFeed()

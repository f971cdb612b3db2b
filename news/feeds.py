"""Atom feeds, one per news feed, behind each person's private and revocable key.

A feed reader has no session: the key in the URL stands for the person. A revoked (regenerated)
or unknown key, an inactive account or a feed the person may not read all answer 404.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed as SyndicationFeed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.selectors import private_key_owner

from . import permissions, selectors
from .models import FEED_DESCRIPTIONS, Feed, FeedToken

ITEMS = 30


class Atom1FeedWithContent(Atom1Feed):
    """Atom with each post's full (sanitised) text in <content>, so that it reads in a feed reader.

    The summary is plain text written by a person: it goes out as ``type="text"`` (Django's Atom
    feed would label it HTML, and a feed reader would then run any markup typed into it).
    """

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, {**item, "description": None})
        if item.get("description") is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class PostAtomFeed(SyndicationFeed):
    feed_type = Atom1FeedWithContent

    def get_object(self, request, key, feed):
        user = private_key_owner(model=FeedToken, key=key)
        if user is None or feed not in Feed.values or not permissions.can_view_feed(user, feed):
            raise Http404
        return user, Feed(feed)

    def title(self, obj):
        return f"{obj[1].label} — ENT"

    def subtitle(self, obj):
        return FEED_DESCRIPTIONS[obj[1]]

    def link(self, obj):
        return reverse("news:feed", args=[obj[1].value])

    def feed_guid(self, obj):
        return f"{settings.ENT_SITE_URL}/actualites/{obj[1].value}/"

    def items(self, obj):
        user, feed = obj
        return list(selectors.feed_posts(user=user, feed=feed).order_by("-published_at", "-pk")[:ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_extra_kwargs(self, item):
        return {"content": str(item.body.html)}

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.author.get_full_name() if item.author_id else None

    def item_guid(self, item):
        return f"{settings.ENT_SITE_URL}/actualites/billet/{item.pk}/"

    item_guid_is_permalink = False

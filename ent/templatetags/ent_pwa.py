"""The installable app's tags for the page's head (templates/components/pwa_head.html)."""

from django import template

from ent import pwa

register = template.Library()


@register.simple_tag
def service_worker_url() -> str:
    return pwa.service_worker_url()


@register.simple_tag
def pwa_theme_color(dark: bool = False) -> str:
    return pwa.DARK_THEME_COLOR if dark else pwa.THEME_COLOR

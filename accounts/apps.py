from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "Comptes et structures"

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from audit import actions
        from ent import versions

        from . import home
        from .models import (
            MEMBERSHIPS_VERSION,
            AccountAction,
            AppLink,
            District,
            Membership,
            Structure,
            User,
            forget_app_links,
        )
        from .roles import STRUCTURES_VERSION

        actions.register(AccountAction, app_name="Comptes")
        # After the feature apps' panels: the outside services are a way out, not news.
        home.register(
            home.Panel(
                key="app_links",
                order=90,
                template="accounts/app_links_panel.html",
                context=home.app_links_panel,
                kept=home.app_links_kept,
            )
        )
        # The district team's way to the adoption dashboard (no query: the viewer is already read).
        home.register(
            home.Panel(key="adoption", order=5, template="accounts/adoption_panel.html", context=home.adoption_panel)
        )
        # The links are cached (accounts.selectors.all_app_links): any change to one empties the cache.
        post_save.connect(forget_app_links, sender=AppLink, dispatch_uid="accounts.app_links.saved")
        post_delete.connect(forget_app_links, sender=AppLink, dispatch_uid="accounts.app_links.deleted")
        m2m_changed.connect(
            forget_app_links, sender=AppLink.audience_structures.through, dispatch_uid="accounts.app_links.structures"
        )
        # The district's name is kept in memory by every process (accounts.context_processors):
        # any change to the district gives it a new version, read on each process's next request.
        post_save.connect(_district_changed, sender=District, dispatch_uid="accounts.district.saved")
        post_delete.connect(_district_changed, sender=District, dispatch_uid="accounts.district.deleted")
        # A person's memberships are kept in the shared cache (accounts.roles): a membership saved or
        # deleted (the admin, the services, the factories) gives its person a new version, a
        # structure changed gives every person one (bulk writes bump them themselves).
        post_save.connect(_membership_changed, sender=Membership, dispatch_uid="accounts.membership.saved")
        post_delete.connect(_membership_changed, sender=Membership, dispatch_uid="accounts.membership.deleted")
        versions.follow(STRUCTURES_VERSION, Structure)
        # Everyone's memberships (the directory's member counts) and people's names (other people's
        # names on kept pages): see accounts.models. people_import's bulk writes bump them itself.
        versions.follow(MEMBERSHIPS_VERSION, Membership)
        post_save.connect(_name_changed, sender=User, dispatch_uid="accounts.names.saved")
        post_delete.connect(_name_changed, sender=User, dispatch_uid="accounts.names.deleted")
        # Django names its permissions in English once; written again in French after every migrate.
        from .permission_names import name_permissions_in_french

        post_migrate.connect(name_permissions_in_french, dispatch_uid="accounts.permission_names")


def _district_changed(**kwargs) -> None:
    from .context_processors import district_changed

    district_changed()


def _membership_changed(instance, **kwargs) -> None:
    from .roles import people_changed

    people_changed([instance.user_id])


def _name_changed(signal, created=False, update_fields=None, **kwargs) -> None:
    """A person renamed or deleted: not a new person (nothing shows their name yet), nor a save of
    other fields only (``last_login``…)."""
    from django.db.models.signals import post_delete

    from ent import versions

    from .models import NAME_FIELDS, NAMES_VERSION

    if signal is post_delete or (not created and (update_fields is None or NAME_FIELDS & set(update_fields))):
        versions.bump(NAMES_VERSION)

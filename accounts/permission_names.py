"""Django's permissions named in French.

Django writes each permission's name once, in English, when it creates it (« Can add actualité »),
and the admin shows these names (a person's permissions, groups): no translation catalogue reaches
them. After every ``migrate`` the names are written again in French from the models' own verbose
names (« Peut ajouter : actualité »), so new models are covered too.
"""

from django.apps import apps as global_apps
from django.utils import translation

VERBS = {"add": "ajouter", "change": "modifier", "delete": "supprimer", "view": "voir"}


def french_name(codename: str, verbose_name: str) -> str | None:
    """« Peut modifier : personne » for ``change_user``; None for a permission a model declared itself."""
    action, _, _model = codename.partition("_")
    verb = VERBS.get(action)
    return f"Peut {verb} : {verbose_name}"[:255] if verb else None


def name_permissions_in_french(*, apps=global_apps, using="default", **kwargs) -> int:
    """Rename the default permissions of every installed model; returns how many changed (a post_migrate receiver)."""
    try:
        Permission = apps.get_model("auth", "Permission")
        ContentType = apps.get_model("contenttypes", "ContentType")
    except LookupError:
        return 0
    models = {(m._meta.app_label, m._meta.model_name): m for m in global_apps.get_models(include_auto_created=True)}
    types = {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.using(using).all()}
    changed = []
    with translation.override("fr"):  # migrate may run with no language active: third-party names too
        verbose = {key: str(model._meta.verbose_name) for key, model in models.items()}
    for permission in Permission.objects.using(using).all():
        model = models.get(types.get(permission.content_type_id))
        if model is None or permission.codename != f"{permission.codename.split('_', 1)[0]}_{model._meta.model_name}":
            continue
        name = french_name(permission.codename, verbose[(model._meta.app_label, model._meta.model_name)])
        if name and permission.name != name:
            permission.name = name
            changed.append(permission)
    Permission.objects.using(using).bulk_update(changed, ["name"])
    return len(changed)

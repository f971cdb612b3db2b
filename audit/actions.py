"""Kinds of audited action: the stable codes an app writes in the audit trail, with their French label.

Each app declares its actions once, as a ``TextChoices`` (code ``"<app>.<object>.<verb>"``, label for
people), and registers it in its ``AppConfig.ready()``::

    from audit import actions

    actions.register(NewsAction, app_name="Actualités")

``audit.services.record`` refuses an action that was not registered (a typo would otherwise
write a code nobody filters on); the admin's filter lists the registered actions by app.
"""

import re
from dataclasses import dataclass

from django.db import models

CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){2,}$")


@dataclass(frozen=True)
class Action:
    code: str
    label: str
    app_name: str


_ACTIONS: dict[str, Action] = {}


def register(choices: type[models.TextChoices], *, app_name: str) -> None:
    """Declare these actions. Registering the same ones again with the same labels is a no-op."""
    for code, label in choices.choices:
        if not CODE.match(code) or len(code) > 80:
            raise ValueError(f"An audit action code looks like 'app.object.verb' (80 characters at most): {code!r}")
        action = Action(code, str(label), app_name)
        existing = _ACTIONS.get(code)
        if existing is not None and existing != action:
            raise ValueError(f"Audit action {code!r} is already registered differently: {existing}")
        _ACTIONS[code] = action


def get(code: str) -> Action:
    """The registered action, or ``LookupError`` (register it in the app's ``AppConfig.ready()``)."""
    try:
        return _ACTIONS[code]
    except KeyError:
        raise LookupError(f"Unknown audit action {code!r}: register it with audit.actions.register().") from None


def all_actions() -> list[Action]:
    return sorted(_ACTIONS.values(), key=lambda action: (action.app_name, action.label))

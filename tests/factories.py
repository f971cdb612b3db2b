"""factory_boy factories shared by every app's tests."""

import time

import factory
from django.utils import timezone

from accounts.models import District, Membership, Role, Structure, User
from accounts.validators import uai_check_letter

DEMO_PASSWORD = "mot-de-passe-de-test-2026"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("name",)

    name = "Circonscription de Lencloître"
    academie = "poitiers"


def _uai(n):
    first_seven = f"086{n:04d}"
    return first_seven + uai_check_letter(first_seven)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure

    district = factory.SubFactory(DistrictFactory)
    kind = Structure.Kind.SCHOOL
    uai = factory.Sequence(lambda n: _uai(n + 100))
    code = factory.LazyAttribute(lambda o: o.uai.lower())
    name = factory.Sequence(lambda n: f"École élémentaire n°{n}")
    school_type = Structure.SchoolType.ELEMENTAIRE
    commune = "Mirebeau"
    postal_code = "86110"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Structure
        django_get_or_create = ("code",)

    district = factory.SubFactory(DistrictFactory)
    kind = Structure.Kind.DISTRICT_TEAM
    code = "equipe-circonscription"
    name = "Équipe de circonscription"


class RasedFactory(TeamFactory):
    kind = Structure.Kind.RASED
    code = "rased"
    name = "RASED de Lencloître"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@ac-poitiers.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    is_active = True
    password = factory.django.Password(DEMO_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    structure = factory.SubFactory(SchoolFactory)
    role = Role.TEACHER
    start_date = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=365))


_TOTP_GIVEN: dict[str, str] = {}


def totp_code(secret: str, *, at_least_seconds_left: float = 2, fresh: bool = False) -> str:
    """The current two-factor code of an authenticator holding ``secret`` (as a phone app shows it).

    A code is valid only during its 30-second period: like a person who sees the code about to
    change, it waits for the next one when fewer than ``at_least_seconds_left`` seconds remain, so
    that a slow machine (a browser journey under load) never sends a code that expired on the way.
    With ``fresh=True`` it also waits for the next period when this code was already given (a
    person signing in twice within 30 seconds: the site refuses a code used once).
    """
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

    while True:
        left = app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD
        if left < at_least_seconds_left:
            time.sleep(left + 0.1)
        counters = list(yield_hotp_counters_from_time())
        code = format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))
        if not (fresh and _TOTP_GIVEN.get(secret) == code):
            _TOTP_GIVEN[secret] = code
            return code
        time.sleep(app_settings.TOTP_PERIOD - time.time() % app_settings.TOTP_PERIOD + 0.1)


def make_member(role, structure=None, **user_fields):
    """A person holding ``role`` in ``structure`` (a school, or the right team for team roles)."""
    if structure is None:
        if role in (Role.IEN, Role.CPC, Role.SECRETARY):
            structure = TeamFactory()
        elif role == Role.RASED:
            structure = RasedFactory()
        else:
            structure = SchoolFactory()
    return MembershipFactory(role=role, structure=structure, user=UserFactory(**user_fields)).user


# --- notebooks (Cahiers multimédias) ------------------------------------------------------------


class NotebookFactory(factory.django.DjangoModelFactory):
    """A notebook read by the whole district, open for contributions today, validated first."""

    class Meta:
        model = "notebooks.Notebook"
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Cahier n°{n}")
    slug = factory.Sequence(lambda n: f"cahier-{n}")
    theme = "Printemps"
    audience = "district"
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - timezone.timedelta(days=7))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + timezone.timedelta(days=30))
    policy = "validee"

    @factory.post_generation
    def contributors(self, create, extracted, **kwargs):
        if create and extracted:
            self.contributor_users.set(extracted)

    @factory.post_generation
    def contributing_structures(self, create, extracted, **kwargs):
        if create and extracted:
            self.contributor_structures.set(extracted)


class NotebookPageFactory(factory.django.DjangoModelFactory):
    """A draft page written by ``author`` (required: pass author=…)."""

    class Meta:
        model = "notebooks.Page"
        skip_postgeneration_save = True

    notebook = factory.SubFactory(NotebookFactory)
    title = factory.Sequence(lambda n: f"Page n°{n}")
    class_label = "CE1"
    position = factory.Sequence(lambda n: n)

    @factory.post_generation
    def author(self, create, extracted, **kwargs):
        if create and extracted:
            self.created_by = extracted
            self.save(update_fields=["created_by"])
            self.authors.set([extracted])


class NotebookBlockFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "notebooks.Block"

    page = factory.SubFactory(NotebookPageFactory)
    kind = "texte"
    body = "<p>Nous avons observé les jonquilles.</p>"
    position = factory.Sequence(lambda n: n)


def publish_notebook_page(page, *, by=None):
    """Freeze and publish a page as a manager's validation would (through the service's helper)."""
    from notebooks import services

    page.refresh_from_db()
    services._publish(actor=by, page=page, notify_authors=False)
    return page


# === mail (reading side) ==========================================================================
# Messages as the writing side leaves them once delivered: one Message, the sender's copy and one
# Delivery per recipient (or the team's shared mailbox), written directly for the reading tests.


def _mail_search_text(message):
    from mail.text import search_key

    sender = message.sender.get_full_name() if message.sender else ""
    return search_key(message.subject, str(message.body or ""), sender)


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mail.Message"

    sender = factory.SubFactory(UserFactory)
    status = "publie"
    subject = factory.Sequence(lambda n: f"Message n°{n}")
    body = "<p>Bonjour, voici les informations de la semaine.</p>"
    published_at = factory.LazyFunction(timezone.now)
    addressing = factory.LazyFunction(dict)
    search_text = factory.LazyAttribute(_mail_search_text)


def send_mail_to(sender, to=(), *, cc=(), bcc=(), shared_box=None, tokens=None, delivered_at=None, **fields):
    """A sent message from ``sender`` to these people (and the team's shared box), as if delivered."""
    from mail.models import Delivery
    from mail.services import mailboxes_changed

    when = delivered_at or timezone.now()
    addressing = tokens or {
        "to": [f"u:{u.pk}" for u in to] + (["team"] if shared_box is not None else []),
        "cc": [f"u:{u.pk}" for u in cc],
        "bcc": [f"u:{u.pk}" for u in bcc],
    }
    message = MessageFactory(sender=sender, addressing=addressing, published_at=when, **fields)
    rows = [Delivery(message=message, user=sender, field="sender", delivered_at=when, read_at=when)]
    for field_name, people in (("to", to), ("cc", cc), ("bcc", bcc)):
        rows += [Delivery(message=message, user=u, field=field_name, delivered_at=when) for u in people]
    if shared_box is not None:
        rows.append(
            Delivery(
                message=message, shared_box=shared_box, field="to", delivered_at=when, via="Équipe de circonscription"
            )
        )
    Delivery.objects.bulk_create(rows)
    mailboxes_changed((row.user_id, row.shared_box_id) for row in rows[1:])  # as message_deliver does
    message.recipient_count = len(rows) - 1
    message.save(update_fields=["recipient_count"])
    return message

"""Demo data for accounts: the Circonscription de Lencloître, its 59 schools and about 250 people.

Everything is keyed by a natural key (UAI, structure code, e-mail), so running it again updates
rather than duplicates. UAI codes are synthetic (0869xxx) but carry a valid check letter.
"""

import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from .models import AppIcon, AppLink, AudienceKind, District, Membership, Role, Structure, User
from .validators import uai_check_letter

DEMO_PASSWORD = "ent-demo-2026"  # noqa: S105 - published in README.md, demo only
# The demo district team and administrator must use two-factor authentication, like the real ones.
# Their authenticator shares this secret, so that `manage.py demo_totp` can print the code.
DEMO_TOTP_SECRET = "MVXHILLEMVWW6LLMMVXGG3DPNF2HEZJB"  # noqa: S105 - demo only

# (commune, postal code, [(type, name), ...]) — real communes of the Lencloître / Nord-Vienne area.
M, E, P = Structure.SchoolType.MATERNELLE, Structure.SchoolType.ELEMENTAIRE, Structure.SchoolType.PRIMAIRE
SCHOOLS = [
    ("Lencloître", "86140", [(M, "École maternelle Les Petits Pas"), (E, "École élémentaire Jules Ferry")]),
    ("Mirebeau", "86110", [(E, "École élémentaire Jean Raffarin"), (M, "École maternelle Les Coquelicots")]),
    (
        "Neuville-de-Poitou",
        "86170",
        [
            (M, "École maternelle Pierre Moinot"),
            (E, "École élémentaire Jacques Prévert"),
            (E, "École élémentaire Daniel Pennac"),
        ],
    ),
    (
        "Jaunay-Marigny",
        "86130",
        [
            (M, "École maternelle Les Lutins"),
            (E, "École élémentaire Jean Moulin"),
            (P, "École primaire de Marigny-Brizay"),
        ],
    ),
    ("Dissay", "86130", [(M, "École maternelle Marie Curie"), (E, "École élémentaire Marie Curie")]),
    (
        "Saint-Georges-lès-Baillargeaux",
        "86130",
        [
            (M, "École maternelle du Bourg"),
            (E, "École élémentaire Pierre et Marie Curie"),
            (P, "École primaire de Moulinet"),
        ],
    ),
    ("Avanton", "86170", [(P, "École primaire Maurice Fombeure")]),
    ("Cissé", "86170", [(M, "École maternelle Les Petits Loups"), (E, "École élémentaire Robert Desnos")]),
    ("Chabournay", "86380", [(P, "École primaire Les Quatre Vents")]),
    ("Vouzailles", "86170", [(P, "École primaire de Vouzailles")]),
    ("Thurageau", "86110", [(P, "École primaire de Thurageau")]),
    ("Amberre", "86110", [(P, "École primaire d’Amberre")]),
    ("Champigny-en-Rochereau", "86170", [(P, "École primaire Champigny-Le Rochereau")]),
    ("Chouppes", "86110", [(P, "École primaire de Chouppes")]),
    ("Cuhon", "86110", [(P, "École primaire de Cuhon")]),
    ("Massognes", "86170", [(P, "École primaire de Massognes")]),
    ("Maisonneuve", "86170", [(P, "École primaire de Maisonneuve")]),
    (
        "Saint-Martin-la-Pallu",
        "86380",
        [
            (M, "École maternelle Les Tilleuls"),
            (E, "École élémentaire Arc-en-Ciel"),
            (P, "École primaire de Blaslay"),
            (P, "École primaire Le Petit Prince"),
            (P, "École primaire de Cheneché"),
            (P, "École primaire de Varennes"),
        ],
    ),
    ("Ouzilly", "86380", [(P, "École primaire d’Ouzilly")]),
    ("Saint-Genest-d’Ambière", "86140", [(P, "École primaire de Saint-Genest")]),
    ("Scorbé-Clairvaux", "86140", [(M, "École maternelle de Scorbé"), (E, "École élémentaire Les Tourelles")]),
    ("Thuré", "86540", [(M, "École maternelle de Thuré"), (E, "École élémentaire Louis Pergaud")]),
    ("Orches", "86230", [(P, "École primaire d’Orches")]),
    ("Savigny-sous-Faye", "86140", [(P, "École primaire de Savigny")]),
    ("Sossais", "86230", [(P, "École primaire de Sossais")]),
    ("Doussay", "86140", [(P, "École primaire de Doussay")]),
    ("Cernay", "86140", [(P, "École primaire de Cernay")]),
    (
        "Beaumont Saint-Cyr",
        "86490",
        [(M, "École maternelle de Beaumont"), (E, "École élémentaire de Beaumont"), (P, "École primaire de Saint-Cyr")],
    ),
    (
        "Naintré",
        "86530",
        [(M, "École maternelle Paul Éluard"), (E, "École élémentaire Paul Éluard"), (E, "École élémentaire Jean Zay")],
    ),
    ("Colombiers", "86490", [(P, "École primaire de Colombiers")]),
    ("Availles-en-Châtellerault", "86530", [(P, "École primaire Jean de La Fontaine")]),
    (
        "Cenon-sur-Vienne",
        "86530",
        [(M, "École maternelle de Cenon"), (E, "École élémentaire Antoine de Saint-Exupéry")],
    ),
    ("Vouneuil-sur-Vienne", "86210", [(P, "École primaire de Vouneuil")]),
    ("Leigné-sur-Usseau", "86230", [(P, "École primaire de Leigné-sur-Usseau")]),
    ("Usseau", "86230", [(P, "École primaire d’Usseau")]),
    ("Ingrandes", "86220", [(P, "École primaire Les Hirondelles")]),
    ("Antran", "86100", [(P, "École primaire d’Antran")]),
]

FIRST_NAMES = [
    "Camille",
    "Nathalie",
    "Sophie",
    "Isabelle",
    "Claire",
    "Julie",
    "Émilie",
    "Céline",
    "Sandrine",
    "Aurélie",
    "Caroline",
    "Marion",
    "Élodie",
    "Laure",
    "Hélène",
    "Anne",
    "Virginie",
    "Stéphanie",
    "Mélanie",
    "Pauline",
    "Justine",
    "Agnès",
    "Valérie",
    "Karine",
    "Laëtitia",
    "Chloé",
    "Manon",
    "Léa",
    "Nicolas",
    "Julien",
    "Sébastien",
    "Thomas",
    "Pierre",
    "Frédéric",
    "Olivier",
    "Vincent",
    "Mathieu",
    "Guillaume",
    "François",
    "Benoît",
    "Jérôme",
    "Laurent",
    "Christophe",
    "Antoine",
    "Romain",
    "Damien",
    "Cédric",
    "Yann",
    "Hugo",
    "Louis",
    "Maxime",
]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "Legrand",
    "Garnier",
    "Faure",
    "Rousseau",
    "Blanc",
    "Guérin",
    "Muller",
    "Henry",
    "Roussel",
    "Nicolas",
    "Perrin",
    "Morin",
    "Mathieu",
    "Clément",
    "Gauthier",
    "Dumont",
    "Lopez",
    "Fontaine",
    "Chevalier",
    "Robin",
    "Masson",
    "Sanchez",
    "Gérard",
    "Nguyen",
    "Boyer",
    "Denis",
    "Lemaire",
    "Duval",
    "Joly",
    "Gautier",
    "Roger",
    "Roche",
    "Roy",
    "Noël",
    "Meyer",
    "Lucas",
    "Meunier",
    "Jean",
    "Perez",
    "Marchand",
    "Dufour",
    "Blanchard",
    "Marie",
    "Barbier",
    "Brun",
    "Dumas",
    "Brunet",
    "Schmitt",
    "Leroux",
    "Colin",
    "Fernandez",
    "Pierre",
    "Renard",
    "Arnaud",
    "Rolland",
    "Caron",
    "Aubert",
    "Giraud",
    "Leclerc",
    "Vidal",
    "Bourgeois",
    "Renaud",
    "Lemoine",
    "Picard",
    "Gaillard",
    "Philippe",
    "Leclercq",
    "Lacroix",
    "Fabre",
    "Dupuis",
    "Olivier",
    "Rodriguez",
    "Da",
    "Silva",
    "Hubert",
    "Louis",
    "Charles",
    "Guillot",
    "Rivière",
    "Le",
    "Gall",
    "Guillaume",
    "Adam",
    "Rey",
    "Moulin",
]

# The named demo logins (README.md lists them).
NAMED = {
    "ien": ("ien@demo.ent.fr", "Annie", "Jussaume"),
    "cpc_num": ("cpc.numerique@demo.ent.fr", "Adrian", "Sureaud"),
    "cpc_1": ("cpc.eps@demo.ent.fr", "Claire", "Brousse"),
    "cpc_2": ("cpc.maitrise-langue@demo.ent.fr", "Frédéric", "Chaumillon"),
    "secretary": ("secretariat@demo.ent.fr", "Martine", "Aubineau"),
    "director": ("directeur@demo.ent.fr", "Didier", "Moreau"),
    "teacher": ("enseignant@demo.ent.fr", "Élise", "Bonnin"),
    "rased": ("rased@demo.ent.fr", "Rachida", "Benali"),
}


def demo_uai(n: int) -> str:
    first_seven = f"0869{n:03d}"
    return first_seven + uai_check_letter(first_seven)


class DemoPeople:
    """Creates or updates demo people, remembering which ones it touched."""

    def __init__(self):
        self.count = 0
        # One hash for every demo account: hashing 250 passwords one by one takes minutes.
        self.password_hash = make_password(DEMO_PASSWORD)

    def person(self, email, first_name, last_name, *, active=True, staff=False, superuser=False):
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "is_active": active,
                "is_staff": staff,
                "is_superuser": superuser,
                "password": self.password_hash if active else make_password(None),
            },
        )
        self.count += 1
        return user


def _school_year_start():
    """1 September of the current school year (the previous calendar year before September)."""
    today = timezone.localdate()
    return today.replace(year=today.year if today.month >= 9 else today.year - 1, month=9, day=1)


def _member(user, structure, role, speciality="", start=None):
    membership, _ = Membership.objects.get_or_create(
        user=user,
        structure=structure,
        role=role,
        end_date=None,
        defaults={"speciality": speciality, "start_date": start or _school_year_start()},
    )
    return membership


def _give_totp(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)


@transaction.atomic
def seed(command):
    rng = random.Random(2026)
    school_year_start = _school_year_start()

    district, _ = District.objects.update_or_create(
        name="Circonscription de Lencloître", defaults={"academie": "poitiers"}
    )
    team, _ = Structure.objects.update_or_create(
        code="equipe-circonscription",
        defaults={
            "district": district,
            "kind": Structure.Kind.DISTRICT_TEAM,
            "name": "Équipe de circonscription de Lencloître",
            "commune": "Lencloître",
            "postal_code": "86140",
            "address": "2 place du Champ de Foire",
            "phone": "05 49 00 00 00",
            "email": "ien.lencloitre@ac-poitiers.fr",
        },
    )
    rased, _ = Structure.objects.update_or_create(
        code="rased-lencloitre",
        defaults={
            "district": district,
            "kind": Structure.Kind.RASED,
            "name": "RASED de Lencloître",
            "commune": "Lencloître",
            "postal_code": "86140",
            "email": "rased.lencloitre@ac-poitiers.fr",
        },
    )

    schools = []
    n = 0
    for commune, postal_code, entries in SCHOOLS:
        for school_type, name in entries:
            n += 1
            uai = demo_uai(n)
            school, _ = Structure.objects.update_or_create(
                uai=uai,
                defaults={
                    "district": district,
                    "kind": Structure.Kind.SCHOOL,
                    "code": uai.lower(),
                    "name": name,
                    "school_type": school_type,
                    "commune": commune,
                    "postal_code": postal_code,
                    "address": f"{rng.randint(1, 40)} rue de l’École",
                    "phone": f"05 49 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                },
            )
            schools.append(school)
    assert len(schools) == 59, len(schools)

    people = DemoPeople()
    admin = people.person("admin@demo.ent.fr", "Alex", "Administrateur", staff=True, superuser=True)
    _give_totp(admin)

    email, first, last = NAMED["ien"]
    ien = people.person(email, first, last)
    _member(ien, team, Role.IEN)
    for key, speciality in (("cpc_num", "numérique"), ("cpc_1", "EPS"), ("cpc_2", "maîtrise de la langue")):
        email, first, last = NAMED[key]
        _member(people.person(email, first, last), team, Role.CPC, speciality)
    email, first, last = NAMED["secretary"]
    _member(people.person(email, first, last), team, Role.SECRETARY)
    for membership in Membership.objects.current().filter(structure=team).select_related("user"):
        _give_totp(membership.user)

    email, first, last = NAMED["rased"]
    _member(people.person(email, first, last), rased, Role.RASED, "maître E")
    for first, last, speciality in (
        ("Gaëlle", "Tessier", "maître G"),
        ("Patrice", "Ménard", "psychologue de l’Éducation nationale"),
    ):
        _member(people.person(f"{_slug(first)}.{_slug(last)}@demo.ent.fr", first, last), rased, Role.RASED, speciality)

    mirebeau = next(s for s in schools if s.name == "École élémentaire Jean Raffarin")
    email, first, last = NAMED["director"]
    _member(people.person(email, first, last), mirebeau, Role.DIRECTOR)
    email, first, last = NAMED["teacher"]
    _member(people.person(email, first, last), mirebeau, Role.TEACHER)

    used = {(u[1], u[2]) for u in NAMED.values()}
    for index, school in enumerate(schools):
        staff_size = {Structure.SchoolType.MATERNELLE: 4, Structure.SchoolType.ELEMENTAIRE: 6}.get(
            school.school_type, 3
        )
        for position in range(staff_size):
            if school == mirebeau and position < 2:
                continue  # the named director and teacher hold these places
            first, last = _unique_name(rng, used)
            role = Role.DIRECTOR if position == 0 else Role.TEACHER
            # About one teacher in ten is not activated yet: the admin demo shows them.
            active = role == Role.DIRECTOR or (index + position) % 10 != 3
            user = people.person(f"{_slug(first)}.{_slug(last)}@demo.ent.fr", first, last, active=active)
            _member(user, school, role, start=school_year_start)

    for order, (name, description, url, icon, audience) in enumerate(app_links(district.academie), start=1):
        AppLink.objects.update_or_create(
            name=name,
            defaults={"description": description, "url": url, "icon": icon, "audience": audience, "order": order},
        )

    command.stdout.write(f"  comptes : {len(schools)} écoles, {people.count} personnes, « Mes applis »")


def app_links(academie: str) -> list[tuple]:
    """« Mes applis » of a district of this académie: (name, description, url, icon, audience)."""
    return [
        (
            "ONDE",
            "Outil numérique pour la direction d’école : élèves, classes, inscriptions et admissions.",
            f"https://si1d.ac-{academie}.fr/onde/",
            AppIcon.SCHOOL,
            AudienceKind.DIRECTORS,
        ),
        (
            "Messagerie académique",
            f"Le webmail de l’académie : votre adresse professionnelle en @ac-{academie}.fr.",
            f"https://webmail.ac-{academie}.fr/",
            AppIcon.MAIL,
            AudienceKind.DISTRICT,
        ),
        (
            "apps.education.fr",
            "Les outils des agents : nuage, visioconférence, pads, vidéos (Tube), formulaires.",
            "https://portail.apps.education.fr/",
            AppIcon.CLOUD,
            AudienceKind.DISTRICT,
        ),
        (
            "Magistère",
            "Les formations à distance et hybrides de l’académie et des animations pédagogiques.",
            f"https://magistere.education.fr/ac-{academie}/",
            AppIcon.TRAINING,
            AudienceKind.DISTRICT,
        ),
        (
            "Éduscol",
            "Programmes, ressources d’accompagnement et repères pour enseigner à l’école primaire.",
            "https://eduscol.education.fr/",
            AppIcon.BOOK,
            AudienceKind.DISTRICT,
        ),
    ]


def _unique_name(rng, used):
    while True:
        name = (rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES))
        if name not in used:
            used.add(name)
            return name


def _slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_text.lower().replace(" ", "-") if c.isalnum() or c == "-")


def finish(command):
    """Visits since the start of the school year, for the adoption dashboard (« Tableau de bord »):
    written by ``user_record_visit``, the middleware's service, in day order. About two thirds of
    the schools use the ENT, some more than others; the accounts one signs in with came today."""
    import datetime as dt

    from .adoption import school_year_start
    from .services import user_record_visit

    if User.objects.filter(last_seen__isnull=False).exists():
        return  # already loaded: loading twice adds nothing
    rng = random.Random(15)
    today = timezone.localdate()
    start = school_year_start(today)
    schools = list(Structure.objects.filter(kind=Structure.Kind.SCHOOL).order_by("code"))
    keen = {s.pk: rng.random() for s in schools}
    members = Membership.objects.current().filter(structure__in=schools, user__is_active=True).select_related("user")
    seen = set()
    for membership in members.order_by("user_id"):
        user = membership.user
        if user.pk in seen or keen[membership.structure_id] < 0.35:
            continue
        seen.add(user.pk)
        day = start + dt.timedelta(days=rng.randrange(0, 20))
        while day <= today:
            if rng.random() < keen[membership.structure_id]:
                user_record_visit(user=user, day=day)
            day += dt.timedelta(days=rng.randrange(5, 25))
    signed_in = ["ien@demo.ent.fr", "cpc.numerique@demo.ent.fr", "directeur@demo.ent.fr", "enseignant@demo.ent.fr"]
    for user in User.objects.filter(email__in=signed_in):
        user_record_visit(user=user, day=today)
    command.stdout.write(f"  Tableau de bord : visites de {len(seen)} personnes depuis la rentrée.")

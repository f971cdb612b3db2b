"""Demo data: a school year of district events, and the official school holidays.

Called by ``manage.py seed_demo`` after the accounts are seeded. Events are added through
``timeline.services.event_create`` by the district team or the school's director (their audience is
told of the coming ones), each dated when it was entered (:func:`ent.demo_history.written_at`); the
daily deadline reminders of the past week are replayed. Idempotent: an event is found again by its
title, its school and its school year and left as it is, a reminder is never sent twice (its key);
the holidays are loaded from the shipped calendar file (updated, never duplicated).
"""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.audiences import AudienceKind
from accounts.models import Structure, User
from accounts.permissions import schools_directed_by
from ent.demo_history import written_at

from .categories import Category
from .dates import SchoolYear, local_datetime, school_year_of
from .models import Event
from .services import EventData, deadline_reminders_send, event_create, school_holidays_load

HOLIDAYS_FILE = "calendrier_scolaire_zone_a.ics"
WED, MON, TUE, THU, FRI = 2, 0, 1, 3, 4


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday of a month (n=1: the first)."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def seed(command) -> None:
    from pathlib import Path

    content = (Path(__file__).resolve().parent / "data" / HOLIDAYS_FILE).read_bytes()
    result = school_holidays_load(content=content, zone="A", source=HOLIDAYS_FILE)
    command.stdout.write(
        f"  Frise : vacances scolaires zone A chargées ({result.created} ajoutées, {result.updated} mises à jour)."
    )

    year = school_year_of(timezone.localdate())
    count = seed_events(year)
    reminders = replay_deadline_reminders()
    command.stdout.write(
        f"  Frise : {count} événements de l’année scolaire {year.label}, {reminders} rappels d’échéance."
    )


def replay_deadline_reminders(days: int = 7) -> int:
    """Run the daily reminder task of the last ``days`` mornings and of today, each dated that
    morning: the deadlines of the coming week have reminded their audience (once: dedupe keys)."""
    today = timezone.localdate()
    sent = 0
    for back in range(days, -1, -1):
        day = today - timedelta(days=back)
        morning = min(local_datetime(day, time(6, 30)), timezone.now())
        with written_at(morning):
            sent += deadline_reminders_send(today=day).sent
    return sent


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


# The district team enters the year's events in the last days of August; those of the coming weeks
# were added later, this long before they start (the latest of them are still news for their public).
ADDED_AHEAD = timedelta(days=45)


def _added_at(year: SchoolYear, start: date, now: datetime) -> datetime:
    """When the demo says an event was entered: ADDED_AHEAD before it starts if that is past, else in
    the last days of August (planned with the year); never later than two hours ago."""
    first = local_datetime(year.first_day - timedelta(days=5), time(10))
    added = local_datetime(start - ADDED_AHEAD, time(10))
    if added > now:
        added = first
    return min(max(first, added), now - timedelta(hours=2))


def _upsert(year: SchoolYear, *, title: str, school=None, structures=(), created_by=None, **fields) -> Event:
    """The demo event of that title, school and school year, or a new one written through
    ``event_create`` (which tells its audience), dated when it was entered."""
    event = (
        Event.objects.filter(title=title, school=school, start_date__gte=year.first_day - timedelta(days=31))
        .filter(start_date__lte=year.last_day + timedelta(days=60))
        .first()
    )
    if event is not None:
        return event  # made by an earlier run: left as it is
    fields.setdefault("all_day", "starts_at" not in fields)
    if "starts_at" in fields:
        fields.setdefault("start_date", timezone.localtime(fields["starts_at"]).date())
        fields.setdefault("end_date", timezone.localtime(fields["ends_at"]).date())
    fields.setdefault("end_date", fields["start_date"])
    data = EventData(title=title, school=school, audience_structures=tuple(structures), **fields)
    with written_at(_added_at(year, data.start_date, timezone.now())):
        return event_create(actor=created_by, data=data)


def seed_events(year: SchoolYear) -> int:
    y, n = year.start_year, year.start_year + 1
    counsellor = _person("cpc.numerique@demo.ent.fr")
    inspector = _person("ien@demo.ent.fr") or counsellor
    if inspector is None:
        return 0  # no demo accounts: nobody to enter the events
    counsellor = counsellor or inspector
    team = Structure.objects.filter(kind=Structure.Kind.DISTRICT_TEAM).first()
    seat = f"Salle de réunion de la circonscription{', ' + team.commune if team and team.commune else ', Lencloître'}"

    def timed(day: date, start: time, end: time) -> dict:
        return {"starts_at": local_datetime(day, start), "ends_at": local_datetime(day, end), "all_day": False}

    events = []
    add = events.append
    # Réunions de directeurs.
    for day, subject in (
        (nth_weekday(y, 9, WED, 2), "de rentrée : organisation de l’année et priorités de la circonscription"),
        (nth_weekday(n, 1, WED, 2), "du 2e trimestre : évaluations de mi-parcours et carte scolaire"),
        (nth_weekday(n, 6, WED, 1), "de fin d’année : préparation de la rentrée"),
    ):
        add(
            _upsert(
                year,
                title=f"Réunion de directeurs {subject.split(' :')[0]}",
                category=Category.DIRECTORS_MEETING,
                description=f"Réunion des directrices et directeurs d’école {subject}.",
                place=seat,
                audience=AudienceKind.DIRECTORS,
                created_by=inspector,
                **timed(day, time(9), time(12)),
            )
        )
    # Animations pédagogiques.
    for day, title, remote in (
        (nth_weekday(y, 10, WED, 1), "Animation pédagogique : résoudre des problèmes au cycle 2", False),
        (nth_weekday(y, 11, WED, 4), "Animation pédagogique : le numérique au service de la lecture", True),
        (nth_weekday(n, 3, WED, 3), "Animation pédagogique : EPS et « savoir rouler à vélo »", False),
        (nth_weekday(n, 5, WED, 4), "Animation pédagogique : enseigner la grandeur et la mesure", False),
    ):
        add(
            _upsert(
                year,
                title=title,
                category=Category.ANIMATION,
                audience=AudienceKind.DISTRICT,
                created_by=counsellor,
                description="Inscription sur l’application de gestion des formations. Trois heures comptées dans les 18 heures d’animations pédagogiques.",
                place="" if remote else seat,
                video_url="https://visio.education.fr/" if remote else "",
                **timed(day, time(9), time(12)),
            )
        )
    # Formations.
    start = nth_weekday(y, 10, THU, 1)
    add(
        _upsert(
            year,
            title="Formation des directeurs nouvellement nommés",
            category=Category.TRAINING,
            description="Deux journées de formation : pilotage de l’école, sécurité (PPMS), relations avec les familles.",
            place=seat,
            audience=AudienceKind.DIRECTORS,
            created_by=inspector,
            start_date=start,
            end_date=start + timedelta(days=1),
        )
    )
    start = nth_weekday(n, 3, MON, 2)
    add(
        _upsert(
            year,
            title="Stage de formation continue : mathématiques au cycle 3",
            category=Category.TRAINING,
            description="Stage de trois jours du plan de formation départemental, ouvert sur candidature.",
            place="INSPÉ de Poitiers",
            audience=AudienceKind.DISTRICT,
            created_by=counsellor,
            start_date=start,
            end_date=start + timedelta(days=2),
        )
    )
    # Évaluations nationales.
    start = nth_weekday(y, 9, MON, 2)
    add(
        _upsert(
            year,
            title="Évaluations nationales de début d’année (CP au CM2)",
            category=Category.EVALUATION,
            description="Passation des évaluations nationales, puis saisie des résultats.",
            audience=AudienceKind.DISTRICT,
            created_by=inspector,
            start_date=start,
            end_date=start + timedelta(days=11),
        )
    )
    start = nth_weekday(n, 1, MON, 3)
    add(
        _upsert(
            year,
            title="Évaluations nationales : point d’étape CP",
            category=Category.EVALUATION,
            description="Point d’étape des évaluations de CP.",
            audience=AudienceKind.DISTRICT,
            created_by=inspector,
            start_date=start,
            end_date=start + timedelta(days=11),
        )
    )
    # Projets.
    start = nth_weekday(n, 2, MON, 1)
    add(
        _upsert(
            year,
            title="Semaine olympique et paralympique",
            category=Category.PROJECT,
            description="Une semaine de sport, de rencontres interclasses et de découverte des valeurs olympiques et paralympiques. Le cahier multimédia commun accueille les productions des classes.",
            audience=AudienceKind.DISTRICT,
            created_by=counsellor,
            start_date=start,
            end_date=start + timedelta(days=5),
        )
    )
    start = nth_weekday(n, 3, MON, 1)
    add(
        _upsert(
            year,
            title="Défi lecture de la circonscription",
            category=Category.PROJECT,
            description="Cinq albums, des énigmes chaque semaine, une finale par secteur.",
            audience=AudienceKind.DISTRICT,
            created_by=counsellor,
            start_date=start,
            end_date=start + timedelta(days=25),
        )
    )
    # The maths-and-measure exhibition, a week in each of several schools.
    schools = list(Structure.objects.schools().order_by("commune", "name"))
    seen, stops = set(), []
    for school in schools:
        if school.commune not in seen:
            seen.add(school.commune)
            stops.append(school)
        if len(stops) == 6:
            break
    monday = nth_weekday(y, 11, MON, 2)
    for week, school in enumerate(stops):
        start = monday + timedelta(weeks=week)
        add(
            _upsert(
                year,
                title=f"Exposition « Maths et mesure » à {school.commune}",
                category=Category.PROJECT,
                description="L’exposition itinérante de la circonscription (instruments de mesure, balances, défis de grandeurs) s’installe une semaine dans l’école. Les classes voisines peuvent la visiter sur réservation.",
                place=f"{school.name}, {school.commune}",
                audience=AudienceKind.DISTRICT,
                created_by=counsellor,
                start_date=start,
                end_date=start + timedelta(days=4),
            )
        )
    # Échéances administratives.
    for day, title, audience in (
        (nth_weekday(y, 10, FRI, 2), "Exercice PPMS n°1 : transmission du compte rendu", AudienceKind.DIRECTORS),
        (nth_weekday(y, 12, FRI, 1), "Inscriptions aux animations pédagogiques du 2e trimestre", AudienceKind.DISTRICT),
        (nth_weekday(y, 12, FRI, 2), "Demandes de classes de découverte : dépôt des dossiers", AudienceKind.DIRECTORS),
        (
            nth_weekday(n, 1, FRI, 4),
            "Prévisions d’effectifs pour la rentrée : retour des tableaux",
            AudienceKind.DIRECTORS,
        ),
        (nth_weekday(n, 3, FRI, 4), "Projets d’école : retour des avenants", AudienceKind.DIRECTORS),
        (nth_weekday(n, 5, FRI, 3), "Commandes de fournitures de la rentrée : date limite", AudienceKind.DIRECTORS),
    ):
        add(
            _upsert(
                year,
                title=title,
                category=Category.DEADLINE,
                audience=audience,
                created_by=inspector,
                start_date=day,
                description="À transmettre à la circonscription par la messagerie de l’ENT avant la fin de la journée.",
            )
        )
    # The district team's own meeting, and a day for everyone.
    add(
        _upsert(
            year,
            title="Réunion de l’équipe de circonscription",
            category=Category.OTHER,
            audience=AudienceKind.DISTRICT_TEAM,
            created_by=inspector,
            place=seat,
            **timed(nth_weekday(y, 12, MON, 2), time(14), time(16, 30)),
        )
    )
    # A school's own events, added by its director.
    director = _person("directeur@demo.ent.fr")
    school = Structure.objects.filter(pk__in=schools_directed_by(director)).first() if director else None
    if school is not None:
        for day, title in (
            (nth_weekday(y, 11, TUE, 2), "Conseil d’école du 1er trimestre"),
            (nth_weekday(n, 3, TUE, 2), "Conseil d’école du 2e trimestre"),
            (nth_weekday(n, 6, TUE, 3), "Conseil d’école du 3e trimestre"),
        ):
            add(
                _upsert(
                    year,
                    title=title,
                    school=school,
                    category=Category.OTHER,
                    created_by=director,
                    place=f"{school.name}, salle polyvalente",
                    description="Ordre du jour envoyé aux membres du conseil quinze jours avant.",
                    **timed(day, time(18), time(20)),
                )
            )
        day = nth_weekday(n, 6, FRI, 4)
        add(
            _upsert(
                year,
                title="Fête de l’école",
                school=school,
                category=Category.PROJECT,
                created_by=director,
                place=f"{school.name}",
                start_date=day,
            )
        )
    return len(events)

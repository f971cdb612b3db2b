"""Demo data for news: a school year of posts in the three feeds of the Circonscription de Lencloître.

Called by ``manage.py seed_demo`` after the accounts. Posts are written, published, submitted and
reminded about through ``news.services``, as the district team and the proposers would, so that
their audiences are notified; each at its own date (:func:`ent.demo_history.written_at`). Every post
is keyed by its slug (one made by an earlier run is left as it is), every acknowledgement by (post,
school) and every registration by (post, person): running it again changes nothing. Dates are
relative to today, so the demo always has posts of this week, a scheduled post, an expired one in
the archive and registrations still open.
"""

import datetime as dt
from dataclasses import replace

from django.db import transaction
from django.utils import timezone

from accounts.audiences import prefetch_current_directors
from accounts.models import Structure, User
from accounts.permissions import schools_directed_by
from ent.demo_history import written_at

from .models import Acknowledgement, Feed, Level, Post, PostStatus, Registration
from .services import (
    PostInput,
    post_acknowledge,
    post_create,
    post_mark_read,
    post_publish,
    post_remind_unacknowledged,
    post_submit,
    post_update,
    registration_save,
)

P, J, D = Feed.PEDAGOGY, Feed.PROJECTS, Feed.DIRECTORS

# slug, feed, author key, when, title, summary, body, options. « when » is a number of days ago (negative:
# in the future), or « J+n », n days after the start of the school year (1 September).
POSTS = [
    (
        "animations-pedagogiques-programme-de-l-annee",
        P,
        "cpc_num",
        "J+2",
        "Animations pédagogiques : le programme de l’année",
        "Les dix-huit heures d’animations pédagogiques de l’année : thèmes, dates et modalités d’inscription.",
        "<p>Comme chaque année, les animations pédagogiques s’organisent en <strong>dix-huit heures</strong> : "
        "neuf heures en présentiel et neuf heures de formation à distance sur M@gistère.</p>"
        "<h2>Les thèmes retenus</h2><ul><li>Résolution de problèmes au cycle 2</li>"
        "<li>Lecture à voix haute et compréhension au cycle 3</li><li>Le numérique au service des apprentissages</li>"
        "<li>Activités physiques : savoir rouler à vélo</li></ul>"
        "<p>Les inscriptions se font sur GAIA avant le 30 septembre.</p>",
        {"pinned": True},
    ),
    (
        "animation-cycle-2-resoudre-des-problemes",
        P,
        "cpc_2",
        "J+35",
        "Animation pédagogique : résoudre des problèmes au cycle 2",
        "Mercredi 6 novembre à Neuville-de-Poitou, de 9 h à 12 h : modéliser pour résoudre.",
        "<p>Cette animation propose des situations de résolution de problèmes à une ou deux étapes, "
        "avec une attention particulière à la <em>modélisation</em> (schémas en barres, manipulation).</p>"
        "<p>Rendez-vous à l’école élémentaire Jacques Prévert. Apportez un exemple de problème travaillé en classe.</p>",
        {},
    ),
    (
        "inscriptions-animations-premier-trimestre",
        P,
        "cpc_num",
        "J+9",
        "Inscriptions aux animations du premier trimestre",
        "Dernier rappel : les inscriptions aux animations du premier trimestre ferment vendredi.",
        "<p>Pensez à vous inscrire sur GAIA avant vendredi. Passé ce délai, contactez le secrétariat.</p>",
        {"expires": "J+24"},
    ),
    (
        "exposition-maths-et-mesure-semaine-1",
        P,
        "cpc_2",
        "J+63",
        "Exposition Maths et Mesure semaine 1 : école élémentaire Jules Ferry de Lencloître",
        "L’exposition itinérante « Maths et Mesure » s’installe à Lencloître pour sa première semaine.",
        "<p>Balances, toises, sabliers et règles d’autrefois : l’exposition invite les élèves à <strong>mesurer</strong> "
        "longueurs, masses, durées et contenances.</p><p>Les classes des écoles voisines peuvent la visiter : "
        "prenez rendez-vous auprès de la directrice de l’école Jules Ferry.</p>",
        {},
    ),
    (
        "exposition-maths-et-mesure-semaine-2",
        P,
        "cpc_2",
        "J+70",
        "Exposition Maths et Mesure semaine 2 : école élémentaire Jacques Prévert de Neuville-de-Poitou",
        "Deuxième étape de l’exposition itinérante, à Neuville-de-Poitou.",
        "<p>L’exposition est installée dans la salle polyvalente de l’école. Créneaux de visite : "
        "lundi, mardi et jeudi, de 9 h à 11 h 30.</p>",
        {},
    ),
    (
        "exposition-maths-et-mesure-semaine-3",
        P,
        "cpc_2",
        "J+76",
        "Exposition Maths et Mesure semaine 3 : école élémentaire de Mirebeau",
        "L’exposition « Maths et Mesure » arrive à l’école élémentaire Jean Raffarin de Mirebeau.",
        "<p>Pour sa troisième semaine, l’exposition s’installe à Mirebeau. Un atelier « la mesure du temps » "
        "est proposé aux classes de CE2, CM1 et CM2.</p><ol><li>Observer les instruments</li>"
        "<li>Estimer puis mesurer</li><li>Comparer les unités d’hier et d’aujourd’hui</li></ol>",
        {},
    ),
    (
        "defis-mathematiques-de-la-semaine",
        P,
        "cpc_2",
        3,
        "Défis mathématiques : une énigme par jour pour toutes les classes",
        "Chaque jour de la semaine, une énigme par niveau, du CP au CM2, à résoudre en classe.",
        "<p>Chaque jour, un défi est proposé par niveau. Les réponses des classes peuvent être envoyées "
        "par la messagerie de l’ENT : les plus originales seront publiées.</p>"
        "<blockquote><p>« Les mathématiques sont la poésie des sciences. » — Léopold Sédar Senghor</p></blockquote>",
        {},
    ),
    (
        "lecture-a-voix-haute-ressources",
        P,
        "cpc_2",
        1,
        "Lire à voix haute : ressources pour la classe",
        "Une sélection d’albums et de textes courts pour pratiquer la lecture à voix haute au quotidien.",
        '<p>Retrouvez la sélection sur le site <a href="https://eduscol.education.fr/">Éduscol</a> '
        "et les fiches préparées par l’équipe de circonscription.</p>",
        {},
    ),
    (
        "animation-numerique-ecrire-avec-le-numerique",
        P,
        "cpc_num",
        -6,
        "Animation : écrire avec le numérique au cycle 3",
        "Traitement de texte, dictée vocale et correcteur : produire des écrits longs au cycle 3.",
        "<p>Animation en présentiel à Jaunay-Marigny. Apportez une tablette ou un ordinateur portable de l’école.</p>",
        {"scheduled": True},
    ),
    (
        "semaine-olympique-et-paralympique",
        J,
        "cpc_1",
        "J+36",
        "Semaine olympique et paralympique : inscrivez vos classes",
        "Du 2 au 7 février, des rencontres sportives inter-écoles et un défi « 30 minutes d’activité physique ».",
        "<p>La circonscription organise des <strong>rencontres sportives</strong> inter-écoles pendant la semaine "
        "olympique et paralympique : parcours d’athlétisme, boccia, cécifoot et basket fauteuil.</p>"
        "<p>Inscrivez votre classe avec le bouton « Mon école participe » : nous organiserons les rencontres "
        "par secteur.</p>",
        {"registration_days": 20},
    ),
    (
        "rencontres-chorales-de-printemps",
        J,
        "cpc_2",
        "J+20",
        "Rencontres chorales de printemps",
        "Un répertoire commun et deux rencontres chorales au mois de mai à Lencloître.",
        "<p>Le répertoire commun (cinq chants) est disponible auprès de la conseillère pédagogique. "
        "Deux répétitions communes sont prévues en avril.</p>",
        {"registration_closes": "J+50"},
    ),
    (
        "exercices-ppms-premier-trimestre",
        D,
        "ien",
        20,
        "Exercices PPMS : calendrier et compte rendu",
        "Chaque école réalise un exercice PPMS « attentat-intrusion » avant les vacances et en transmet le compte rendu.",
        "<p>Mesdames et messieurs les directeurs,</p><p>Je vous rappelle que chaque école doit réaliser un "
        "<strong>exercice PPMS</strong> de type attentat-intrusion au cours du premier trimestre, puis un exercice "
        "« risques majeurs » avant la fin de l’année scolaire.</p><ul><li>Prévenez la mairie et les familles.</li>"
        "<li>Remplissez la fiche de retour d’expérience.</li><li>Transmettez le compte rendu à la circonscription.</li></ul>"
        "<p>Merci de confirmer la lecture de cette note.</p>",
        {"requires_ack": True, "ack_due_days": 10, "acknowledged": 35, "reminded": True},
    ),
    (
        "remontee-des-effectifs-previsionnels",
        D,
        "ien",
        2,
        "Remontée des effectifs prévisionnels pour la rentrée",
        "Merci de saisir vos effectifs prévisionnels dans ONDE avant la fin du mois.",
        "<p>La carte scolaire se prépare : les effectifs prévisionnels par niveau sont attendus dans ONDE. "
        "Signalez à la circonscription toute ouverture de lotissement ou toute situation particulière.</p>",
        {"requires_ack": True, "ack_due_days": 15, "acknowledged": 8},
    ),
    (
        "calendrier-des-conseils-d-ecole",
        D,
        "secretary",
        "J+16",
        "Calendrier des conseils d’école",
        "Les dates limites des conseils d’école des deuxième et troisième trimestres.",
        "<p>Les procès-verbaux des conseils d’école sont à transmettre à la circonscription dans les quinze jours.</p>",
        {},
    ),
]

PROPOSALS = [
    (
        "correspondance-avec-une-ecole-de-montreal",
        P,
        "teacher",
        "Notre classe de CM1 correspond avec une école de Montréal",
        "Une correspondance scolaire avec une classe québécoise : lettres, visioconférences et recettes échangées.",
        "<p>Depuis la rentrée, notre classe échange chaque mois avec une classe de Montréal. "
        "Nous aimerions partager notre démarche avec les collègues intéressés.</p>",
        PostStatus.SUBMITTED,
    ),
    (
        "potager-de-l-ecole",
        J,
        "director",
        "Projet : un potager dans chaque école",
        "Proposer aux écoles volontaires de créer un potager et de partager leurs récoltes et observations.",
        "<p>Notre école a créé un potager l’an dernier. Nous proposons un projet commun aux écoles volontaires.</p>",
        PostStatus.DRAFT,
    ),
]

CLASSES = [
    ("CP", Level.CP, 22),
    ("CE1-CE2", Level.MULTI, 24),
    ("CM1", Level.CM1, 26),
    ("CM2", Level.CM2, 25),
    ("GS", Level.GS, 27),
    ("CE2", Level.CE2, 23),
]


def _school_year_start(today: dt.date) -> dt.date:
    start = today.replace(month=9, day=1)
    return start if today >= start else start.replace(year=start.year - 1)


def _when(when, now, start, *, clamp=True) -> dt.datetime:
    """« J+n » after the start of the school year at 9:00 (never in the future if clamped), or n days ago
    at 8:30 (n < 0: a scheduled post, in n days)."""
    if isinstance(when, str):
        day = start + dt.timedelta(days=int(when.removeprefix("J+")))
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
        return min(moment, now - dt.timedelta(hours=1)) if clamp else moment
    moment = timezone.make_aware(dt.datetime.combine(timezone.localdate(now) - dt.timedelta(days=when), dt.time(8, 30)))
    return min(moment, now - dt.timedelta(hours=1)) if when > 0 else moment


def _people():
    emails = {
        "ien": "ien@demo.ent.fr",
        "cpc_num": "cpc.numerique@demo.ent.fr",
        "cpc_1": "cpc.eps@demo.ent.fr",
        "cpc_2": "cpc.maitrise-langue@demo.ent.fr",
        "secretary": "secretariat@demo.ent.fr",
        "director": "directeur@demo.ent.fr",
        "teacher": "enseignant@demo.ent.fr",
    }
    found = {u.email: u for u in User.objects.filter(email__in=emails.values())}
    return {key: found.get(email) for key, email in emails.items()}


@transaction.atomic
def seed(command):
    people = _people()
    if people["ien"] is None:
        command.stdout.write("  actualités : comptes de démonstration absents, rien n’est créé")
        return
    now = timezone.now()
    start = _school_year_start(timezone.localdate())
    schools = list(Structure.objects.schools().order_by("name"))
    existing = set(Post.objects.filter(slug__in=[p[0] for p in POSTS + PROPOSALS]).values_list("slug", flat=True))
    created = 0
    for slug, feed, author_key, when, title, summary, body, options in POSTS:
        if slug in existing:
            continue  # made by an earlier run: left as it is
        author = people.get(author_key) or people["ien"]
        published_at = _when(when, now, start)
        scheduled = options.get("scheduled", False)
        expires_at = _when(options["expires"], now, start, clamp=False) if "expires" in options else None
        if expires_at is not None and expires_at <= published_at:
            expires_at = published_at + dt.timedelta(days=15)
        if "registration_closes" in options:
            closes_at = _when(options["registration_closes"], now, start, clamp=False)
        elif "registration_days" in options:
            closes_day = timezone.localdate(now) + dt.timedelta(days=options["registration_days"])
            closes_at = timezone.make_aware(dt.datetime.combine(closes_day, dt.time(18, 0)))
        else:
            closes_at = None
        data = PostInput(
            title=title,
            summary=summary,
            body=body,
            published_at=published_at,
            pinned=options.get("pinned", False),
            requires_ack=options.get("requires_ack", False),
            ack_due_date=(timezone.localdate() + dt.timedelta(days=options["ack_due_days"]))
            if "ack_due_days" in options
            else None,
            registration_closes_at=closes_at,
        )
        # Published back then: the service publishes at that past date (PostInput.published_at) and
        # tells the audience; its audit events and notifications are then dated back then too. A
        # scheduled post was prepared the day before.
        with written_at(now - dt.timedelta(days=1) if scheduled else published_at):
            post = post_create(actor=author, feed=feed, data=data, slug=slug)
            post = post_publish(actor=author, post=post)
        if expires_at is not None:
            # Its withdrawal date was set the next day (publishing refuses a date already past).
            with written_at(min(published_at + dt.timedelta(days=1), now)):
                post = post_update(actor=author, post=post, data=replace(data, expires_at=expires_at))
        created += 1
        if options.get("acknowledged"):
            _acknowledge(post, schools[: options["acknowledged"]], people, published_at)
        if options.get("reminded"):
            # This morning the IEN reminded the directors who have not confirmed yet.
            post_remind_unacknowledged(actor=people["ien"], post=post)
        if closes_at is not None:
            _register(post, schools[:8] if closes_at > now else schools[:5], people)

    for slug, feed, author_key, title, summary, body, status in PROPOSALS:
        author = people.get(author_key)
        if author is None or slug in existing:
            continue
        # Written two days ago; the teacher's was sent for validation yesterday afternoon.
        with written_at(now - dt.timedelta(days=2)):
            post = post_create(
                actor=author, feed=feed, data=PostInput(title=title, summary=summary, body=body), slug=slug
            )
        if status == PostStatus.SUBMITTED:
            with written_at(min(_at(now - dt.timedelta(days=1), dt.time(16, 45)), now)):
                post_submit(actor=author, post=post)
        created += 1

    # The demo teacher has already opened the older pedagogical posts: the newest stay « Nouveau ».
    if people["teacher"] is not None and created:
        old = Post.objects.live().filter(feed=P, published_at__lt=now - dt.timedelta(days=30))
        for post in old:
            post_mark_read(user=people["teacher"], post=post)
    command.stdout.write(f"  actualités : {Post.objects.count()} actualités ({created} nouvelles)")


def _at(moment: dt.datetime, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(moment), time))


def _acknowledge(post, schools, people, published_at):
    """The first schools (by name) acknowledged, over the days after publication; never the demo director's."""
    demo_director = people.get("director")
    directed_by_demo = schools_directed_by(demo_director) if demo_director else frozenset()
    directors = _directors(schools)
    done = set(Acknowledgement.objects.filter(post=post).values_list("school_id", flat=True))
    for index, school in enumerate(schools):
        if school.pk in directed_by_demo or school.pk not in directors or school.pk in done:
            continue
        # Through the service (as the director's « J’ai pris connaissance »), then dated back.
        post_acknowledge(actor=directors[school.pk], post=post)
        at = min(published_at + dt.timedelta(hours=3 + index * 7), timezone.now())
        Acknowledgement.objects.filter(post=post, school=school).update(acknowledged_at=at)


def _directors(schools) -> dict:
    """School id -> its current director (every demo school has one)."""
    rows = Structure.objects.filter(pk__in=[s.pk for s in schools]).prefetch_related(prefetch_current_directors())
    return {school.pk: school.current_directors[0].user for school in rows if school.current_directors}


def _register(post, schools, people):
    # Each school's director registers a class.
    teachers = _directors(schools)
    for index, school in enumerate(schools):
        person = teachers.get(school.pk)
        if person is None or person == people.get("teacher"):
            continue
        name, level, pupils = CLASSES[index % len(CLASSES)]
        fields = {"school": school, "class_name": f"{name} de {person.get_full_name()}", "level": level}
        if post.registrations_open():
            registration_save(actor=person, post=post, pupil_count=pupils, **fields)
        else:
            # A project whose registrations are closed: the service (rightly) refuses them now; these
            # classes registered while it was open.
            Registration.objects.update_or_create(
                post=post, registered_by=person, defaults={**fields, "pupil_count": pupils, "comment": ""}
            )

"""Demo data of the blogs: « L’outil numérique de la semaine », a project blog, a public school blog.

Runs after the accounts' demo data (``manage.py seed_demo``). Blogs, posts and comments are written
through ``blogs.services`` by the counsellor, the director and the teachers, so that readers and
moderators are told; each at its own date (:func:`ent.demo_history.written_at`, and the post's or
comment's own date rewritten after the service ran). Blogs are keyed by slug and posts by (blog,
title): running it again creates what is missing and changes nothing else. The weekly
tutorials fill the school weeks of the current school year from its first week: those of past
weeks are published, the coming ones scheduled, and two of the next weeks are left empty so that
the planning shows what remains to be written.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from accounts.audiences import AudienceKind, members_of
from accounts.models import Structure, User
from ent.demo_history import written_at

from .models import Blog, Comment, Post, Tag
from .selectors import blog_posts_changed, series_calendar
from .services import PostAction, blog_create, comment_create, post_create
from .weeks import monday_of

SERIES_SLUG = "outil-numerique-de-la-semaine"
PROJECT_SLUG = "petits-champions-de-la-lecture"
SCHOOL_SLUG = "ecole-jean-raffarin"
COUNSELLOR = "cpc.numerique@demo.ent.fr"
PUBLISH_TIME = time(7, 30)
HOUR = timedelta(hours=1)
# Of the coming school weeks, these (0 = the next one) are left without a tutorial, and at least
# this many coming weeks have one.
EMPTY_COMING_WEEKS = (2, 6)
SCHEDULED_AHEAD = 10

CYCLES = {1: "Cycle 1", 2: "Cycle 2", 3: "Cycle 3"}


@dataclass(frozen=True)
class Tutorial:
    tool: str
    title: str
    url: str
    intro: str
    uses: list[str]
    steps: list[str]
    tip: str
    cycles: tuple = (2, 3)
    disciplines: tuple = ()
    extra_tools: tuple = field(default_factory=tuple)

    def body(self) -> str:
        uses = "".join(f"<li>{escape(u)}</li>" for u in self.uses)
        steps = "".join(f"<li>{escape(s)}</li>" for s in self.steps)
        return (
            f"<p>{escape(self.intro)}</p>"
            f"<h2>En classe</h2><ul>{uses}</ul>"
            f"<h2>Pour commencer</h2><ol>{steps}</ol>"
            f"<p><strong>Bon à savoir :</strong> {escape(self.tip)}</p>"
            f'<p>Le site : <a href="{escape(self.url)}">{escape(self.url)}</a></p>'
        )


TUTORIALS = [
    Tutorial(
        tool="Digiscreen",
        title="Digiscreen : le tableau de bord de la classe",
        url="https://ladigitale.dev/digiscreen/",
        intro="Pour la rentrée, un outil simple à projeter au tableau : Digiscreen, de La Digitale, réunit sur un "
        "fond d’écran la date, un minuteur, un chronomètre, un tirage au sort des prénoms et des consignes.",
        uses=[
            "Afficher l’emploi du temps de la journée et la date dès l’accueil.",
            "Lancer un minuteur visible de tous pendant un travail de groupe.",
            "Tirer au sort l’élève qui présente, sans soupçon de favoritisme.",
        ],
        steps=[
            "Ouvrez Digiscreen dans le navigateur du poste relié au vidéoprojecteur : aucun compte n’est demandé.",
            "Choisissez un fond d’écran, puis ajoutez les panneaux utiles depuis le menu.",
            "Enregistrez la configuration pour la retrouver demain.",
        ],
        tip="aucune donnée d’élève n’est envoyée : la liste des prénoms reste dans le navigateur.",
        cycles=(1, 2, 3),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="Digipad",
        title="Digipad : un mur collaboratif pour toute la classe",
        url="https://digipad.app/",
        intro="Digipad est un mur numérique sur lequel on épingle des textes, des images, des liens, des sons ou "
        "des vidéos. Libre et hébergé en France par La Digitale, il remplace avantageusement Padlet.",
        uses=[
            "Rassembler les ressources d’une séquence (vidéos, documents, exercices) en un seul lien.",
            "Recueillir les productions des élèves, chacun dans sa colonne.",
            "Présenter la classe aux familles lors de la réunion de rentrée.",
        ],
        steps=[
            "Créez un compte enseignant (gratuit) pour retrouver tous vos murs.",
            "Créez un pad, choisissez l’affichage « colonnes » et nommez chaque colonne.",
            "Partagez le lien ou le QR code ; réglez si les élèves peuvent déposer ou seulement lire.",
        ],
        tip="activez la modération des contributions pour valider ce que déposent les élèves avant affichage.",
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="Vocaroo",
        title="Vocaroo : enregistrer sa voix en un clic",
        url="https://vocaroo.com/",
        intro="Besoin d’enregistrer une lecture, une consigne ou une poésie sans installer de logiciel ? Vocaroo "
        "enregistre depuis le micro de l’ordinateur et donne un lien ou un fichier MP3.",
        uses=[
            "Enregistrer la lecture à voix haute de chaque élève en début et en fin de période pour mesurer les progrès.",
            "Donner une consigne orale à écouter en autonomie.",
            "Garder une trace de la récitation d’une poésie.",
        ],
        steps=[
            "Cliquez sur le bouton rouge et autorisez l’accès au micro.",
            "Arrêtez l’enregistrement, réécoutez-le, recommencez si besoin.",
            "Téléchargez le fichier MP3 plutôt que de partager le lien public.",
        ],
        tip="les enregistrements en ligne sont publics pour qui a le lien : téléchargez-les, puis déposez-les "
        "dans l’ENT, ou enregistrez directement avec le dictaphone des cahiers multimédias. Alternative sans "
        "publication : Digirecord de La Digitale.",
        cycles=(1, 2, 3),
        disciplines=("Français", "Langues vivantes"),
        extra_tools=("Digirecord",),
    ),
    Tutorial(
        tool="Digicode",
        title="Digicode : créer des QR codes pour la classe",
        url="https://ladigitale.dev/digicode/",
        intro="Un QR code collé sur une fiche ou un album permet d’ouvrir une ressource d’un geste avec la tablette. "
        "Digicode les fabrique en quelques secondes, sans compte ni publicité.",
        uses=[
            "Coller sur un album le QR code de sa lecture enregistrée par la classe.",
            "Organiser une chasse au trésor dans l’école avec des indices à scanner.",
            "Donner accès à une vidéo d’explication sur une fiche d’exercices.",
        ],
        steps=[
            "Collez l’adresse de la ressource (ou un court texte) dans Digicode.",
            "Choisissez la taille et la couleur, puis téléchargez l’image.",
            "Testez le QR code avec l’appareil photo de la tablette avant d’imprimer.",
        ],
        tip="un QR code ne fait qu’ouvrir un lien : vérifiez que la ressource reste accessible aux élèves sans compte.",
        cycles=(1, 2, 3),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="LearningApps",
        title="LearningApps : des exercices interactifs prêts à l’emploi",
        url="https://learningapps.org/",
        intro="LearningApps propose des milliers d’exercices interactifs créés par des enseignants (associations, "
        "textes à trous, classements, mots croisés) et permet de créer les siens.",
        uses=[
            "Réviser le vocabulaire d’une séquence de sciences en autonomie.",
            "Proposer un atelier de classement (nature des mots, solides) en fond de classe.",
            "Différencier : même exercice, trois niveaux de difficulté.",
        ],
        steps=[
            "Cherchez d’abord dans « Parcourir les applis » : l’exercice existe peut-être déjà.",
            "Pour créer, choisissez un modèle (par exemple « Classement par paires ») et remplissez-le.",
            "Partagez le lien ou intégrez l’exercice dans un Digipad.",
        ],
        tip="les élèves n’ont pas besoin de compte pour jouer les exercices.",
        disciplines=("Français", "Mathématiques"),
    ),
    Tutorial(
        tool="Book Creator",
        title="Book Creator : fabriquer un livre numérique avec ses élèves",
        url="https://bookcreator.com/",
        intro="Book Creator permet de réaliser des livres numériques mêlant textes, dessins, photos et "
        "enregistrements audio. L’offre gratuite pour les enseignants suffit pour une classe (40 livres).",
        uses=[
            "Écrire un album à la manière de… et l’enrichir de la voix des élèves.",
            "Réaliser un imagier sonore en maternelle.",
            "Rédiger un carnet de sortie scolaire illustré.",
        ],
        steps=[
            "Créez une bibliothèque pour la classe ; les élèves la rejoignent avec un code.",
            "Choisissez un format de livre, puis ajoutez pages, textes, images et sons avec le bouton « + ».",
            "Exportez le livre en ePub ou en PDF pour le garder et le partager dans l’ENT.",
        ],
        tip="alternative française et installable hors ligne : Didapages. Pensez à l’autorisation de droit à "
        "l’image avant toute photo d’élève.",
        cycles=(1, 2, 3),
        disciplines=("Français", "Arts plastiques"),
    ),
    Tutorial(
        tool="Digimindmap",
        title="Digimindmap : des cartes mentales pour structurer les idées",
        url="https://ladigitale.dev/digimindmap/",
        intro="Une carte mentale aide les élèves à organiser leurs connaissances autour d’une idée centrale. "
        "Digimindmap, de La Digitale, s’utilise en ligne, sans inscription.",
        uses=[
            "Faire émerger au tableau ce que la classe sait déjà d’un sujet.",
            "Construire la trace écrite d’une leçon d’histoire ou de sciences.",
            "Préparer un exposé : une branche par partie.",
        ],
        steps=[
            "Ouvrez Digimindmap et écrivez l’idée centrale.",
            "Ajoutez des branches avec la touche Tab, des sous-branches avec Entrée.",
            "Exportez en image pour l’afficher ou l’imprimer.",
        ],
        tip="une carte mentale construite ensemble au tableau vaut mieux qu’une carte parfaite distribuée.",
        disciplines=("Histoire-géographie", "Sciences et technologie"),
        cycles=(3,),
    ),
    Tutorial(
        tool="ScratchJr",
        title="ScratchJr : premiers pas en programmation",
        url="https://www.scratchjr.org/",
        intro="ScratchJr est une application gratuite pour tablette qui fait programmer de petites histoires animées "
        "en assemblant des blocs d’images, sans savoir lire.",
        uses=[
            "Faire se déplacer un personnage d’un point à un autre : repérage dans l’espace.",
            "Raconter une histoire en plusieurs scènes.",
            "Prolonger une séance de robots de sol (Blue-Bot) à l’écran.",
        ],
        steps=[
            "Installez ScratchJr sur les tablettes de l’école (Android, iPad).",
            "Montrez au tableau les blocs de déplacement et le drapeau vert pour lancer.",
            "Donnez un défi simple : « le chat doit aller jusqu’à l’arbre ».",
        ],
        tip="les projets restent sur la tablette : prévoyez une tablette par binôme, toujours la même.",
        cycles=(1, 2),
        disciplines=("Questionner le monde", "Mathématiques"),
    ),
    Tutorial(
        tool="Audacity",
        title="Audacity : monter une émission de radio scolaire",
        url="https://www.audacityteam.org/",
        intro="Audacity est un logiciel libre de montage audio. Il permet de couper, assembler et mixer des "
        "enregistrements pour réaliser une émission, un conte sonore ou un podcast.",
        uses=[
            "Assembler les chroniques des élèves en une émission de radio.",
            "Ajouter une musique libre de droits sous un conte lu.",
            "Supprimer les hésitations d’une lecture enregistrée.",
        ],
        steps=[
            "Installez Audacity (Windows, macOS, Linux ; il est déjà dans PrimTux).",
            "Importez vos enregistrements (Fichier › Importer › Audio), une piste par voix.",
            "Sélectionnez et supprimez les passages inutiles, puis exportez en MP3.",
        ],
        tip="des musiques libres pour l’école se trouvent sur la plateforme Auboutdufil ou dans la bibliothèque de "
        "musiques libres de la Digitale.",
        disciplines=("Français", "Éducation musicale"),
        cycles=(3,),
    ),
    Tutorial(
        tool="PrimTux",
        title="PrimTux : redonner vie aux vieux ordinateurs de l’école",
        url="https://primtux.fr/",
        intro="PrimTux est un système libre, pensé pour l’école primaire, qui s’installe sur des ordinateurs "
        "anciens. Il rassemble des centaines de logiciels éducatifs, classés par cycle.",
        uses=[
            "Équiper la salle informatique sans dépendre d’une connexion.",
            "Proposer à chaque élève une session adaptée à son cycle.",
            "Retrouver en un lieu GCompris, Tux Paint, LibreOffice des écoles et bien d’autres.",
        ],
        steps=[
            "Téléchargez PrimTux et copiez-le sur une clé USB (avec Balena Etcher).",
            "Démarrez l’ordinateur sur la clé pour essayer, puis installez.",
            "Choisissez la session « mini » (cycle 1), « super » (cycle 2) ou « maxi » (cycle 3).",
        ],
        tip="le conseiller numérique de la circonscription peut vous aider à l’installation : écrivez-lui par la messagerie.",
        cycles=(1, 2, 3),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="GCompris",
        title="GCompris : plus de cent activités pour les 2-10 ans",
        url="https://gcompris.net/",
        intro="GCompris est une suite libre de plus de 180 activités : lecture, calcul, repérage, "
        "logique, sciences, découverte du clavier et de la souris.",
        uses=[
            "Apprendre à manipuler la souris en petite section.",
            "S’entraîner au dénombrement et à la monnaie en atelier.",
            "Découvrir l’heure avec les horloges interactives.",
        ],
        steps=[
            "Installez GCompris (ordinateur ou tablette) ou utilisez-le dans PrimTux.",
            "Dans la configuration, filtrez les activités par niveau de difficulté.",
            "Montrez une activité au tableau avant de laisser les élèves en autonomie.",
        ],
        tip="GCompris ne collecte aucune donnée et fonctionne sans internet.",
        cycles=(1, 2),
        disciplines=("Mathématiques", "Français"),
    ),
    Tutorial(
        tool="Framapad",
        title="Framapad : écrire à plusieurs en même temps",
        url="https://framapad.org/",
        intro="Framapad, de l’association Framasoft, est un éditeur de texte en ligne où plusieurs personnes "
        "écrivent ensemble, chacune avec sa couleur.",
        uses=[
            "Écrire à plusieurs mains le compte rendu d’une sortie.",
            "Préparer un conseil d’école entre collègues.",
            "Faire produire une histoire à la chaîne, groupe par groupe.",
        ],
        steps=[
            "Créez un pad et choisissez sa durée de conservation.",
            "Partagez le lien avec les participants.",
            "Exportez le texte final (format traitement de texte) avant la date d’expiration.",
        ],
        tip="n’écrivez pas de données personnelles d’élèves dans un pad : toute personne qui a le lien peut le lire.",
        cycles=(3,),
        disciplines=("Français",),
    ),
    Tutorial(
        tool="Framaforms",
        title="Framaforms : des formulaires sans collecte commerciale",
        url="https://framaforms.org/",
        intro="Pour un sondage auprès des familles ou une inscription à une animation pédagogique, Framaforms "
        "crée des formulaires en ligne hébergés par une association, sans publicité.",
        uses=[
            "Recenser les inscriptions à la sortie de fin d’année.",
            "Faire un questionnaire de satisfaction après une semaine à thème.",
            "Recueillir les disponibilités pour une réunion.",
        ],
        steps=[
            "Créez un compte, puis un formulaire ; ajoutez les questions par glisser-déposer.",
            "Réglez la date de fin et qui peut voir les réponses.",
            "Téléchargez les résultats au format tableur.",
        ],
        tip="pour une simple date de réunion, Framadate suffit (tutoriel à venir).",
        cycles=(),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="Framadate",
        title="Framadate : trouver une date de réunion sans cinquante e-mails",
        url="https://framadate.org/",
        intro="Framadate est l’équivalent libre de Doodle : on propose des dates, chacun coche ses disponibilités.",
        uses=[
            "Fixer la date d’un conseil de cycle.",
            "Organiser une rencontre entre les classes d’un projet.",
            "Choisir entre plusieurs propositions (sondage classique).",
        ],
        steps=[
            "Choisissez « Créer un sondage spécial dates ».",
            "Cochez les jours et ajoutez les horaires possibles.",
            "Envoyez le lien aux participants ; gardez le lien d’administration pour vous.",
        ],
        tip="le sondage est supprimé automatiquement après la date de fin choisie.",
        cycles=(),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="Digistorm",
        title="Digistorm : sondages, remue-méninges et nuages de mots",
        url="https://digistorm.app/",
        intro="Digistorm fait réagir la classe en direct : sondage, questionnaire, remue-méninges ou nuage de mots, "
        "avec les réponses qui s’affichent au tableau.",
        uses=[
            "Faire un nuage de mots de ce qu’évoque le mot « automne ».",
            "Vérifier la compréhension en fin de séance par un questionnaire rapide.",
            "Voter pour le titre du journal de l’école.",
        ],
        steps=[
            "Créez une interaction et choisissez son type.",
            "Projetez le code ; les élèves répondent depuis les tablettes.",
            "Affichez les résultats et discutez-en.",
        ],
        tip="les réponses sont anonymes par défaut : idéal pour que tous osent répondre.",
        disciplines=("Enseignement moral et civique", "Français"),
    ),
    Tutorial(
        tool="La Quizinière",
        title="La Quizinière : des exercices en ligne corrigés par vos soins",
        url="https://www.quiziniere.com/",
        intro="La Quizinière, de Réseau Canopé, permet de créer des exercices (réponses écrites, dessinées, "
        "enregistrées) que les élèves font avec un simple code, puis de les corriger et annoter.",
        uses=[
            "Donner une dictée à l’oral et recueillir les copies numériques.",
            "Faire dessiner une figure et l’annoter en retour.",
            "Proposer un exercice différent à chaque groupe.",
        ],
        steps=[
            "Connectez-vous avec votre compte académique.",
            "Créez un exercice, puis « diffusez » : un code est donné aux élèves.",
            "Corrigez les copies et publiez la correction.",
        ],
        tip="les élèves n’ont besoin d’aucun compte : un prénom ou un pseudonyme suffit.",
        disciplines=("Français", "Mathématiques"),
    ),
    Tutorial(
        tool="MathsMentales",
        title="MathsMentales : des diaporamas de calcul mental",
        url="https://mathsmentales.net/",
        intro="MathsMentales génère des diaporamas de calcul mental aléatoires, du CP au lycée, avec un temps réglable "
        "par question et la correction à la fin.",
        uses=[
            "Lancer un rituel de calcul mental de cinq minutes chaque matin.",
            "Proposer des séries différentes à deux groupes de niveaux.",
            "Imprimer des fiches d’entraînement avec corrigé.",
        ],
        steps=[
            "Choisissez le niveau puis une ou plusieurs activités (tables, compléments, doubles…).",
            "Réglez le nombre de questions et le temps par question.",
            "Lancez le diaporama au tableau ; les élèves répondent sur l’ardoise.",
        ],
        tip="Calcul@TICE, de l’académie de Lille, complète bien MathsMentales pour l’entraînement individuel.",
        disciplines=("Mathématiques",),
    ),
    Tutorial(
        tool="Calcul@TICE",
        title="Calcul@TICE : s’entraîner au calcul mental en autonomie",
        url="https://calculatice.ac-lille.fr/",
        intro="Calcul@TICE propose des exercices de calcul mental progressifs, du CP à la 6e, conçus par des "
        "enseignants de l’académie de Lille.",
        uses=[
            "Atelier autonome de calcul pendant que vous prenez un groupe.",
            "Entraînement ciblé sur les compléments à 10 ou à 100.",
            "Défis entre élèves sur les tables de multiplication.",
        ],
        steps=[
            "Choisissez le niveau, puis le domaine (nombres, calcul, problèmes).",
            "Sélectionnez un exercice et son niveau de difficulté.",
            "Créez une classe pour suivre les résultats de chacun (facultatif).",
        ],
        tip="fonctionne aussi sur tablette, dans le navigateur.",
        disciplines=("Mathématiques",),
    ),
    Tutorial(
        tool="GeoGebra",
        title="GeoGebra : la géométrie qui bouge",
        url="https://www.geogebra.org/",
        intro="GeoGebra permet de construire des figures que l’on peut déformer : un excellent moyen de comprendre "
        "ce qui reste vrai quand la figure change.",
        uses=[
            "Montrer au tableau qu’un carré reste un carré quand on l’agrandit.",
            "Construire un programme de construction et le vérifier.",
            "Explorer la symétrie axiale en déplaçant les points.",
        ],
        steps=[
            "Ouvrez l’application « Géométrie » en ligne.",
            "Utilisez les outils point, segment, perpendiculaire, cercle.",
            "Déplacez un point : la construction est juste si elle résiste au déplacement.",
        ],
        tip="la version en ligne ne demande pas de compte pour construire et exporter une image.",
        cycles=(3,),
        disciplines=("Mathématiques",),
    ),
    Tutorial(
        tool="Scratch",
        title="Scratch : programmer des jeux au cycle 3",
        url="https://scratch.mit.edu/",
        intro="Scratch est le langage de programmation par blocs des programmes du cycle 3. Il permet de créer des "
        "animations et des jeux et de travailler boucles, conditions et variables.",
        uses=[
            "Programmer un labyrinthe : déplacements et conditions.",
            "Réaliser un quiz de révision qui compte les points.",
            "Animer un récit inventé en classe.",
        ],
        steps=[
            "Utilisez Scratch en ligne ou l’application hors ligne (sans compte élève).",
            "Montrez les catégories de blocs : Mouvement, Contrôle, Capteurs, Variables.",
            "Donnez un défi court, puis enrichissez-le pas à pas.",
        ],
        tip="sans compte, les projets s’enregistrent sur l’ordinateur (Fichier › Sauvegarder).",
        cycles=(3,),
        disciplines=("Sciences et technologie", "Mathématiques"),
    ),
    Tutorial(
        tool="Didapages",
        title="Didapages : un livre numérique à feuilleter",
        url="https://www.didasystem.com/",
        intro="Didapages est un logiciel français de création de livres numériques que l’on feuillette à l’écran, "
        "avec textes, images, sons et vidéos.",
        uses=[
            "Créer le livre de vie de la classe, trimestre par trimestre.",
            "Publier un recueil de poésies illustrées.",
            "Réaliser un cahier de sciences avec photos des expériences.",
        ],
        steps=[
            "Choisissez un modèle de livre et ses dimensions.",
            "Ajoutez des pages et glissez-y textes, images et sons.",
            "Exportez le livre pour le lire hors ligne ou le déposer dans l’ENT.",
        ],
        tip="demandez l’autorisation des familles avant d’y mettre des photos d’élèves.",
        cycles=(2, 3),
        disciplines=("Français", "Sciences et technologie"),
    ),
    Tutorial(
        tool="OpenBoard",
        title="OpenBoard : le logiciel libre du tableau numérique",
        url="https://openboard.ch/",
        intro="OpenBoard est un logiciel libre de tableau blanc interactif. Il fonctionne avec tous les vidéoprojecteurs "
        "interactifs et remplace les logiciels propriétaires des constructeurs.",
        uses=[
            "Préparer une séance avec des pages, des images et des documents.",
            "Écrire par-dessus un PDF projeté (une fiche d’exercices).",
            "Enregistrer les traces de la séance et les retrouver le lendemain.",
        ],
        steps=[
            "Installez OpenBoard (gratuit) sur le poste de la classe.",
            "Ouvrez le mode « Document » pour organiser vos pages.",
            "Utilisez le mode « Tableau » en classe ; exportez en PDF à la fin.",
        ],
        tip="la bibliothèque intégrée contient règle, équerre, rapporteur et compas.",
        cycles=(1, 2, 3),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="LireCouleur",
        title="LireCouleur : aider les lecteurs débutants",
        url="https://lirecouleur.arkaline.fr/",
        intro="LireCouleur colorie les sons, marque les lettres muettes et découpe les syllabes d’un texte, dans "
        "LibreOffice ou en ligne. Une aide précieuse pour les lecteurs débutants et les élèves dyslexiques.",
        uses=[
            "Adapter un texte de lecture pour un élève en difficulté.",
            "Préparer des textes aux syllabes alternées en couleur au CP.",
            "Mettre en évidence un son étudié dans la semaine.",
        ],
        steps=[
            "Installez l’extension LireCouleur dans LibreOffice (ou utilisez la version en ligne).",
            "Sélectionnez le texte et choisissez « syllabes », « sons » ou « lettres muettes ».",
            "Imprimez en police adaptée et en interligne 1,5.",
        ],
        tip="le RASED peut vous conseiller sur les adaptations les plus utiles pour chaque élève.",
        cycles=(2,),
        disciplines=("Français",),
    ),
    Tutorial(
        tool="Tux Paint",
        title="Tux Paint : le logiciel de dessin des petits",
        url="https://tuxpaint.org/",
        intro="Tux Paint est un logiciel de dessin libre pour les enfants, avec des tampons, des effets magiques et des "
        "sons. Il aide aussi à maîtriser la souris.",
        uses=[
            "Illustrer une histoire lue en classe.",
            "Travailler formes et couleurs en arts visuels.",
            "S’entraîner au cliquer-glisser en maternelle.",
        ],
        steps=[
            "Installez Tux Paint ou ouvrez-le dans PrimTux.",
            "Montrez les outils pinceau, tampon, formes et gomme.",
            "Imprimez ou enregistrez les dessins dans un dossier par élève.",
        ],
        tip="le mode « simplifié » masque les outils trop complexes pour les plus jeunes.",
        cycles=(1, 2),
        disciplines=("Arts plastiques",),
    ),
    Tutorial(
        tool="Stellarium",
        title="Stellarium : le ciel étoilé en classe",
        url="https://stellarium.org/",
        intro="Stellarium est un planétarium libre qui affiche le ciel de n’importe quel lieu, à n’importe quelle "
        "date, comme on le verrait à l’œil nu ou au télescope.",
        uses=[
            "Observer l’alternance jour-nuit et le mouvement apparent du Soleil.",
            "Retrouver la Grande Ourse et l’étoile Polaire avant une observation en famille.",
            "Suivre les phases de la Lune sur un mois.",
        ],
        steps=[
            "Utilisez la version en ligne ou installez le logiciel.",
            "Réglez le lieu (Lencloître) et la date.",
            "Accélérez le temps pour voir le ciel tourner.",
        ],
        tip="désactivez l’atmosphère pour voir les étoiles en plein jour et expliquer pourquoi on ne les voit pas.",
        cycles=(3,),
        disciplines=("Sciences et technologie",),
    ),
    Tutorial(
        tool="Vikidia",
        title="Vikidia : l’encyclopédie des 8-13 ans",
        url="https://fr.vikidia.org/",
        intro="Vikidia est une encyclopédie collaborative écrite pour les enfants : des articles plus courts et plus "
        "simples que ceux de Wikipédia, sans publicité.",
        uses=[
            "Faire des recherches documentaires pour un exposé.",
            "Apprendre à citer une source et à la comparer à une autre.",
            "Écrire ou améliorer un article avec la classe (projet d’écriture).",
        ],
        steps=[
            "Montrez comment chercher un mot et lire le sommaire d’un article.",
            "Faites relever trois informations et la date de l’article.",
            "Comparez avec un livre documentaire de la BCD.",
        ],
        tip="pour chercher sur le web, préférez un moteur adapté aux enfants comme Qwant Junior.",
        cycles=(3,),
        disciplines=("Histoire-géographie", "Français"),
    ),
    Tutorial(
        tool="Qwant Junior",
        title="Qwant Junior : chercher sur le web en sécurité",
        url="https://www.qwantjunior.com/",
        intro="Qwant Junior est un moteur de recherche pour les 6-12 ans : il filtre les contenus inadaptés, n’affiche "
        "pas de publicité et ne piste pas les élèves.",
        uses=[
            "Apprendre à formuler une recherche par mots-clés.",
            "Trier les résultats : qui a écrit ? est-ce une publicité ?",
            "Chercher des images pour un exposé (en vérifiant leur licence).",
        ],
        steps=[
            "Faites de Qwant Junior la page d’accueil des navigateurs de la classe.",
            "Proposez une question précise et faites chercher par deux.",
            "Mettez en commun les mots-clés qui ont le mieux fonctionné.",
        ],
        tip="c’est l’occasion d’une séance d’éducation aux médias et à l’information (EMI).",
        disciplines=("Enseignement moral et civique",),
    ),
    Tutorial(
        tool="Lumni",
        title="Lumni : des vidéos éducatives du service public",
        url="https://www.lumni.fr/",
        intro="Lumni rassemble les contenus éducatifs de France Télévisions, Radio France, Arte, l’INA et d’autres : "
        "vidéos, jeux et dossiers classés par niveau et par matière.",
        uses=[
            "Lancer une séquence d’histoire par une courte vidéo.",
            "Proposer « Les Fondamentaux » de Réseau Canopé pour revoir une notion.",
            "Travailler l’éducation aux médias avec des reportages adaptés.",
        ],
        steps=[
            "Cherchez par niveau (primaire), puis par matière.",
            "Regardez la vidéo avant la classe et préparez deux ou trois questions.",
            "Partagez le lien dans le cahier de liaison numérique.",
        ],
        tip="Lumni est gratuit, sans publicité et sans inscription.",
        disciplines=("Histoire-géographie", "Sciences et technologie"),
    ),
    Tutorial(
        tool="Digiflashcards",
        title="Digiflashcards : mémoriser avec des cartes",
        url="https://ladigitale.dev/digiflashcards/",
        intro="Digiflashcards crée des séries de cartes recto verso (mot et image, question et réponse) pour "
        "mémoriser en s’auto-évaluant.",
        uses=[
            "Réviser le vocabulaire d’anglais avec l’image et le son.",
            "Apprendre les dates clés d’une période historique.",
            "Mémoriser les tables de multiplication.",
        ],
        steps=[
            "Créez une série et ajoutez des cartes (texte, image, audio).",
            "Choisissez le mode quiz ou le mode « Leitner » pour réviser.",
            "Partagez le lien aux élèves et aux familles.",
        ],
        tip="la mémorisation fonctionne mieux en séances courtes et répétées.",
        disciplines=("Langues vivantes", "Histoire-géographie"),
    ),
    Tutorial(
        tool="Digicut",
        title="Digicut : garder le bon extrait d’un son ou d’une vidéo",
        url="https://ladigitale.dev/digicut/",
        intro="Digicut découpe un extrait d’un fichier audio ou vidéo directement dans le navigateur, sans l’envoyer "
        "sur un serveur.",
        uses=[
            "Garder trente secondes d’une œuvre pour une écoute active.",
            "Couper le début raté d’un enregistrement d’élève.",
            "Préparer un extrait de film pour un débat.",
        ],
        steps=[
            "Ouvrez le fichier depuis votre ordinateur.",
            "Placez le début et la fin de l’extrait.",
            "Téléchargez le résultat.",
        ],
        tip="le fichier ne quitte pas votre ordinateur : adapté aux enregistrements d’élèves.",
        disciplines=("Éducation musicale", "Français"),
    ),
    Tutorial(
        tool="apps.education.fr",
        title="apps.education.fr : les outils numériques de l’Éducation nationale",
        url="https://portail.apps.education.fr/",
        intro="Le portail apps.education.fr donne accès, avec votre compte académique, à des outils hébergés par le "
        "ministère : visioconférence, partage de vidéos (Tubes), stockage de fichiers (Nuage), pads et forges.",
        uses=[
            "Partager une vidéo de classe avec les familles sans passer par YouTube.",
            "Organiser une visioconférence avec la classe correspondante.",
            "Stocker et partager des documents entre collègues.",
        ],
        steps=[
            "Connectez-vous au portail avec votre identifiant académique.",
            "Choisissez le service voulu dans la liste.",
            "Réglez la visibilité (privée, non listée) avant de partager.",
        ],
        tip="les données restent hébergées en France, sous la responsabilité du ministère.",
        cycles=(),
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="Thymio",
        title="Thymio : programmer un robot en classe",
        url="https://www.thymio.org/",
        intro="Thymio est un petit robot éducatif programmable, conçu en Suisse, avec des capteurs et des lumières. "
        "Son logiciel libre, Thymio Suite, propose plusieurs langages, des blocs visuels au texte.",
        uses=[
            "Découvrir les capteurs : le robot suit une ligne ou évite un obstacle.",
            "Programmer des événements « quand… alors… » avec VPL.",
            "Relever des défis par équipes.",
        ],
        steps=[
            "Installez Thymio Suite et branchez le robot.",
            "Essayez d’abord les comportements préprogrammés (couleurs).",
            "Passez à VPL et programmez un premier comportement.",
        ],
        tip="la circonscription prête une mallette de robots : réservez-la auprès du conseiller numérique.",
        cycles=(2, 3),
        disciplines=("Sciences et technologie",),
    ),
    Tutorial(
        tool="Digiquiz",
        title="Digiquiz : lire et partager des contenus H5P",
        url="https://ladigitale.dev/digiquiz/",
        intro="Digiquiz permet de publier des activités interactives au format H5P (quiz, textes à trous, vidéos "
        "interactives) sans plateforme d’apprentissage.",
        uses=[
            "Diffuser un quiz de fin de séquence.",
            "Intégrer des questions dans une vidéo de sciences.",
            "Réutiliser des activités H5P partagées par des collègues.",
        ],
        steps=[
            "Créez ou téléchargez une activité H5P (.h5p).",
            "Importez-la dans Digiquiz.",
            "Partagez le lien aux élèves.",
        ],
        tip="les activités H5P fonctionnent sur ordinateur comme sur tablette.",
        disciplines=("Tous domaines",),
    ),
    Tutorial(
        tool="Framacalc",
        title="Framacalc : un tableur partagé pour les projets",
        url="https://framacalc.org/",
        intro="Framacalc est un tableur en ligne où l’on saisit à plusieurs : pratique pour collecter des mesures "
        "ou organiser un projet entre écoles.",
        uses=[
            "Relever les températures chaque jour dans plusieurs écoles.",
            "Tenir la liste du matériel d’une sortie.",
            "Construire un graphique avec les résultats d’une enquête.",
        ],
        steps=[
            "Créez un calc avec un nom difficile à deviner.",
            "Préparez les colonnes, puis partagez le lien.",
            "Exportez le tableau au format tableur pour le conserver.",
        ],
        tip="comme pour les pads, aucune donnée personnelle d’élève dans un calc partagé.",
        cycles=(3,),
        disciplines=("Mathématiques", "Sciences et technologie"),
    ),
]

DISCIPLINES = [
    "Français",
    "Mathématiques",
    "Questionner le monde",
    "Sciences et technologie",
    "Histoire-géographie",
    "Enseignement moral et civique",
    "Langues vivantes",
    "Arts plastiques",
    "Éducation musicale",
    "Tous domaines",
]

PROJECT_POSTS = [
    (
        "Le lancement : trois écoles, un défi lecture",
        "directeur@demo.ent.fr",
        "<p>Cette année, les classes de CE2 et CM1 de Mirebeau, Lencloître et Neuville-de-Poitou se lancent "
        "dans un défi : lire ensemble, s’écrire et se rencontrer autour des livres.</p>"
        "<h2>Le programme</h2><ul><li>une lettre par période à la classe correspondante ;</li>"
        "<li>un « livre de la période » lu par les trois classes ;</li>"
        "<li>une rencontre en juin pour la grande finale des petits champions de la lecture.</li></ul>",
    ),
    (
        "Nos premières lettres sont parties !",
        "enseignant@demo.ent.fr",
        "<p>Les CE2 de Mirebeau ont écrit leur première lettre : chacun s’est présenté et a parlé de son livre "
        "préféré. Nous avons relu les lettres en binômes avant de les recopier au propre.</p>"
        "<p>Nous attendons maintenant avec impatience les réponses de Lencloître et de Neuville !</p>",
    ),
    (
        "Les CE2 de Lencloître nous présentent leur livre préféré",
        "enseignant@demo.ent.fr",
        "<p>Surprise dans la boîte aux lettres : les élèves de Lencloître ont répondu avec un petit carnet "
        "illustré. Leur livre préféré ? <em>Le Loup qui voulait changer de couleur</em>, qu’ils ont lu aux "
        "maternelles de leur école.</p>",
    ),
    (
        "Rencontre en visioconférence : on s’est enfin vus",
        "directeur@demo.ent.fr",
        "<p>Grâce à la visioconférence d’apps.education.fr, les trois classes se sont vues pour la première fois. "
        "Chaque classe a lu à voix haute un extrait du livre de la période, puis les élèves se sont posé des "
        "questions.</p>",
    ),
]

SCHOOL_POSTS = [
    (
        "Notre potager a donné ses premières courges",
        "<p>Les élèves de CP ont récolté cette semaine les courges du potager de l’école, semées au printemps "
        "dernier. Elles serviront à la soupe de la fête d’automne !</p>",
    ),
    (
        "Retour sur la semaine du goût",
        "<p>Pendant la semaine du goût, chaque classe a découvert des produits du marché de Mirebeau. Merci aux "
        "parents qui nous ont accompagnés.</p>",
    ),
]


def _tag(kind, name):
    tag = Tag.objects.filter(kind=kind, name__iexact=name).first()
    return tag or Tag.objects.create(kind=kind, name=name)


def _tutorial_tags(tutorial: Tutorial) -> list[Tag]:
    tags = [_tag(Tag.Kind.TOOL, tutorial.tool)]
    tags += [_tag(Tag.Kind.TOOL, name) for name in tutorial.extra_tools]
    tags += [_tag(Tag.Kind.CYCLE, CYCLES[c]) for c in tutorial.cycles]
    tags += [_tag(Tag.Kind.DISCIPLINE, d) for d in tutorial.disciplines]
    return tags


def _at(day, hour=PUBLISH_TIME):
    return timezone.make_aware(datetime.combine(day, hour))


def _school_year_start():
    today = timezone.localdate()
    start = today.replace(month=9, day=1)
    return start if today >= start else start.replace(year=start.year - 1)


def _opened_at():
    """The blogs were opened in the last days of August."""
    return _at(_school_year_start() - timedelta(days=5), time(10))


def _published(*, actor, blog, when, **fields) -> Post:
    """A post published ``when`` (in the past) through ``post_create``, which tells the readers.

    The service publishes now: its notifications and audit events are dated ``when``
    (:func:`ent.demo_history.written_at`) and so is the post's publication date, rewritten after it ran.
    """
    with written_at(when):
        post = post_create(actor=actor, blog=blog, action=PostAction.PUBLISH, **fields)
    Post.objects.filter(pk=post.pk).update(published_at=when)
    blog_posts_changed(blog.pk)  # QuerySet.update: no signal (the blog's pages show the date)
    post.published_at = when
    return post


def _comment(*, actor, post, body, when) -> Comment:
    """A comment written ``when`` (at the latest an hour ago), through ``comment_create`` (a moderated
    blog's contributors are told)."""
    when = min(when, timezone.now() - HOUR)
    with written_at(when):
        comment = comment_create(actor=actor, post=post, body=body)
    Comment.objects.filter(pk=comment.pk).update(created_at=when)
    return comment


def _series(cpc):
    blog = Blog.objects.filter(slug=SERIES_SLUG).first()
    if blog is None:
        with written_at(_opened_at()):
            blog = blog_create(
                actor=cpc,
                slug=SERIES_SLUG,
                title="L’outil numérique de la semaine",
                description="Chaque semaine, un outil numérique libre ou gratuit présenté en quelques minutes de "
                "lecture : à quoi il sert en classe, comment commencer, ce qu’il faut savoir.",
                owner_kind=Blog.OwnerKind.DISTRICT,
                audience=AudienceKind.DISTRICT,
                comment_policy=Blog.CommentPolicy.IMMEDIATE,
                is_weekly_series=True,
                series_start=monday_of(_school_year_start()),
                contributor_users=[cpc],
            )
    return blog


def _seed_tutorials(blog, cpc):
    """Past school weeks get published tutorials, the coming ones scheduled tutorials (some left empty)."""
    now = timezone.now()
    current = monday_of(timezone.localdate())
    elapsed = max(0, (current - blog.series_start).days // 7)
    count = elapsed + len(TUTORIALS) + 12
    calendar = series_calendar(blog=blog, until=blog.series_start + timedelta(weeks=count + 40))
    weeks = [w for w in calendar.coming_weeks(blog.series_start, count) if not w.is_holiday]
    past = [w for w in weeks if w.monday <= current]
    coming = [w for i, w in enumerate(w for w in weeks if w.monday > current) if i not in EMPTY_COMING_WEEKS]
    scheduled = min(len(coming), max(SCHEDULED_AHEAD, len(TUTORIALS) - len(past)))
    published = min(len(past), len(TUTORIALS) - scheduled)
    slots = past[len(past) - published :] + coming[:scheduled]
    created = 0
    for tutorial, week in zip(TUTORIALS, slots, strict=False):
        if blog.posts.filter(title=tutorial.title).exists() or blog.posts.filter(week_start=week.monday).exists():
            continue
        when = _at(week.monday)
        fields = {
            "title": tutorial.title,
            "body": tutorial.body(),
            "tags": _tutorial_tags(tutorial),
            "week_start": week.monday,
        }
        if when <= now:
            _published(actor=cpc, blog=blog, when=when, **fields)
        else:
            # Written and scheduled three weeks ahead; ent.publish_due publishes it on its Monday.
            with written_at(max(_opened_at(), min(when - timedelta(weeks=3), now - timedelta(hours=1)))):
                post_create(actor=cpc, blog=blog, action=PostAction.SCHEDULE, publish_at=when, **fields)
        created += 1
    return created


def _seed_comments(blog):
    teacher = User.objects.filter(email="enseignant@demo.ent.fr").first()
    director = User.objects.filter(email="directeur@demo.ent.fr").first()
    posts = list(blog.posts.published().order_by("published_at")[:3])
    remarks = [
        (teacher, "Testé avec mes CE1 ce matin : ils ont adoré ! Merci pour ce tutoriel clair."),
        (director, "Très utile pour la réunion de rentrée. La fiche est ici : https://ladigitale.dev/"),
    ]
    for post, (author, body) in zip(posts, remarks, strict=False):
        if author and not post.comments.filter(author=author).exists():
            _comment(actor=author, post=post, body=body, when=post.published_at + timedelta(days=1, hours=6))


def _project(cpc, schools):
    blog = Blog.objects.filter(slug=PROJECT_SLUG).first()
    if blog is None:
        # Written by the three schools, read by the whole district; comments wait for their approval.
        with written_at(_opened_at()):
            blog = blog_create(
                actor=cpc,
                slug=PROJECT_SLUG,
                title="Correspondance scolaire : les petits champions de la lecture",
                description="Trois écoles s’écrivent, lisent les mêmes livres et se rencontrent en fin d’année.",
                owner_kind=Blog.OwnerKind.PROJECT,
                owner_structures=schools,
                contributor_structures=schools,
                audience=AudienceKind.DISTRICT,
                comment_policy=Blog.CommentPolicy.MODERATED,
            )
    now = timezone.now()
    for index, (title, email, body) in enumerate(PROJECT_POSTS):
        author = User.objects.filter(email=email).first()
        if author and not blog.posts.filter(title=title).exists():
            when = _at(timezone.localdate() - timedelta(days=7 * (len(PROJECT_POSTS) - index)), time(17, 15))
            _published(actor=author, blog=blog, when=min(when, now - timedelta(hours=1)), title=title, body=body)
    latest = blog.posts.published().order_by("-published_at").first()
    director = User.objects.filter(email="directeur@demo.ent.fr").first()
    if latest and director and not latest.comments.exists():
        _comment(actor=director, post=latest, body="Bravo à tous les lecteurs !", when=latest.published_at + HOUR)
        # A reader of another school: the comment waits for a contributor (who is told).
        reader = members_of(Structure.objects.schools().exclude(pk__in=[s.pk for s in schools])).order_by("email")
        reader = reader.first()
        if reader is not None:
            _comment(
                actor=reader,
                post=latest,
                body="Nos CE2 aimeraient se joindre à vous pour la rencontre de juin : est-ce possible ?",
                when=latest.published_at + timedelta(days=2),
            )
    return blog


def _school_blog(cpc, school):
    blog = Blog.objects.filter(slug=SCHOOL_SLUG).first()
    if blog is None:
        with written_at(_opened_at()):
            blog = blog_create(
                actor=cpc,
                slug=SCHOOL_SLUG,
                title="La vie de l’école Jean Raffarin",
                description="Les nouvelles de l’école élémentaire de Mirebeau, pour les familles.",
                owner_kind=Blog.OwnerKind.SCHOOL,
                owner_structures=[school],
                contributor_structures=[school],
                audience=AudienceKind.STRUCTURES,
                audience_structures=[school],
                comment_policy=Blog.CommentPolicy.NONE,
                is_public=True,
            )
    director = User.objects.filter(email="directeur@demo.ent.fr").first()
    now = timezone.now()
    for index, (title, body) in enumerate(SCHOOL_POSTS):
        if director and not blog.posts.filter(title=title).exists():
            when = _at(timezone.localdate() - timedelta(days=10 * (index + 1)), time(18, 5))
            _published(actor=director, blog=blog, when=min(when, now - HOUR), title=title, body=body)
    return blog


@transaction.atomic
def seed(command):
    cpc = User.objects.filter(email=COUNSELLOR).first()
    if cpc is None:
        command.stdout.write("  blogs : comptes de démonstration absents, rien à faire")
        return
    for name in CYCLES.values():
        _tag(Tag.Kind.CYCLE, name)
    for name in DISCIPLINES:
        _tag(Tag.Kind.DISCIPLINE, name)
    series = _series(cpc)
    created = _seed_tutorials(series, cpc)
    _seed_comments(series)
    names = [
        "École élémentaire Jean Raffarin",
        "École élémentaire Jules Ferry",
        "École élémentaire Jacques Prévert",
    ]
    schools = list(Structure.objects.schools().filter(name__in=names))
    if schools:
        _project(cpc, schools)
        mirebeau = next((s for s in schools if s.name == names[0]), None)
        if mirebeau:
            _school_blog(cpc, mirebeau)
    command.stdout.write(
        f"  blogs : {Blog.objects.count()} blogs, {series.posts.count()} tutoriels ({created} nouveaux)"
    )

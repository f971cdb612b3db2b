"""What the accessibility walk leaves out, each with its reason (read by the walk and by the
« Accessibilité » page, which lists them).

- ``NOT_WALKED``: URL patterns that answer no page a person reads and that the walk does not meet by
  itself (it classifies on its own what it meets: files, feeds and redirects it opens, and the
  targets of the forms and htmx requests of the pages it checks). A new pattern must be walked
  (found from Accueil, or added to ``extra_pages`` of ``test_pages_browser.py``) or listed here,
  or ``test_every_url_pattern_is_walked_or_listed`` fails.
- ``AXE_EXCEPTIONS``: axe-core results that are accepted, by rule and a CSS selector's text, with
  the reason (empty: every WCAG 2.1 A/AA rule passes on every page).
- ``OVERFLOW_EXCEPTIONS``: patterns allowed to be wider than a phone (none).
"""

POST_ACTION = "une action (POST) qui renvoie vers une page parcourue, sans page à elle"
FILE = "un fichier téléchargé (pas une page)"
FEED = "un flux (Atom ou iCalendar) lu par un logiciel, pas une page"

NOT_WALKED = {
    # allauth pages of features this site turns off (ACCOUNT_EMAIL_VERIFICATION = "none", no login
    # or reauthentication by code, one e-mail address per person managed by the district).
    "account_confirm_email": "la vérification des adresses e-mail est désactivée",
    "account_email_verification_sent": "la vérification des adresses e-mail est désactivée",
    "account_confirm_login_code": "la connexion par code envoyé par e-mail est désactivée",
    "account_request_reauthentication_code": "la connexion par code envoyé par e-mail est désactivée",
    "account_confirm_reauthentication_code": "la connexion par code envoyé par e-mail est désactivée",
    "account_email": "l’adresse e-mail est fixée par la circonscription (page de profil en lecture seule)",
    "account_logout": POST_ACTION,
    "mfa_download_recovery_codes": FILE,
    "blogs:private-feed": FEED,
    "timeline:feed": FEED,
    "uploads:serve": FILE,
    "notebooks:book-download": FILE,
    "news:registrations-csv": FILE,
    "blogs:post-image-remove": POST_ACTION,
    "mail:cancel-schedule": POST_ACTION,
    "mail:draft-autosave": "un enregistrement automatique du brouillon (POST, sans page)",
    "mail:empty-trash": POST_ACTION,
    "mail:folder-delete": POST_ACTION,
    "mail:handled": "« Je m’en occupe » dans la boîte partagée (POST vers le message, parcouru) ; le formulaire n’est là que tant que personne ne s’en occupe",
    "mail:folder-rename": POST_ACTION,
    "mail:move": POST_ACTION,
    "mail:recall": POST_ACTION,
    "mail:restore": POST_ACTION,
    "mail:send": POST_ACTION,
    "mail:undo": POST_ACTION,
    "news:post-submit": POST_ACTION,
    "news:register-withdraw": POST_ACTION,
    "notebooks:page-lock": "le verrou d’une page, pris par le formulaire de modification (POST, sans page)",
    "timeline:subscription-choices": POST_ACTION,
    # htmx fragments polled while a file is processed or a book made (the walk meets them only then);
    # the page holding them is walked.
    "uploads:status": "un fragment htmx interrogé pendant le traitement d’un fichier, dans une page parcourue",
    "notebooks:book-status": "un fragment htmx interrogé pendant la fabrication du livre, dans une page parcourue",
    "blogs:post-short": "un lien court qui redirige vers le billet (blogs:post-detail, parcouru)",
    "health": "l’état du service en JSON (/sante/), lu par la supervision, pas une page",
    "web-manifest": "le manifeste de l’application installable (JSON), lu par le navigateur",
    "service-worker": "le script du service worker, lu par le navigateur",
    "notifications:push-subscribe": "l’abonnement d’un appareil aux notifications (POST du script, sans page)",
    "notifications:push-unsubscribe": "le désabonnement d’un appareil (POST du script, sans page)",
    "mydata:download": FILE,
    "privacy:request-pdf": FILE,
    "privacy:request-import-template": FILE,
    "privacy:decision-withdraw": POST_ACTION,
    "accounts:dashboard-csv": FILE,
    "resources:download": "un lien de téléchargement qui compte puis redirige vers le fichier",
    "mfa_view_recovery_codes": "les codes de secours, montrés une fois juste après leur création, après une nouvelle authentification",
}

# {"rule": "<axe rule id>", "target": "<text found in the node's CSS selector>", "reason": "…"}
AXE_EXCEPTIONS: list[dict[str, str]] = []

OVERFLOW_EXCEPTIONS: dict[str, str] = {}

# Targets allowed to be smaller than 44 × 44 px at a phone's width (WCAG 2.5.5), by a piece of the
# CSS path the walk prints: {"target": "<text found in the path>", "reason": "…"}.
TOUCH_TARGET_EXCEPTIONS: list[dict[str, str]] = []

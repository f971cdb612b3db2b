from django.urls import path, re_path

from .views import compose, mailbox

app_name = "mail"

urlpatterns = [
    # --- reading (mailbox) ---
    path("", mailbox.inbox_view, name="inbox"),
    re_path(r"^(?P<box>envoyes|brouillons|programmes|corbeille|equipe)/$", mailbox.box_view, name="box"),
    path("corbeille/vider/", mailbox.empty_trash_view, name="empty-trash"),
    path("recherche/", mailbox.search_view, name="search"),
    path("dossiers/", mailbox.folders_view, name="folders"),
    path("dossiers/<int:pk>/", mailbox.folder_view, name="folder"),
    path("dossiers/<int:pk>/renommer/", mailbox.folder_rename_view, name="folder-rename"),
    path("dossiers/<int:pk>/supprimer/", mailbox.folder_delete_view, name="folder-delete"),
    path("messages/<int:pk>/", mailbox.message_view, name="message"),
    path("messages/<int:pk>/conversation/", mailbox.thread_view, name="thread"),
    path("messages/<int:pk>/imprimer/", mailbox.print_view, name="print"),
    path("messages/<int:pk>/suivi/", mailbox.flag_view, name="flag"),
    path("messages/<int:pk>/non-lu/", mailbox.mark_unread_view, name="mark-unread"),
    path("messages/<int:pk>/deplacer/", mailbox.move_view, name="move"),
    path("messages/<int:pk>/corbeille/", mailbox.trash_view, name="trash"),
    path("messages/<int:pk>/restaurer/", mailbox.restore_view, name="restore"),
    path("messages/<int:pk>/pris-en-charge/", mailbox.handled_view, name="handled"),
    path("messages/<int:pk>/signaler/", mailbox.report_view, name="report"),
    # --- writing (compose) ---
    path("ecrire/", compose.compose_view, name="compose"),
    path("brouillons/enregistrer/", compose.draft_autosave_view, name="draft-autosave"),
    path("brouillons/<int:pk>/", compose.draft_view, name="draft"),
    path("brouillons/<int:pk>/envoyer/", compose.send_view, name="send"),
    path("messages/<int:pk>/envoi/", compose.undo_view, name="undo"),
    path("messages/<int:pk>/annuler-programmation/", compose.cancel_schedule_view, name="cancel-schedule"),
    path("messages/<int:pk>/rappeler/", compose.recall_view, name="recall"),
    path("messages/<int:pk>/accuses/", compose.receipts_view, name="receipts"),
    path("messages/<int:pk>/relancer/", compose.remind_view, name="remind"),
    path("destinataires/", compose.recipient_search_view, name="recipient-search"),
    path("favoris/", compose.contact_lists_view, name="contact-lists"),
    path("reglages/", compose.settings_view, name="settings"),
]

"""The messaging in the Django admin: metadata only, and the reports of abuse.

Messages are private: an administrator sees who sent a message, when, to how many people and how
heavy it was — never its subject, text, recipients or attachments (nothing here prints
the subject: a message is named « Message n° 12 », its ``__str__``). Reports of abuse
are listed with their reason, and acted on through the mailbox services: « Classer sans suite »
or « Rappeler le message » (its recipients then see « Message rappelé » only).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.defaultfilters import filesizeformat
from django.utils.text import Truncator

from ent.admin import ReadOnlyAdminMixin
from ent.dates import format_datetime

from . import services
from .models import AbuseReport, Message


def message_label(message_id) -> str:
    return f"Message n° {message_id}"


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Metadata only (privacy): sender, date, number of recipients, size."""

    list_display = ("label", "sender", "sent_on", "status", "recipient_count", "size")
    list_display_links = ("label",)
    list_filter = ("status",)
    list_select_related = ("sender",)
    search_fields = ("sender__email", "sender__last_name")
    fields = ("label", "sender", "status", "sent_on", "recipient_count", "size", "report_count")
    readonly_fields = fields
    date_hierarchy = "published_at"

    @admin.display(description="message", ordering="pk")
    def label(self, obj):
        return message_label(obj.pk)

    @admin.display(description="date d’envoi", ordering="published_at")
    def sent_on(self, obj):
        return format_datetime(obj.published_at) if obj.published_at else "—"

    @admin.display(description="taille des pièces jointes", ordering="attachments_size")
    def size(self, obj):
        return filesizeformat(obj.attachments_size) if obj.attachments_size else "—"

    @admin.display(description="signalements")
    def report_count(self, obj):
        return obj.reports.count()


@admin.register(AbuseReport)
class AbuseReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reports are written on the site (« Signaler un abus »); here an administrator acts on them."""

    list_display = (
        "__str__",
        "message_ref",
        "sender",
        "reporter",
        "short_reason",
        "reported_on",
        "status",
        "handled_by",
    )
    list_filter = ("status",)
    list_select_related = ("message__sender", "reporter", "handled_by")
    search_fields = ("reporter__email", "message__sender__email")
    fields = ("message_ref", "sender", "reporter", "reason", "reported_on", "status", "handled_by", "handled_on")
    readonly_fields = fields
    actions = ["dismiss", "recall"]

    @admin.display(description="message", ordering="message_id")
    def message_ref(self, obj):
        return message_label(obj.message_id)

    @admin.display(description="motif")
    def short_reason(self, obj):
        return Truncator(obj.reason).chars(80)

    @admin.display(description="signalé le", ordering="created_at")
    def reported_on(self, obj):
        return format_datetime(obj.created_at)

    @admin.display(description="traité le", ordering="handled_at")
    def handled_on(self, obj):
        return format_datetime(obj.handled_at) if obj.handled_at else "—"

    @admin.display(description="expéditeur·rice du message")
    def sender(self, obj):
        return obj.message.sender or "—"

    def has_dismiss_permission(self, request):
        return request.user.is_staff

    has_recall_permission = has_dismiss_permission

    def _act(self, request, queryset, service, done):
        count = 0
        for report in queryset.filter(status=AbuseReport.Status.OPEN).select_related("message"):
            try:
                service(actor=request.user, report=report)
            except PermissionDenied as error:
                self.message_user(request, str(error), messages.ERROR)
                return
            count += 1
        plural = "s" if count > 1 else ""
        self.message_user(request, f"{count} signalement{plural} {done(plural)}.", messages.SUCCESS)

    @admin.action(description="Classer sans suite", permissions=["dismiss"])
    def dismiss(self, request, queryset):
        self._act(request, queryset, services.report_dismiss, lambda s: f"classé{s} sans suite")

    @admin.action(description="Rappeler le message", permissions=["recall"])
    def recall(self, request, queryset):
        self._act(request, queryset, services.report_recall, lambda s: f"traité{s} : message{s} rappelé{s}")

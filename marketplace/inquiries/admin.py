"""The editors see every request for information and every answer: read-mostly, on the editors' site.

Nothing here is changed by hand (a request is the municipality's, an answer the vendor's); editors may
delete a request, with its answers, when a municipality asks for its data to be removed.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from marketplace.inquiries.models import Answer, Inquiry, Recipient


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecipientInline(ReadOnlyMixin, admin.TabularInline):
    model = Recipient
    fields = ["vendor", "solution_titles", "notified_at", "answer_text", "answer_pdf"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("vendor", "answer").prefetch_related("solutions")

    @admin.display(description=_("solutions"))
    def solution_titles(self, obj):
        return ", ".join(solution.title for solution in obj.solutions.all())

    @admin.display(description=_("answer"))
    def answer_text(self, obj):
        answer = getattr(obj, "answer", None)
        return answer.text if answer else "–"

    @admin.display(description=_("PDF"))
    def answer_pdf(self, obj):
        answer = getattr(obj, "answer", None)
        if not answer or not answer.pdf:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("vendor:inquiry_answer_file", args=[obj.pk]), _("PDF")
        )


@admin.register(Inquiry)
class InquiryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "municipality_name", "name", "email", "confirmed_at", "timeframe", "budget"]
    list_filter = ["timeframe", "budget", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["municipality_name", "name", "email", "need", "questions"]
    date_hierarchy = "created_at"
    list_select_related = ["municipality"]
    inlines = [RecipientInline]
    fields = [
        "municipality_name",
        "municipality",
        "inhabitants",
        "size_class",
        "need",
        "timeframe",
        "budget",
        "questions",
        "name",
        "email",
        "language",
        "consent_at",
        "created_at",
        "confirmed_at",
    ]
    readonly_fields = fields


@admin.register(Answer)
class AnswerAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["created_at", "vendor", "municipality", "has_pdf"]
    list_select_related = ["recipient__vendor", "recipient__inquiry"]
    search_fields = ["text", "recipient__vendor__name", "recipient__inquiry__municipality_name"]
    fields = ["inquiry_link", "vendor", "text", "pdf_link", "pdf_size", "answered_by", "created_at"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        # An answer goes with its request (deleted there), never alone: the municipality has it already.
        return False

    @admin.display(description=_("vendor"), ordering="recipient__vendor__name")
    def vendor(self, obj):
        return obj.recipient.vendor

    @admin.display(description=_("municipality"), ordering="recipient__inquiry__municipality_name")
    def municipality(self, obj):
        return obj.recipient.inquiry.municipality_name

    @admin.display(description=_("PDF"), boolean=True)
    def has_pdf(self, obj):
        return bool(obj.pdf)

    @admin.display(description=_("request for information"))
    def inquiry_link(self, obj):
        url = reverse("admin:inquiries_inquiry_change", args=[obj.recipient.inquiry_id])
        return format_html('<a href="{}">{}</a>', url, obj.recipient.inquiry)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        if not obj.pdf:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("vendor:inquiry_answer_file", args=[obj.recipient_id]), _("PDF")
        )

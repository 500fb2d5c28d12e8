"""Notifications in the admin: the outbox with its dead letters (status, attempts, last error; retry them), each
event's preview in English and Tok Pisin, suppressed addresses, preferences, delivery settings, push subscriptions
and follows."""

from django.conf import settings
from django.contrib import admin, messages
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from notifications import events, registry, services
from notifications.models import DeliverySettings, Follow, Notification, Preference, PushSubscription, Suppression
from notifications.preview import preview


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event", "user", "channel", "status", "attempts", "short_error", "sent_at"]
    list_filter = ["status", "channel", "event", "category"]
    search_fields = ["user__email", "key", "provider_id", "subject"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    date_hierarchy = "created_at"
    actions = ["retry"]
    change_list_template = "notifications/admin/notification_changelist.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Last error")
    def short_error(self, row: Notification) -> str:
        return row.last_error[:80]

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("notifications.change_notification")

    @admin.action(description="Send again (dead or failed ones)", permissions=["retry"])
    def retry(self, request, queryset):
        sent = sum(services.notification_retry(notification_id=pk) for pk in queryset.values_list("pk", flat=True))
        self.message_user(request, f"{sent} sent to the queue again.", messages.SUCCESS)

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("preview/", wrap(self.preview_index), name="notifications_preview"),
            path("preview/<str:event_name>/", wrap(self.preview_event), name="notifications_preview_event"),
            path("preview/<str:event_name>/<str:language>/email.html", wrap(self.preview_html),
                 name="notifications_preview_html"),
            *super().get_urls(),
        ]

    def _allowed(self, request) -> None:
        if not self.has_view_permission(request):
            raise Http404

    def preview_index(self, request):
        self._allowed(request)
        rows = [{"event": event, "transactional": events.is_transactional(event.category)}
                for event in events.EVENTS.values()]
        return TemplateResponse(request, "notifications/admin/preview_index.html", {
            **self.admin_site.each_context(request), "title": "Notification previews", "rows": rows,
            "unconfigured": registry.unconfigured(), "opts": self.model._meta})

    def preview_event(self, request, event_name: str):
        self._allowed(request)
        if event_name not in events.EVENTS:
            raise Http404
        versions = [preview(event_name=event_name, language=code) for code, _name in settings.LANGUAGES]
        return TemplateResponse(request, "notifications/admin/preview_event.html", {
            **self.admin_site.each_context(request), "title": f"Preview: {event_name}", "versions": versions,
            "opts": self.model._meta})

    def preview_html(self, request, event_name: str, language: str):
        self._allowed(request)
        if event_name not in events.EVENTS or language not in dict(settings.LANGUAGES):
            raise Http404
        return HttpResponse(preview(event_name=event_name, language=language)["email_html"])


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    list_display = ["address", "channel", "reason", "detail", "created_at"]
    list_filter = ["reason", "channel"]
    search_fields = ["address"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "category", "channel", "enabled", "updated_at"]
    list_filter = ["category", "channel", "enabled"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(DeliverySettings)
class DeliverySettingsAdmin(admin.ModelAdmin):
    list_display = ["user", "time_zone", "quiet_start", "quiet_end", "language", "phone"]
    search_fields = ["user__email", "phone"]
    raw_id_fields = ["user"]


@admin.register(PushSubscription)
class PushSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "user_agent"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(Follow)
class FollowAdmin(admin.ModelAdmin):
    list_display = ["user", "creator", "created_at"]
    search_fields = ["user__email", "creator__email"]
    raw_id_fields = ["user", "creator"]

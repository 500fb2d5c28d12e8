from django.contrib import admin

from playback import qoe
from playback.models import QoeEvent


@admin.register(QoeEvent)
class QoeEventAdmin(admin.ModelAdmin):
    """Quality-of-experience events, read-only, with the week's figures per kind above the list."""

    list_display = ("created_at", "kind", "session", "film", "user", "detail")
    list_filter = ("kind", "created_at")
    list_select_related = ("session__film", "session__user")
    search_fields = ("session__id", "session__user__email", "session__film__title")
    date_hierarchy = "created_at"
    readonly_fields = ("session", "kind", "detail", "created_at")
    change_list_template = "admin/playback/qoeevent/change_list.html"

    @admin.display(description="Film")
    def film(self, event):
        return event.session.film.title

    @admin.display(description="Account")
    def user(self, event):
        return event.session.user.email

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "qoe_figures": qoe.qoe_figures(days=7)}
        return super().changelist_view(request, extra_context=extra_context)

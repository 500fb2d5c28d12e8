"""The admin site with the console in it: the index is the overview (for staff allowed to see it), and the console's
pages hang under /admin/console/. Every app's admin.py still registers on this site (ConsoleAdminConfig makes it
the default), and wans/urls.py wraps its login in allauth's secure_admin_login."""

from django.contrib import admin
from django.urls import path


class ConsoleAdminSite(admin.AdminSite):
    site_header = "WANS admin"
    site_title = "WANS admin"
    index_title = "Console"
    index_template = "console/index.html"

    def index(self, request, extra_context=None):
        from django.utils import timezone

        from console import selectors

        extra_context = extra_context or {}
        now = timezone.now()
        if request.user.has_perm("console.view_overview"):
            extra_context["overview"] = selectors.overview(now=now)
            if request.user.has_perm("console.view_pending"):
                extra_context["pending_counts"] = selectors.pending_counts(now=now)
        return super().index(request, extra_context)

    def get_urls(self):
        from console import views

        extra = [
            path("console/pending/", self.admin_view(views.pending), name="console_pending"),
            path("console/people/", self.admin_view(views.people), name="console_people"),
            path("console/people/<int:user_id>/", self.admin_view(views.person), name="console_person"),
            path("console/people/<int:user_id>/export/", self.admin_view(views.person_export),
                 name="console_person_export"),
            path("console/health/", self.admin_view(views.health), name="console_health"),
            path("console/jobs/", self.admin_view(views.jobs), name="console_jobs"),
            path("console/review/", self.admin_view(views.review_queue), name="console_review_queue"),
            path("console/review/<int:film_id>/", self.admin_view(views.review), name="console_review"),
        ]
        return extra + super().get_urls()

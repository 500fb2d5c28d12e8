from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from catalog.api import views as catalog_api
from core import health
from notifications import push_views
from web.api import views as web_api
from web.views import checkout as web_checkout
from web.views import films as web_films

# The admin signs in through allauth, so staff get the same lock-out and two-factor checks as everyone.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "WANS admin"
admin.site.site_title = "WANS admin"



# One URL, two owners: the viewer's read is the storefront's (web/api, above rights, so it can ask about the
# territory), the creator's and staff's writes are catalog's (catalog/api). Each half answers its own methods; the
# docstrings are the API's descriptions.
class FilmsView(web_api.FilmListView, catalog_api.FilmCreateView):
    """Published films open or coming in the viewer's territory, within the profile's maturity limit.
    `?mine=true` lists the requesting creator's own films in every state instead. POST adds a draft (creators and
    staff)."""


class FilmView(web_api.FilmDetailView, catalog_api.FilmEditView):
    """A film. GET answers 404 where the site's film page does (not open or coming in the viewer's territory, above
    the profile's maturity limit), except to its creator and staff. PATCH edits it and DELETE deletes a draft or
    archives a published film (its creator or staff)."""


api_patterns = [
    path("", include("billing.api.urls")),
    path("", include("accounts.api.urls")),
    path("", include("transcoding.api.urls")),
    path("", include("rights.api.urls")),
    path("films", FilmsView.as_view(), name="api-films"),
    path("films/genre/<slug:genre_slug>", web_api.GenreFilmListView.as_view(), name="api-films-genre"),
    path("", include("catalog.api.urls")),
    path("films/<str:id_or_slug>", FilmView.as_view(), name="api-film"),
    path("", include("playback.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("payouts.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", web_films.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Web push's service worker at the root, so that its scope is the whole site; SMS providers' delivery receipts.
    path("sw.js", push_views.service_worker, name="service-worker"),
    path("notifications/webhooks/", include("notifications.webhook_urls")),
    path("", include("playback.urls")),
    path("api/", include(api_patterns)),
    path("accounts/", include("allauth.urls")),
    path("account/", include("accounts.urls")),
    # A payment has one waiting page and one status JSON, the site's. Billing's former addresses stay for the
    # return_urls stored on payments and for API clients: the page redirects, the status URL is the same view.
    path("billing/payments/<uuid:public_id>/", RedirectView.as_view(pattern_name="web:checkout-payment",
                                                                    query_string=True)),
    path("billing/payments/<uuid:public_id>/status", web_checkout.payment_status),
    path("billing/", include("billing.urls")),
    path("admin/", admin.site.urls),
    path("studio/", include("studio.urls")),
    path("notifications/", include("notifications.urls")),
    # Email providers' tracking webhooks (bounces, complaints), verified by django-anymail: notifications/tracking.py.
    path("anymail/", include("anymail.urls")),
    path("", include("web.urls")),
]

if settings.DEBUG or not settings.AWS_STORAGE_BUCKET_NAME:
    # Local media (no S3): served by Django. In production a bucket or the edge serves media.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))

handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"

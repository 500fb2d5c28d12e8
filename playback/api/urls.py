from django.urls import path

from playback.api import views

app_name = "playback-api"

urlpatterns = [
    path("sessions/start", views.session_start, name="session-start"),
    path("sessions/<uuid:session_id>/heartbeat", views.session_heartbeat, name="session-heartbeat"),
    path("sessions/<uuid:session_id>/stop", views.session_stop, name="session-stop"),
    path("sessions/<uuid:session_id>", views.session_end, name="session-end"),
    path("sessions/<uuid:session_id>/end", views.session_end, name="session-end-post"),
    path("sessions/<uuid:session_id>/qoe", views.session_qoe, name="session-qoe"),
    path("sessions/user/<int:user_id>/active", views.sessions_active, name="sessions-active"),
    path("streams/<int:film_id>/manifest", views.stream_manifest, name="manifest"),
    path("streams/<int:film_id>/hls/<str:name>", views.stream_hls_media, name="hls-media"),
    path("streams/<int:film_id>/thumbnails.vtt", views.stream_thumbnails, name="thumbnails"),
    path("streams/<int:film_id>/qualities", views.stream_qualities, name="qualities"),
    path("streams/<int:film_id>/stats", views.stream_stats, name="stats"),
    path("drm/token/<int:film_id>", views.drm_token, name="drm-token"),
    path("drm/hls-key/<int:film_id>", views.drm_hls_key, name="hls-key"),
    path("drm/clearkey/<int:film_id>", views.drm_clearkey, name="clearkey"),
    path("drm/license/<str:system>/<int:film_id>", views.drm_license, name="license"),
    path("history", views.history, name="history"),
    path("history/<int:film_id>", views.history_remove, name="history-remove"),
]

from django.urls import path

from studio.views import analytics, apply, dashboard, films, home, payouts, revenue, team, upload, windows

app_name = "studio"
urlpatterns = [
    path("", home.home, name="home"),
    path("apply/", apply.apply, name="apply"),
    path("films/", films.films, name="films"),
    path("films/new/", films.film_new, name="film-new"),
    path("films/<int:film_id>/", films.film_edit, name="film-edit"),
    path("films/<int:film_id>/submit", films.film_submit, name="film-submit"),
    path("films/<int:film_id>/archive", films.film_archive, name="film-archive"),
    path("films/<int:film_id>/upload/", upload.film_upload, name="film-upload"),
    path("films/<int:film_id>/job", upload.film_job, name="film-job"),
    path("films/<int:film_id>/job/retry", upload.film_job_retry, name="film-job-retry"),
    path("films/<int:film_id>/windows/", windows.film_windows, name="film-windows"),
    path("films/<int:film_id>/windows/<int:window_id>/", windows.window_edit, name="window-edit"),
    path("films/<int:film_id>/windows/<int:window_id>/delete", windows.window_delete, name="window-delete"),
    path("films/<int:film_id>/windows/plan", windows.release_plan, name="release-plan"),
    path("team/", team.team, name="team"),
    path("team/<int:member_id>/remove", team.team_remove, name="team-remove"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("films/<int:film_id>/analytics/", analytics.film_analytics, name="film-analytics"),
    path("revenue/", revenue.revenue, name="revenue"),
    path("payouts/", payouts.payouts, name="payouts"),
    path("payouts/<int:payout_id>/", payouts.payout_detail, name="payout"),
    path("payouts/account/", payouts.payout_account, name="payouts-account"),
    path("payouts/stripe/refresh/", payouts.payout_stripe_refresh, name="payouts-stripe-refresh"),
]

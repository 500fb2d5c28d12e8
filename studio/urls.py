from django.urls import path

from studio.views import analytics, dashboard, home, revenue

app_name = "studio"
urlpatterns = [
    path("", home.home, name="home"),
    # figures (helper "figures")
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("films/<int:film_id>/analytics/", analytics.film_analytics, name="film-analytics"),
    path("revenue/", revenue.revenue, name="revenue"),
]

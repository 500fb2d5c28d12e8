from django.urls import path

from catalog.api import views

# GET, POST /api/films and GET, PATCH, DELETE /api/films/<id> are joined with the storefront's reads in wans/urls.py.
urlpatterns = [
    path("films/<str:id_or_slug>/submit", views.FilmSubmitView.as_view(), name="api-film-submit"),
    path("films/<str:id_or_slug>/approve", views.FilmApproveView.as_view(), name="api-film-approve"),
    path("films/<str:id_or_slug>/reject", views.FilmRejectView.as_view(), name="api-film-reject"),
    path("films/<str:id_or_slug>/archive", views.FilmArchiveView.as_view(), name="api-film-archive"),
    path("films/<str:id_or_slug>/unarchive", views.FilmUnarchiveView.as_view(), name="api-film-unarchive"),
    path("films/<str:id_or_slug>/images", views.FilmImageView.as_view(), name="api-film-images"),
    path("genres", views.GenreListView.as_view(), name="api-genres"),
]

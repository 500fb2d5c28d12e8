"""The storefront API: the films a viewer may see, as the site shows them (web/viewer.py decides for both). The
creator's and staff's writes on the same URLs stay in catalog/api; wans/urls.py joins the two halves per URL."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors as catalog_selectors
from catalog.api.serializers import FilmCardSerializer, FilmDetailSerializer, FilmListQuerySerializer, maturity_value
from catalog.errors import FilmPermissionDenied
from web.viewer import Viewer, film_visible_to_viewer, viewer_for


def _serializer_context(request, viewer: Viewer) -> dict:
    return {"request": request, "profile": viewer.profile, "language": viewer.language}


class FilmListView(ListAPIView):
    """Published films open or coming in the viewer's territory, within the profile's maturity limit.
    `?mine=true` lists the requesting creator's own films in every state instead."""

    serializer_class = FilmCardSerializer

    def get_permissions(self):
        # Anyone may list; a new film (POST, catalog's half of the URL in wans/urls.py) needs a signed-in caller.
        if self.request.method == "POST":
            return super().get_permissions()
        return [permissions.AllowAny()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **_serializer_context(self.request, viewer_for(self.request))}

    @extend_schema(parameters=[FilmListQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params.copy()
        if "availability" in params:
            params.setlist("availability", [v for item in params.getlist("availability") for v in item.split(",") if v])
        query = FilmListQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data["mine"]:
            if not self.request.user.is_authenticated:
                return catalog_selectors.films_published().none()
            mine = catalog_selectors.films_of_creator(user=self.request.user)
            return mine.filter(status=data["status"]) if data.get("status") else mine
        if data.get("status"):
            if not self.request.user.is_staff:
                raise FilmPermissionDenied(
                    "Only staff list films by state; for your own films add mine=true.", extra={"hint": "mine=true"}
                )
            return catalog_selectors.films_in_state(status=data["status"])
        viewer = viewer_for(self.request)
        filters = catalog_selectors.FilmFilters(
            genre=data.get("genre") or self.kwargs.get("genre_slug"),
            language=data.get("language"),
            year_min=data.get("year_min"),
            year_max=data.get("year_max"),
            country=data.get("country"),
            maturity_max=maturity_value(data["maturity"]) if data.get("maturity") else None,
            q=data.get("q") or None,
            sort=data["sort"],
        )
        return catalog_selectors.films_list(
            user=self.request.user,
            filters=filters,
            restrict_to=viewer.open_with(set(data["availability"])) if data.get("availability") else viewer.restrict(),
            maturity_limit=viewer.maturity_limit,
        )


class GenreFilmListView(FilmListView):
    """Read only: films are added at /api/films, never under a genre."""

    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        if catalog_selectors.genre_get(slug=self.kwargs["genre_slug"]) is None:
            raise Http404
        return super().get_queryset()


class FilmDetailView(APIView):
    """A film's detail, for the viewer the site would show its page to (web.viewer.film_visible_to_viewer): 404 for
    a film not open or coming in the viewer's territory, or above the profile's maturity limit (a kids profile does
    not learn the film exists); its creator and staff always see it."""

    def get_permissions(self):
        # Anyone may read; every other method of the URL (catalog's edits, wans/urls.py) needs a signed-in caller.
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return super().get_permissions()

    @extend_schema(responses=FilmDetailSerializer)
    def get(self, request, id_or_slug: str):
        viewer = viewer_for(request)
        film = catalog_selectors.film_for_detail(user=request.user, id_or_slug=id_or_slug)
        if film is None or not film_visible_to_viewer(film=film, viewer=viewer):
            raise Http404
        return Response(FilmDetailSerializer(film, context=_serializer_context(request, viewer)).data)

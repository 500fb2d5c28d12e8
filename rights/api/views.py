from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog import selectors as catalog_selectors
from core.exceptions import error_body
from rights import selectors, services
from rights.api.serializers import (
    BulkAvailabilitySerializer,
    ReleasePlanSerializer,
    WindowSerializer,
    WindowUpdateSerializer,
    WindowWriteSerializer,
)
from rights.errors import WindowInvalid, WindowPermissionDenied
from rights.territories import ALL_CODES

NOT_FOUND = error_body("not_found", "No such film.")


def _film_or_404(film_id: int):
    film = catalog_selectors.film_get(film_id=film_id)
    if film is None:
        raise Http404
    return film


def _visible_film_or_404(request, film_id: int):
    """A film the viewer may see (published, or their own, or any for staff): a draft's windows stay private."""
    film = catalog_selectors.films_visible_to(user=request.user).filter(pk=film_id).first()
    if film is None:
        raise Http404
    return film


def _territory(request) -> str:
    """The viewer's territory; staff may ask for another with ?territory=XX."""
    asked = request.query_params.get("territory")
    if asked is not None:
        if not request.user.is_staff:
            raise WindowPermissionDenied("Only staff can look at another territory.")
        if asked.upper() not in ALL_CODES:
            raise WindowInvalid(fields={"territory": [f"Unknown country code {asked[:20]!r}: give one such as PG."]})
        return asked.upper()
    return selectors.territory_for_request(request=request, user=request.user)


class FilmWindowsView(APIView):
    @extend_schema(responses=WindowSerializer(many=True))
    def get(self, request, film_id: int):
        film = _film_or_404(film_id)
        if not catalog_selectors.film_editable_by(film=film, user=request.user):
            raise WindowPermissionDenied()
        return Response(WindowSerializer(selectors.windows_for_film(film_id=film.pk), many=True).data)


class WindowCreateView(APIView):
    @extend_schema(request=WindowWriteSerializer, responses={201: WindowSerializer})
    def post(self, request):
        serializer = WindowWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        film = catalog_selectors.film_get(film_id=data.pop("film"))
        if film is None:
            raise WindowInvalid(fields={"film": ["No such film."]})
        window = services.window_create(film=film, by=request.user, **data)
        return Response(
            WindowSerializer(selectors.windows_for_film(film_id=film.pk).get(pk=window.pk)).data, status=201
        )


class WindowDetailView(APIView):
    def _window(self, window_id: int):
        window = selectors.window_get(window_id=window_id)
        if window is None:
            raise Http404
        return window

    @extend_schema(request=WindowUpdateSerializer, responses=WindowSerializer)
    def patch(self, request, window_id: int):
        window = self._window(window_id)
        serializer = WindowUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        window = services.window_update(window=window, by=request.user, **serializer.validated_data)
        return Response(WindowSerializer(selectors.windows_for_film(film_id=window.film_id).get(pk=window.pk)).data)

    @extend_schema(responses={204: None})
    def delete(self, request, window_id: int):
        services.window_delete(window=self._window(window_id), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class AvailabilityView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, film_id: int):
        film = _visible_film_or_404(request, film_id)
        answer = selectors.availability_for(
            film_id=film.pk, territory=_territory(request), at=timezone.now(), user=request.user
        )
        return Response(answer)


class AvailabilityBulkView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=BulkAvailabilitySerializer, responses={200: dict})
    def post(self, request):
        serializer = BulkAvailabilitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        film_ids = list(dict.fromkeys(serializer.validated_data["film_ids"]))
        territory = _territory(request)
        visible = set(
            catalog_selectors.films_visible_to(user=request.user).filter(pk__in=film_ids).values_list("pk", flat=True)
        )
        answers = selectors.availability_bulk(
            film_ids=[film_id for film_id in film_ids if film_id in visible],
            territory=territory,
            at=timezone.now(),
            user=request.user,
        )
        results = [answers.get(film_id) or {"film_id": film_id, **NOT_FOUND} for film_id in film_ids]
        return Response({"territory": territory, "results": results})


class UpcomingView(APIView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: dict})
    def get(self, request, film_id: int):
        film = _visible_film_or_404(request, film_id)
        territory = _territory(request)
        windows = selectors.windows_upcoming(film_id=film.pk, territory=territory, at=timezone.now())
        return Response({"film_id": film.pk, "territory": territory, "results": windows})


class ReleasePlanView(APIView):
    @extend_schema(request=ReleasePlanSerializer, responses={201: WindowSerializer(many=True)})
    def post(self, request, film_id: int):
        film = _film_or_404(film_id)
        serializer = ReleasePlanSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        windows = services.release_plan_create(film=film, by=request.user, **serializer.validated_data)
        ids = [window.pk for window in windows]
        created = selectors.windows_for_film(film_id=film.pk).filter(pk__in=ids)
        return Response(WindowSerializer(created, many=True).data, status=status.HTTP_201_CREATED)

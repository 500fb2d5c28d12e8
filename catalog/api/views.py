from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from catalog import selectors, services
from catalog.api.serializers import (
    FilmCardSerializer,
    FilmDetailSerializer,
    FilmListQuerySerializer,
    FilmWriteSerializer,
    GenreSerializer,
    ImageUploadSerializer,
    ReasonSerializer,
    maturity_value,
)
from catalog.errors import FilmPermissionDenied
from catalog.models import Film
from rights import selectors as rights_selectors


def viewer_context(request) -> dict:
    """Who is asking, for which profile, from where: the profile's language and maturity limit, the territory."""
    user = request.user
    profile = account_selectors.profile_for_request(
        user=user, profile_id=request.headers.get("X-Profile-Id") or request.query_params.get("profile")
    )
    return {
        "request": request,
        "profile": profile,
        "language": profile.language if profile else "en",
        "maturity_limit": profile.maturity_limit if profile else None,
        "territory": rights_selectors.territory_for_request(request=request, user=user),
    }


class FilmListView(ListAPIView):
    """Published films open or coming in the viewer's territory, within the profile's maturity limit.
    `?mine=true` lists the requesting creator's own films in every state instead."""

    serializer_class = FilmCardSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [permissions.IsAuthenticated()]
        return [permissions.AllowAny()]

    def get_serializer_context(self):
        return {**super().get_serializer_context(), **self._context}

    @extend_schema(parameters=[FilmListQuerySerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        self._context = viewer_context(request)
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params.copy()
        if "availability" in params:
            params.setlist("availability", [v for item in params.getlist("availability") for v in item.split(",") if v])
        query = FilmListQuerySerializer(data=params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if data["mine"]:
            if not self.request.user.is_authenticated:
                return Film.objects.none()
            mine = selectors.films_of_creator(user=self.request.user)
            return mine.filter(status=data["status"]) if data.get("status") else mine
        if data.get("status"):
            if not self.request.user.is_staff:
                raise FilmPermissionDenied(
                    "Only staff list films by state; for your own films add mine=true.", extra={"hint": "mine=true"}
                )
            return selectors.films_in_state(status=data["status"])
        filters = selectors.FilmFilters(
            genre=data.get("genre") or self.kwargs.get("genre_slug"),
            language=data.get("language"),
            year_min=data.get("year_min"),
            year_max=data.get("year_max"),
            country=data.get("country"),
            maturity_max=maturity_value(data["maturity"]) if data.get("maturity") else None,
            q=data.get("q") or None,
            sort=data["sort"],
        )
        restrict = rights_selectors.film_ids_open_or_upcoming(
            territory=self._context["territory"], at=timezone.now(), access_types=data.get("availability") or None
        )
        return selectors.films_list(
            user=self.request.user,
            filters=filters,
            restrict_to=restrict,
            maturity_limit=self._context["maturity_limit"],
        )

    @extend_schema(request=FilmWriteSerializer, responses={201: FilmDetailSerializer})
    def post(self, request):
        if not account_selectors.user_can_publish(user=request.user):
            raise FilmPermissionDenied(
                "Only creators and staff can add films: apply to become a creator at POST /api/creators/me.",
                extra={"apply": "/api/creators/me"},
            )
        serializer = FilmWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        film = services.film_create(creator=request.user, data=serializer.validated_data)
        film = selectors.film_for_detail(user=request.user, id_or_slug=str(film.pk))
        return Response(FilmDetailSerializer(film, context={"request": request}).data, status=status.HTTP_201_CREATED)


class GenreFilmListView(FilmListView):
    """Read only: films are added at /api/films, never under a genre (the inherited POST is not offered here)."""

    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        if selectors.genre_get(slug=self.kwargs["genre_slug"]) is None:
            raise Http404
        return super().get_queryset()


class FilmDetailView(APIView):
    def get_permissions(self):
        if self.request.method == "GET":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated()]

    def _film(self, request, id_or_slug: str) -> Film:
        film = selectors.film_for_detail(user=request.user, id_or_slug=id_or_slug)
        if film is None:
            raise Http404
        return film

    @extend_schema(responses=FilmDetailSerializer)
    def get(self, request, id_or_slug: str):
        context = viewer_context(request)
        film = self._film(request, id_or_slug)
        limit = context["maturity_limit"]
        is_editor = request.user.is_authenticated and (request.user.is_staff or film.creator_id == request.user.pk)
        if limit is not None and film.maturity > limit and not is_editor:
            raise Http404  # a kids profile does not learn the film exists
        return Response(FilmDetailSerializer(film, context=context).data)

    @extend_schema(request=FilmWriteSerializer, responses=FilmDetailSerializer)
    def patch(self, request, id_or_slug: str):
        film = self._film(request, id_or_slug)
        serializer = FilmWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.film_update(film=film, by=request.user, data=serializer.validated_data)
        film = self._film(request, id_or_slug if not id_or_slug.isdigit() else str(film.pk))
        return Response(FilmDetailSerializer(film, context={"request": request}).data)

    @extend_schema(responses={204: None, 200: FilmDetailSerializer})
    def delete(self, request, id_or_slug: str):
        film = self._film(request, id_or_slug)
        archived = services.film_delete(film=film, by=request.user)
        if archived is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(FilmDetailSerializer(self._film(request, str(film.pk)), context={"request": request}).data)


class _TransitionView(APIView):
    action_name = ""

    @extend_schema(request=ReasonSerializer, responses=FilmDetailSerializer)
    def post(self, request, id_or_slug: str):
        film = selectors.film_for_detail(user=request.user, id_or_slug=id_or_slug)
        if film is None:
            raise Http404
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if self.action_name == "reject":
            services.film_reject(film=film, by=request.user, reason=data["reason"] or data["note"])
        else:
            getattr(services, f"film_{self.action_name}")(
                film=film, by=request.user, note=data["note"] or data["reason"]
            )
        film = selectors.film_for_detail(user=request.user, id_or_slug=str(film.pk))
        return Response(FilmDetailSerializer(film, context={"request": request}).data)


class FilmSubmitView(_TransitionView):
    action_name = "submit"


class FilmApproveView(_TransitionView):
    action_name = "approve"


class FilmRejectView(_TransitionView):
    action_name = "reject"


class FilmArchiveView(_TransitionView):
    action_name = "archive"


class FilmUnarchiveView(_TransitionView):
    action_name = "unarchive"


class FilmImageView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": ImageUploadSerializer}, responses=FilmDetailSerializer)
    def post(self, request, id_or_slug: str):
        film = selectors.film_for_detail(user=request.user, id_or_slug=id_or_slug)
        if film is None:
            raise Http404
        serializer = ImageUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.film_image_set(
            film=film,
            by=request.user,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["image"],
        )
        film = selectors.film_for_detail(user=request.user, id_or_slug=str(film.pk))
        return Response(FilmDetailSerializer(film, context={"request": request}).data)


class GenreListView(ListAPIView):
    serializer_class = GenreSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.genres_all()

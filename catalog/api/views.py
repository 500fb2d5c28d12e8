from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors as account_selectors
from catalog import selectors, services
from catalog.api.serializers import (
    FilmDetailSerializer,
    FilmWriteSerializer,
    GenreSerializer,
    ImageUploadSerializer,
    ReasonSerializer,
)
from catalog.errors import FilmPermissionDenied
from catalog.models import Film


def _film(request, id_or_slug: str) -> Film:
    """The film the request names, as the requester may see it (published, their own, or any for staff): 404 else."""
    film = selectors.film_for_detail(user=request.user, id_or_slug=id_or_slug)
    if film is None:
        raise Http404
    return film


def _detail(request, film: Film) -> Response:
    return Response(FilmDetailSerializer(_film(request, str(film.pk)), context={"request": request}).data)


# The viewer's reads on these URLs (GET /api/films, GET /api/films/<id>) are the storefront's: web/api/views.py.
# wans/urls.py joins each of those with the write below that shares its URL.


class FilmCreateView(APIView):
    """POST /api/films: a creator (or staff) adds a draft."""

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
        response = _detail(request, film)
        response.status_code = status.HTTP_201_CREATED
        return response


class FilmEditView(APIView):
    """PATCH and DELETE /api/films/<id>: the film's creator or staff edit it, or delete it (archived once it has
    been published)."""

    @extend_schema(request=FilmWriteSerializer, responses=FilmDetailSerializer)
    def patch(self, request, id_or_slug: str):
        film = _film(request, id_or_slug)
        serializer = FilmWriteSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.film_update(film=film, by=request.user, data=serializer.validated_data)
        return _detail(request, film)

    @extend_schema(responses={204: None, 200: FilmDetailSerializer})
    def delete(self, request, id_or_slug: str):
        film = _film(request, id_or_slug)
        archived = services.film_delete(film=film, by=request.user)
        if archived is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return _detail(request, film)


class _TransitionView(APIView):
    action_name = ""

    @extend_schema(request=ReasonSerializer, responses=FilmDetailSerializer)
    def post(self, request, id_or_slug: str):
        film = _film(request, id_or_slug)
        serializer = ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if self.action_name == "reject":
            services.film_reject(film=film, by=request.user, reason=data["reason"] or data["note"])
        else:
            getattr(services, f"film_{self.action_name}")(
                film=film, by=request.user, note=data["note"] or data["reason"]
            )
        return _detail(request, film)


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
        film = _film(request, id_or_slug)
        serializer = ImageUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.film_image_set(
            film=film,
            by=request.user,
            kind=serializer.validated_data["kind"],
            upload=serializer.validated_data["image"],
        )
        return _detail(request, film)


class GenreListView(ListAPIView):
    serializer_class = GenreSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.genres_all()

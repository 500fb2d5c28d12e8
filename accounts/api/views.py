from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.api.serializers import (
    CreatorApplicationSerializer,
    CreatorApplySerializer,
    CreatorProfileSerializer,
    CreatorPublicSerializer,
    CreatorRejectSerializer,
    DeviceSerializer,
    LoginSerializer,
    ProfileSerializer,
    RefreshSerializer,
    RegisterSerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from accounts.errors import CreatorReviewDenied
from accounts.models import CreatorProfile, Device, Profile
from core.exceptions import InvalidInput


class _AuthEndpoint(APIView):
    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"


class RegisterView(_AuthEndpoint):
    @extend_schema(request=RegisterSerializer, responses={201: dict})
    def post(self, request):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.account_register(request=request._request, **serializer.validated_data)
        # The same answer whether or not the email was already registered: no account enumeration.
        return Response(
            {"email": serializer.validated_data["email"], **services.account_register_answer()},
            status=status.HTTP_201_CREATED,
        )


class LoginView(_AuthEndpoint):
    @extend_schema(request=LoginSerializer, responses={200: dict})
    def post(self, request):
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        result = services.auth_login(
            request=request._request,
            email=data["email"],
            password=data["password"],
            device_key=data["device_id"],
            device_name=data["device_name"],
        )
        return Response(
            {
                "access": result.access,
                "refresh": result.refresh,
                "device": {"id": result.device.pk, "device_id": result.device.device_key, "name": result.device.name},
                "user": UserSerializer(result.user).data,
            }
        )


class RefreshView(_AuthEndpoint):
    @extend_schema(request=RefreshSerializer, responses={200: dict})
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        access = services.auth_refresh(request=request._request, refresh=serializer.validated_data["refresh"])
        return Response({"access": access})


class LogoutView(_AuthEndpoint):
    @extend_schema(request=RefreshSerializer, responses={204: None})
    def post(self, request):
        serializer = RefreshSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.auth_logout(refresh=serializer.validated_data["refresh"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class VerifyView(APIView):
    """Is the bearer token valid, and whose is it? 401 with the error body when not."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        token = request.auth
        expires = token.get("exp") if hasattr(token, "get") else None
        return Response(
            {
                "valid": True,
                "user_id": request.user.pk,
                "email": request.user.email,
                "expires_at": expires,
                "device_id": token.get("did") if hasattr(token, "get") else None,
            }
        )


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request):
        return Response(UserSerializer(request.user).data)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def patch(self, request):
        serializer = UserUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = services.user_update(user=request.user, **serializer.validated_data)
        return Response(UserSerializer(user).data)


class DeviceListView(ListAPIView):
    serializer_class = DeviceSerializer

    def get_queryset(self):
        return selectors.devices_active_for(user=self.request.user)


class DeviceDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request, device_id: int):
        get_object_or_404(Device, pk=device_id, user=request.user, signed_out_at__isnull=True)
        services.device_sign_out(user=request.user, device_id=device_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ProfileListView(ListAPIView):
    serializer_class = ProfileSerializer

    def get_queryset(self):
        return selectors.profiles_for(user=self.request.user)

    @extend_schema(request=ProfileSerializer, responses={201: ProfileSerializer})
    def post(self, request):
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_create(user=request.user, **serializer.validated_data)
        return Response(ProfileSerializer(profile).data, status=status.HTTP_201_CREATED)


class ProfileDetailView(APIView):
    def _get(self, request, profile_id: int) -> Profile:
        return get_object_or_404(Profile, pk=profile_id, user=request.user)

    @extend_schema(request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request, profile_id: int):
        profile = self._get(request, profile_id)
        serializer = ProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_update(profile=profile, **serializer.validated_data)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(responses={204: None})
    def delete(self, request, profile_id: int):
        services.profile_delete(profile=self._get(request, profile_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


class CreatorPublicView(APIView):
    """An approved creator's public profile: what viewers see next to their films."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=CreatorPublicSerializer)
    def get(self, request, slug: str):
        profile = selectors.creator_profile_public(slug=slug)
        if profile is None:
            raise Http404
        return Response(CreatorPublicSerializer(profile).data)


class CreatorMeView(APIView):
    """The requesting user's creator profile: apply (POST), read the application's state and edit it."""

    def _profile(self, request) -> CreatorProfile:
        profile = selectors.creator_profile_for(user=request.user)
        if profile is None:
            raise Http404
        return profile

    @extend_schema(
        request=CreatorApplySerializer,
        responses={201: CreatorProfileSerializer},
        description="Apply to become a creator (or again, after a refusal). Films can be prepared at once; they are "
        "sent for review once staff approve the profile.",
    )
    def post(self, request):
        serializer = CreatorApplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.creator_apply(user=request.user, **serializer.validated_data)
        return Response(CreatorProfileSerializer(profile).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=CreatorProfileSerializer)
    def get(self, request):
        return Response(CreatorProfileSerializer(self._profile(request)).data)

    @extend_schema(request=CreatorProfileSerializer, responses=CreatorProfileSerializer)
    def patch(self, request):
        profile = self._profile(request)
        serializer = CreatorProfileSerializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        profile = services.creator_profile_update(profile=profile, **serializer.validated_data)
        return Response(CreatorProfileSerializer(profile).data)


class CreatorApplicationListView(ListAPIView):
    """Staff: creator applications, oldest first; `?status=pending` (the review queue), `approved`, `rejected`."""

    serializer_class = CreatorApplicationSerializer

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=list(CreatorProfile.Status.values))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not self.request.user.is_staff:
            raise CreatorReviewDenied()
        wanted = self.request.query_params.get("status") or None
        if wanted is not None and wanted not in CreatorProfile.Status.values:
            raise InvalidInput(
                "Unknown status.", fields={"status": [f"One of: {', '.join(CreatorProfile.Status.values)}."]}
            )
        return selectors.creator_applications(status=wanted)


class CreatorApproveView(APIView):
    @extend_schema(request=None, responses=CreatorApplicationSerializer)
    def post(self, request, slug: str):
        profile = services.creator_approve(profile=_application(request, slug), by=request.user)
        return Response(CreatorApplicationSerializer(profile).data)


class CreatorRejectView(APIView):
    @extend_schema(request=CreatorRejectSerializer, responses=CreatorApplicationSerializer)
    def post(self, request, slug: str):
        profile = _application(request, slug)
        serializer = CreatorRejectSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.creator_reject(profile=profile, by=request.user, reason=serializer.validated_data["reason"])
        return Response(CreatorApplicationSerializer(profile).data)


def _application(request, slug: str) -> CreatorProfile:
    if not request.user.is_staff:
        raise CreatorReviewDenied()
    return get_object_or_404(CreatorProfile, slug=slug)

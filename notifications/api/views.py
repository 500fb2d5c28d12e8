"""The notifications API: the bell (list, unread count, mark read) and the browser's web-push subscription."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import selectors, services
from notifications.api.serializers import (
    MarkReadSerializer,
    NotificationSerializer,
    PushSubscriptionSerializer,
)
from notifications.errors import NotificationInvalid

_Count = inline_serializer("UnreadCount", {"unread": serializers.IntegerField()})
_Marked = inline_serializer("MarkedRead", {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()})


class NotificationListView(ListAPIView):
    """The signed-in person's in-app notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return selectors.in_app_for(user=self.request.user)


class UnreadCountView(APIView):
    @extend_schema(responses={200: _Count})
    def get(self, request):
        """How many in-app notifications are unread (the bell's number)."""
        return Response({"unread": selectors.unread_count(user=request.user)})


class MarkReadView(APIView):
    @extend_schema(request=MarkReadSerializer, responses={200: _Marked})
    def post(self, request):
        """Mark these notifications (ids of the person's own) read."""
        body = MarkReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        marked = services.notifications_mark_read(user=request.user, ids=body.validated_data["ids"])
        return Response({"marked": marked, "unread": selectors.unread_count(user=request.user)})


class MarkAllReadView(APIView):
    @extend_schema(request=None, responses={200: _Marked})
    def post(self, request):
        """Mark every notification read."""
        marked = services.notifications_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread": 0})


class PushSubscriptionView(APIView):
    @extend_schema(request=PushSubscriptionSerializer, responses={201: PushSubscriptionSerializer})
    def post(self, request):
        """Save this browser's push subscription (PushSubscription.toJSON()) for the signed-in person."""
        body = PushSubscriptionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        services.push_subscription_save(user=request.user, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"],
                                        auth=data["keys"]["auth"],
                                        user_agent=request.META.get("HTTP_USER_AGENT", ""))
        return Response(body.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, parameters=[
        OpenApiParameter("endpoint", str, required=True, description="The subscription's endpoint.")])
    def delete(self, request):
        """Forget this browser's push subscription (none of the person's with that endpoint: nothing to do)."""
        endpoint = request.query_params.get("endpoint", "")
        if not endpoint:
            raise NotificationInvalid(fields={"endpoint": ["This field is required."]})
        services.push_subscription_delete(user=request.user, endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)

"""The notifications API: the browser's web-push subscription."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications import services
from notifications.api.serializers import PushSubscriptionSerializer
from notifications.errors import NotificationInvalid


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

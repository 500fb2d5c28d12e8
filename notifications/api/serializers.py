from rest_framework import serializers

from notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "category", "subject", "text", "url", "created_at", "read_at", "read"]
        read_only_fields = fields

    def get_read(self, row: Notification) -> bool:
        return row.read_at is not None


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**62), min_length=1,
                                max_length=200)


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionSerializer(serializers.Serializer):
    """The browser's PushSubscription.toJSON(): endpoint and keys."""

    endpoint = serializers.RegexField(r"^https://[^\s]+$", max_length=1000,
                                      help_text="The push service's https address of this browser's subscription.")
    keys = PushKeysSerializer()

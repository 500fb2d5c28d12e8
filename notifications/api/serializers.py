from rest_framework import serializers


class PushKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=200)
    auth = serializers.CharField(max_length=100)


class PushSubscriptionSerializer(serializers.Serializer):
    """The browser's PushSubscription.toJSON(): endpoint and keys."""

    endpoint = serializers.RegexField(r"^https://[^\s]+$", max_length=1000,
                                      help_text="The push service's https address of this browser's subscription.")
    keys = PushKeysSerializer()

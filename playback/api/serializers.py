from rest_framework import serializers


class StartIn(serializers.Serializer):
    film = serializers.IntegerField(min_value=1)
    profile = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    device = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class EventIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["error", "bitrate_switch"])
    position = serializers.FloatField(required=False, min_value=0)
    bitrate = serializers.IntegerField(required=False, min_value=0, allow_null=True)
    message = serializers.CharField(required=False, max_length=300, allow_blank=True)
    code = serializers.CharField(required=False, max_length=60, allow_blank=True)
    fatal = serializers.BooleanField(required=False)
    to = serializers.IntegerField(required=False, min_value=0, allow_null=True)


class BeatIn(serializers.Serializer):
    position = serializers.FloatField(min_value=0, max_value=24 * 3600)
    duration = serializers.FloatField(min_value=0, max_value=24 * 3600, required=False, default=0.0)
    bitrate = serializers.IntegerField(min_value=0, max_value=200_000_000, required=False, allow_null=True)
    buffer = serializers.FloatField(min_value=0, max_value=3600, required=False, allow_null=True)
    rebuffer_seconds = serializers.FloatField(min_value=0, max_value=3600, required=False, default=0.0)
    rebuffer_events = serializers.IntegerField(min_value=0, max_value=10_000, required=False, default=0)
    events = EventIn(many=True, required=False, default=list)


class StopIn(serializers.Serializer):
    position = serializers.FloatField(min_value=0, max_value=24 * 3600, required=False, default=None, allow_null=True)
    duration = serializers.FloatField(min_value=0, max_value=24 * 3600, required=False, default=0.0)


def session_out(row) -> dict:
    return {
        "id": str(row.pk),
        "film": {"id": row.film_id, "title": row.film.title, "slug": row.film.slug},
        "profile": row.profile_id,
        "device": {"id": row.device_id, "name": row.device_name, "kind": row.device_kind},
        "territory": row.territory,
        "started_at": row.started_at,
        "last_heartbeat_at": row.last_heartbeat_at,
        "position_seconds": round(row.position_seconds, 1),
        "ended_at": row.ended_at,
        "end_reason": row.end_reason or None,
    }


def progress_out(row) -> dict:
    return {
        "film_id": row.film_id,
        "film": {"id": row.film_id, "title": row.film.title, "slug": row.film.slug},
        "position_seconds": round(row.position_seconds, 1),
        "duration_seconds": round(row.duration_seconds, 1),
        "completed": row.completed,
        "updated_at": row.updated_at,
    }


class QoeIn(serializers.Serializer):
    """A player's report of why it gave up (playback.qoe)."""

    kind = serializers.ChoiceField(choices=["decrypt", "append", "network", "other"])
    detail = serializers.DictField(required=False, default=dict)

    def validate_detail(self, value):
        if len(value) > 20:
            raise serializers.ValidationError("At most 20 entries.")
        return value

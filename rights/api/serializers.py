from datetime import UTC, datetime, time

from rest_framework import serializers

from core.money import MINOR_UNITS
from rights.models import Window, WindowType
from rights.services import MAX_AMOUNT_MINOR, MAX_OFFSET_DAYS

MAX_BULK = 500
MAX_ID = 2**63 - 1  # BigAutoField; larger numbers would overflow the database driver


def _short(name: object) -> str:
    text = str(name)
    return text if len(text) <= 20 else text[:20] + "…"


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo such as "price" for "prices" is an error, not silently dropped)."""

    refuses_unknown_fields = True  # core.schema.AutoSchema documents it: additionalProperties false

    def validate(self, attrs):
        unknown = sorted(set(getattr(self, "initial_data", {}) or {}) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({_short(name): ["Unknown field."] for name in unknown[:10]})
        return super().validate(attrs)


class AmountField(serializers.IntegerField):
    """Minor units as a JSON integer: "15" or 15.0 is refused rather than guessed at (15 toea or K15?)."""

    default_error_messages = {"strict": "Give a whole number of minor units (e.g. 1500 for PGK 15.00), not {kind}."}

    def __init__(self, **kwargs):
        super().__init__(min_value=0, max_value=MAX_AMOUNT_MINOR, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("strict", kind=type(data).__name__)
        return super().to_internal_value(data)


def _currencies_check(prices: dict) -> None:
    unknown = sorted(set(prices) - set(MINOR_UNITS))
    if unknown:
        names = ", ".join(_short(name) for name in unknown[:10])
        raise serializers.ValidationError(f"Unknown currency: {names}. Known: {', '.join(sorted(MINOR_UNITS))}.")


class WindowSerializer(serializers.ModelSerializer):
    territories = serializers.SerializerMethodField()
    prices = serializers.SerializerMethodField()
    film = serializers.IntegerField(source="film_id")

    class Meta:
        model = Window
        fields = [
            "id",
            "film",
            "window_type",
            "territories",
            "starts_at",
            "ends_at",
            "prices",
            "rental_hours",
            "start_window_days",
            "event_starts_at",
            "edition_size",
            "festival_ticketed",
            "created_at",
        ]

    def get_territories(self, window: Window) -> list[str]:
        return [entry for entry in window.territories.split(",") if entry]

    def get_prices(self, window: Window) -> dict[str, int]:
        return {price.currency: price.amount_minor for price in window.prices.all()}


class TerritoriesField(serializers.ListField):
    """A list of codes and group names, or one comma-separated string of them."""

    child = serializers.CharField(max_length=20)

    def __init__(self, **kwargs):
        super().__init__(min_length=1, max_length=300, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [part for part in data.split(",") if part.strip()]
        return super().to_internal_value(data)


class WindowWriteSerializer(StrictSerializer):
    film = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    window_type = serializers.ChoiceField(choices=WindowType.choices)
    territories = TerritoriesField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    prices = serializers.DictField(child=AmountField(), required=False)
    rental_hours = serializers.IntegerField(min_value=1, max_value=24 * 30, required=False)
    start_window_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
    event_starts_at = serializers.DateTimeField(required=False, allow_null=True)
    edition_size = serializers.IntegerField(min_value=1, max_value=1_000_000, required=False, allow_null=True)
    festival_ticketed = serializers.BooleanField(required=False)

    def validate_prices(self, prices: dict) -> dict:
        _currencies_check(prices)
        return prices

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs.get("ends_at") and attrs.get("starts_at") and attrs["ends_at"] <= attrs["starts_at"]:
            raise serializers.ValidationError({"ends_at": ["The window must end after it starts."]})
        return attrs


class WindowUpdateSerializer(WindowWriteSerializer):
    """The film and the window's type are fixed: delete the window and create another to change them."""

    film = None
    window_type = None

    def validate(self, attrs):
        fixed = sorted({"film", "window_type"} & set(self.initial_data))
        if fixed:
            raise serializers.ValidationError(
                {name: ["Cannot be changed: delete this window and create another."] for name in fixed}
            )
        return super().validate(attrs)


class BulkAvailabilitySerializer(StrictSerializer):
    film_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1, max_length=MAX_BULK
    )


class ReleasePlanSerializer(StrictSerializer):
    starts_at = serializers.DateTimeField(required=False)
    starts_on = serializers.DateField(required=False, help_text="A date: the plan starts at 00:00 UTC that day.")
    territories = TerritoriesField()
    offsets = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=MAX_OFFSET_DAYS), required=False
    )
    prices = serializers.DictField(child=serializers.DictField(child=AmountField()), required=False)

    def validate_offsets(self, offsets: dict) -> dict:
        unknown = sorted(set(offsets) - set(WindowType.values))
        if unknown:
            raise serializers.ValidationError(f"Unknown window type: {', '.join(_short(n) for n in unknown[:10])}.")
        return offsets

    def validate_prices(self, prices: dict) -> dict:
        unknown = sorted(set(prices) - set(WindowType.values))
        if unknown:
            raise serializers.ValidationError(f"Unknown window type: {', '.join(_short(n) for n in unknown[:10])}.")
        for by_currency in prices.values():
            _currencies_check(by_currency)
        return prices

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "starts_at" not in attrs and "starts_on" not in attrs:
            raise serializers.ValidationError({"starts_at": ["Give starts_at (a time) or starts_on (a date)."]})
        if "starts_at" in attrs and "starts_on" in attrs:
            raise serializers.ValidationError({"starts_on": ["Give starts_at or starts_on, not both."]})
        if "starts_at" not in attrs:
            attrs["starts_at"] = datetime.combine(attrs.pop("starts_on"), time(0, 0), tzinfo=UTC)
        return attrs

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from accounts import selectors
from accounts.models import CreatorProfile, Device, Language, Profile, User
from core.maturity import Maturity
from core.money import MINOR_UNITS


class RegisterSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        candidate = User(email=attrs["email"], display_name=attrs.get("display_name", ""))
        try:
            validate_password(attrs["password"], user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"password": list(exc.messages)}) from None
        return attrs


class LoginSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    device_id = serializers.RegexField(r"^[A-Za-z0-9_-]{8,64}$", required=False, allow_blank=True, default="")
    device_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class RefreshSerializer(serializers.Serializer):
    refresh = serializers.CharField(max_length=2000)


class UserSerializer(serializers.ModelSerializer):
    country = CountryField()
    role = serializers.SerializerMethodField()
    email_verified = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "display_name", "country", "role", "email_verified", "date_joined"]
        read_only_fields = ["id", "email", "role", "email_verified", "date_joined"]

    def get_role(self, user: User) -> str:
        return selectors.user_role(user=user).value

    def get_email_verified(self, user: User) -> bool:
        return selectors.user_email_verified(user=user)


class UserUpdateSerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    country = CountryField(required=False)


class DeviceSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = ["id", "name", "kind", "last_ip", "last_country", "created_at", "last_seen_at", "current"]

    def get_current(self, device: Device) -> bool:
        current = getattr(self.context["request"]._request, "wans_device", None)
        return current is not None and current.pk == device.pk


class CreatorProfileSerializer(serializers.ModelSerializer):
    country = CountryField(required=False)
    payout_currency = serializers.ChoiceField(choices=sorted(MINOR_UNITS), required=False)

    class Meta:
        model = CreatorProfile
        fields = ["slug", "display_name", "bio", "country", "payout_currency"]
        read_only_fields = ["slug"]
        extra_kwargs = {"display_name": {"required": False}, "bio": {"required": False}}


class ProfileSerializer(serializers.ModelSerializer):
    maturity_limit = serializers.ChoiceField(choices=[label for _, label in Maturity.choices], required=False)
    language = serializers.ChoiceField(choices=Language.choices, required=False)
    avatar = serializers.ImageField(required=False, allow_null=True)

    class Meta:
        model = Profile
        fields = ["id", "name", "avatar", "language", "maturity_limit", "is_kids", "created_at"]
        read_only_fields = ["id", "created_at"]

    def to_representation(self, profile: Profile) -> dict:
        data = super().to_representation(profile)
        data["maturity_limit"] = Maturity(profile.maturity_limit).label
        return data

    def validate_maturity_limit(self, label: str) -> int:
        return next(value for value, name in Maturity.choices if name == label)

    def validate_name(self, name: str) -> str:
        name = name.strip()
        if not name:
            raise serializers.ValidationError("A profile needs a name.")
        return name

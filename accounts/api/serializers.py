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

    def validate(self, attrs):
        if "role" in getattr(self, "initial_data", {}):
            raise serializers.ValidationError({"role": [ROLE_NOT_HERE]})
        return attrs


class DeviceSerializer(serializers.ModelSerializer):
    current = serializers.SerializerMethodField()

    class Meta:
        model = Device
        fields = ["id", "name", "kind", "last_ip", "last_country", "created_at", "last_seen_at", "current"]

    def get_current(self, device: Device) -> bool:
        current = getattr(self.context["request"]._request, "wans_device", None)
        return current is not None and current.pk == device.pk


# PATCH /api/user/me cannot change the role: say where it changes.
ROLE_NOT_HERE = "The role is not changed here: apply to become a creator at POST /api/creators/me."


def _links_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.URLField(max_length=500), max_length=5, required=False,
        help_text="Up to 5 web addresses (http or https): site, festival pages, socials.",
    )


class CreatorProfileSerializer(serializers.ModelSerializer):
    """The creator's own profile (GET/PATCH /api/creators/me), with the application's state."""

    country = CountryField(required=False)
    payout_currency = serializers.ChoiceField(choices=sorted(MINOR_UNITS), required=False)
    links = _links_field()

    class Meta:
        model = CreatorProfile
        fields = ["slug", "display_name", "bio", "country", "payout_currency", "links", "status",
                  "rejection_reason", "applied_at", "reviewed_at"]
        read_only_fields = ["slug", "status", "rejection_reason", "applied_at", "reviewed_at"]
        extra_kwargs = {"display_name": {"required": False}, "bio": {"required": False}}


class CreatorPublicSerializer(serializers.ModelSerializer):
    country = CountryField()

    class Meta:
        model = CreatorProfile
        fields = ["slug", "display_name", "bio", "country", "links"]


class CreatorApplySerializer(serializers.Serializer):
    display_name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=140, required=False, allow_blank=True,
                                 help_text="The creator page's address; made from the display name when empty.")
    bio = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    country = CountryField(required=False)
    links = _links_field()


class CreatorApplicationSerializer(CreatorProfileSerializer):
    """An application as staff see it (GET /api/creators/applications)."""

    email = serializers.EmailField(source="user.email", read_only=True)
    user_id = serializers.IntegerField(read_only=True)

    class Meta(CreatorProfileSerializer.Meta):
        fields = ["user_id", "email", *CreatorProfileSerializer.Meta.fields]


class CreatorRejectSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Shown to the applicant.")


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

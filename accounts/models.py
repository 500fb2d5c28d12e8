from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django_countries.fields import CountryField

from core.maturity import Maturity


class Language(models.TextChoices):
    ENGLISH = "en", "English"
    TOK_PISIN = "tpi", "Tok Pisin"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("an email is required")
        user = self.model(email=self.normalize_email(email).strip().lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, email: str):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. The email is the login and is unique whatever its case."""

    email = models.EmailField("email address", max_length=254)
    display_name = models.CharField(max_length=150, blank=True)
    country = CountryField(default="PG", help_text="Home territory, used when no CDN header says where the viewer is.")
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True, help_text="Unticked: the account is locked and cannot sign in.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).strip().lower()


class CreatorProfile(models.Model):
    """The public face of a creator: what viewers see on film pages and the creator's page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator_profile")
    display_name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)
    bio = models.TextField(blank=True, max_length=5000)
    country = CountryField(default="PG")
    payout_currency = models.CharField(max_length=3, default="PGK")
    created_at = models.DateTimeField(auto_now_add=True)

    class Status(models.TextChoices):
        PENDING = "pending", "Applied, waiting for staff"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    # A profile made by staff (the admin's "Set role: creator") is approved; one applied for (creator_apply) waits.
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED, db_index=True)
    links = models.JSONField(default=list, blank=True, help_text="Up to 5 web addresses: site, festival, socials.")
    applied_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_reason = models.TextField(blank=True, max_length=2000, help_text="Shown to the applicant.")
    avatar = models.ImageField(upload_to="creators/", blank=True, help_text="Shown on the creator page.")

    def __str__(self) -> str:
        return self.display_name


class TeamMember(models.Model):
    """A collaborator a creator invited by email to their studio: an editor (films and windows) or an analyst
    (analytics and revenue, read-only). `user` is set when an account with that email exists or signs up later;
    until then the invitation waits on the email address."""

    class Role(models.TextChoices):
        EDITOR = "editor", "Editor: films and windows"
        ANALYST = "analyst", "Analyst: analytics and revenue, read-only"

    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_members")
    email = models.EmailField(max_length=254)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="team_seats"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint("creator", Lower("email"), name="accounts_teammember_email_unique_per_creator"),
            models.CheckConstraint(condition=models.Q(role__in=["editor", "analyst"]), name="accounts_teammember_role"),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role}) for {self.creator_id}"


class Profile(models.Model):
    """A viewer profile within an account ("Who's watching?"). An account holds 1 to 5."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles")
    name = models.CharField(max_length=50)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    maturity_limit = models.PositiveSmallIntegerField(choices=Maturity.choices, default=Maturity.R18)
    is_kids = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="accounts_profile_name_unique_per_user"),
            models.CheckConstraint(
                condition=models.Q(is_kids=False) | models.Q(maturity_limit__lte=int(Maturity.PG)),
                name="accounts_profile_kids_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.user_id})"


class Device(models.Model):
    """A browser or app that has signed in. Signing it out ends its site session and its API tokens at once."""

    class Kind(models.TextChoices):
        MOBILE = "mobile", "Phone"
        TABLET = "tablet", "Tablet"
        DESKTOP = "desktop", "Computer"
        TV = "tv", "TV"
        OTHER = "other", "Other"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="devices")
    device_key = models.CharField(max_length=64, help_text="Stable id sent by the client, or kept in a cookie.")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    user_agent = models.CharField(max_length=512, blank=True)
    last_ip = models.GenericIPAddressField(null=True, blank=True)
    last_country = models.CharField(max_length=2, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(default=timezone.now)
    signed_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        constraints = [models.UniqueConstraint("user", "device_key", name="accounts_device_key_unique_per_user")]
        indexes = [models.Index(fields=["user", "signed_out_at"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.signed_out_at is None

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models.functions import Lower

from core.maturity import Maturity


class FilmStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class Genre(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    name_tpi = models.CharField("name in Tok Pisin", max_length=60, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.CharField(max_length=40, unique=True)
    slug = models.SlugField(max_length=40, unique=True)

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.name


class Film(models.Model):
    """A feature or short. Viewers see it only when published and open to them (rights decides the second part)."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    tagline = models.CharField(max_length=200, blank=True)
    synopsis = models.TextField(max_length=5000, blank=True)
    runtime_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    release_year = models.PositiveSmallIntegerField(null=True, blank=True)
    maturity = models.PositiveSmallIntegerField(choices=Maturity.choices, default=Maturity.PG)
    original_language = models.CharField(max_length=8, default="en", help_text="ISO 639 code, e.g. en, tpi")
    # Comma-separated codes (",en,tpi,"), delimited at both ends so that a lookup for ",en," is exact.
    audio_languages = models.CharField(max_length=200, blank=True, default="")
    subtitle_languages = models.CharField(max_length=200, blank=True, default="")
    production_countries = models.CharField(max_length=200, blank=True, default="")
    creator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="films")
    genres = models.ManyToManyField(Genre, related_name="films", blank=True)
    tags = models.ManyToManyField(Tag, related_name="films", blank=True)
    poster = models.ImageField(upload_to="posters/", blank=True)
    backdrop = models.ImageField(upload_to="backdrops/", blank=True)
    featured = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=FilmStatus.choices, default=FilmStatus.DRAFT, db_index=True)
    popularity = models.PositiveIntegerField(default=0, help_text="Plays in the last 30 days; playback updates it.")
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Search: a plain text document (title, credits, translations, synopsis) for every database,
    # and on Postgres a weighted tsvector of it with GIN and trigram indexes (see migration 0002).
    search_text = models.TextField(blank=True, default="", editable=False)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(release_year__isnull=True) | models.Q(release_year__gte=1888),
                name="catalog_film_release_year_sane",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def codes(value: str) -> list[str]:
        return [code for code in value.split(",") if code]


class FilmTranslation(models.Model):
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=200)
    tagline = models.CharField(max_length=200, blank=True)
    synopsis = models.TextField(max_length=5000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("film", "language", name="catalog_translation_unique_language")]

    def __str__(self) -> str:
        return f"{self.title} [{self.language}]"


class Credit(models.Model):
    class Role(models.TextChoices):
        DIRECTOR = "director", "Director"
        WRITER = "writer", "Writer"
        PRODUCER = "producer", "Producer"
        CAST = "cast", "Cast"
        CINEMATOGRAPHER = "cinematographer", "Cinematographer"
        EDITOR = "editor", "Editor"
        COMPOSER = "composer", "Composer"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=20, choices=Role.choices)
    character = models.CharField(max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint("film", "person", "role", Lower("character"), name="catalog_credit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} as {self.role}"


class FilmImage(models.Model):
    """A resized rendition of a film's poster or backdrop, made by Pillow when the image is set."""

    class Kind(models.TextChoices):
        POSTER = "poster", "Poster"
        BACKDROP = "backdrop", "Backdrop"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="images")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    image = models.ImageField(upload_to="film-images/")

    class Meta:
        ordering = ["kind", "width"]
        constraints = [models.UniqueConstraint("film", "kind", "width", name="catalog_image_unique_size")]

    def __str__(self) -> str:
        return f"{self.kind} {self.width}w"


class FilmTransition(models.Model):
    """Every lifecycle change: who, when, from, to, and a note (the reason when a film is sent back)."""

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=FilmStatus.choices)
    to_status = models.CharField(max_length=12, choices=FilmStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class MyListItem(models.Model):
    """A film a viewer profile saved to watch later ("My List"). One row per profile and film."""

    profile = models.ForeignKey("accounts.Profile", on_delete=models.CASCADE, related_name="my_list_items")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [models.UniqueConstraint("profile", "film", name="catalog_my_list_once_per_profile")]
        indexes = [models.Index(fields=["profile", "-added_at"])]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.film_id}"

from django_countries import countries
from rest_framework import serializers

from catalog import selectors
from catalog.models import Credit, Film, FilmImage, FilmStatus, Genre
from core.maturity import Maturity

MATURITY_LABELS = [label for _, label in Maturity.choices]
LANGUAGE_CODE = r"^[a-z]{2,3}$"


def maturity_value(label: str) -> int:
    return next(value for value, name in Maturity.choices if name == label)


class GenreSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["slug", "name", "name_tpi"]


def _image_urls(film: Film, kind: str, request) -> dict[str, str]:
    urls = {}
    for image in film.images.all():  # prefetched
        if image.kind == kind:
            url = image.image.url
            urls[f"{image.width}w"] = request.build_absolute_uri(url) if request else url
    return urls


class FilmCardSerializer(serializers.ModelSerializer):
    """A film in a list: what a poster card shows."""

    title = serializers.SerializerMethodField()
    tagline = serializers.SerializerMethodField()
    maturity = serializers.CharField(source="get_maturity_display")
    genres = GenreSerializer(many=True)
    poster = serializers.SerializerMethodField()

    class Meta:
        model = Film
        fields = [
            "id",
            "slug",
            "title",
            "tagline",
            "release_year",
            "runtime_minutes",
            "maturity",
            "genres",
            "poster",
            "featured",
            "status",
        ]

    def _localized(self, film: Film) -> dict:
        cache = self.context.setdefault("_localized", {})
        if film.pk not in cache:
            cache[film.pk] = selectors.film_localized(film=film, language=self.context.get("language", "en"))
        return cache[film.pk]

    def get_title(self, film: Film) -> str:
        return self._localized(film)["title"]

    def get_tagline(self, film: Film) -> str:
        return self._localized(film)["tagline"]

    def get_poster(self, film: Film) -> dict[str, str]:
        return _image_urls(film, FilmImage.Kind.POSTER, self.context.get("request"))


class CreditSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="person.name")

    class Meta:
        model = Credit
        fields = ["name", "role", "character"]


class FilmDetailSerializer(FilmCardSerializer):
    synopsis = serializers.SerializerMethodField()
    credits = CreditSerializer(many=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    backdrop = serializers.SerializerMethodField()
    audio_languages = serializers.SerializerMethodField()
    subtitle_languages = serializers.SerializerMethodField()
    production_countries = serializers.SerializerMethodField()
    translations = serializers.SerializerMethodField()
    creator = serializers.SerializerMethodField()

    class Meta(FilmCardSerializer.Meta):
        fields = [
            *FilmCardSerializer.Meta.fields,
            "synopsis",
            "original_language",
            "audio_languages",
            "subtitle_languages",
            "production_countries",
            "credits",
            "tags",
            "backdrop",
            "translations",
            "creator",
            "published_at",
            "created_at",
            "updated_at",
        ]

    def get_synopsis(self, film: Film) -> str:
        return self._localized(film)["synopsis"]

    def get_backdrop(self, film: Film) -> dict[str, str]:
        return _image_urls(film, FilmImage.Kind.BACKDROP, self.context.get("request"))

    def get_audio_languages(self, film: Film) -> list[str]:
        return Film.codes(film.audio_languages)

    def get_subtitle_languages(self, film: Film) -> list[str]:
        return Film.codes(film.subtitle_languages)

    def get_production_countries(self, film: Film) -> list[str]:
        return Film.codes(film.production_countries)

    def get_translations(self, film: Film) -> list[dict]:
        return [
            {"language": t.language, "title": t.title, "tagline": t.tagline, "synopsis": t.synopsis}
            for t in film.translations.all()
        ]

    def get_creator(self, film: Film) -> dict:
        return {"id": film.creator_id, "name": film.creator.display_name or "WANS creator"}


class CreditInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    role = serializers.ChoiceField(choices=Credit.Role.choices)
    character = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")


class TranslationInputSerializer(serializers.Serializer):
    language = serializers.RegexField(LANGUAGE_CODE)
    title = serializers.CharField(max_length=200)
    tagline = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    synopsis = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class FilmWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=200, required=False)
    tagline = serializers.CharField(max_length=200, required=False, allow_blank=True)
    synopsis = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    runtime_minutes = serializers.IntegerField(min_value=1, max_value=1500, required=False, allow_null=True)
    release_year = serializers.IntegerField(min_value=1888, max_value=2100, required=False, allow_null=True)
    maturity = serializers.ChoiceField(choices=MATURITY_LABELS, required=False)
    original_language = serializers.RegexField(LANGUAGE_CODE, required=False)
    audio_languages = serializers.ListField(child=serializers.RegexField(LANGUAGE_CODE), max_length=30, required=False)
    subtitle_languages = serializers.ListField(
        child=serializers.RegexField(LANGUAGE_CODE), max_length=30, required=False
    )
    production_countries = serializers.ListField(
        child=serializers.ChoiceField(choices=list(countries)), max_length=30, required=False
    )
    genres = serializers.SlugRelatedField(many=True, slug_field="slug", queryset=Genre.objects.all(), required=False)
    tags = serializers.ListField(child=serializers.CharField(max_length=40), max_length=30, required=False)
    credits = CreditInputSerializer(many=True, required=False)
    translations = TranslationInputSerializer(many=True, required=False)
    featured = serializers.BooleanField(required=False)

    def validate_maturity(self, label: str) -> int:
        return maturity_value(label)

    def validate_translations(self, translations: list[dict]) -> list[dict]:
        languages = [t["language"] for t in translations]
        if len(languages) != len(set(languages)):
            raise serializers.ValidationError("One translation per language.")
        return translations


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ImageUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=FilmImage.Kind.choices)
    image = serializers.ImageField()


class FilmListQuerySerializer(serializers.Serializer):
    genre = serializers.SlugField(required=False)
    language = serializers.RegexField(LANGUAGE_CODE, required=False)
    year_min = serializers.IntegerField(min_value=1888, max_value=2100, required=False)
    year_max = serializers.IntegerField(min_value=1888, max_value=2100, required=False)
    country = serializers.ChoiceField(choices=list(countries), required=False)
    maturity = serializers.ChoiceField(choices=MATURITY_LABELS, required=False)
    availability = serializers.MultipleChoiceField(
        choices=["free", "subscription", "rent", "buy", "ticket"], required=False
    )
    q = serializers.CharField(max_length=200, required=False, allow_blank=True, trim_whitespace=True)
    sort = serializers.ChoiceField(choices=["newest", "title", "popularity"], required=False, default="newest")
    mine = serializers.BooleanField(
        required=False, default=False,
        help_text="true: the requesting creator's own films in every state (drafts too), newest change first; the "
        "other filters do not apply.",
    )
    status = serializers.ChoiceField(
        choices=FilmStatus.choices, required=False,
        help_text="With mine=true: only own films in this state. Staff without mine: every film in this state, the "
        "longest waiting first (status=in_review is the review queue).",
    )

    def validate(self, attrs):
        if attrs.get("year_min") and attrs.get("year_max") and attrs["year_min"] > attrs["year_max"]:
            raise serializers.ValidationError({"year_max": ["Must not be before year_min."]})
        return attrs

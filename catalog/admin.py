from django.contrib import admin, messages

from catalog import services
from catalog.models import Credit, Film, FilmImage, FilmTransition, FilmTranslation, Genre, Person, Tag
from core.exceptions import DomainError


class CreditInline(admin.TabularInline):
    model = Credit
    extra = 0
    raw_id_fields = ("person",)


class TranslationInline(admin.StackedInline):
    model = FilmTranslation
    extra = 0


class ImageInline(admin.TabularInline):
    model = FilmImage
    extra = 0
    readonly_fields = ("kind", "width", "height", "image")
    can_delete = False


class TransitionInline(admin.TabularInline):
    model = FilmTransition
    extra = 0
    readonly_fields = ("from_status", "to_status", "by", "note", "at")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Film)
class FilmAdmin(admin.ModelAdmin):
    list_display = ("title", "creator", "status", "maturity", "release_year", "featured", "popularity", "published_at")
    list_filter = ("status", "featured", "maturity", "genres", "original_language")
    search_fields = ("title", "slug", "creator__email", "credits__person__name")
    readonly_fields = ("status", "published_at", "created_at", "updated_at", "popularity")
    raw_id_fields = ("creator",)
    filter_horizontal = ("genres", "tags")
    inlines = [CreditInline, TranslationInline, ImageInline, TransitionInline]
    actions = ["approve", "send_back", "archive", "unarchive"]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.film_search_reindex(film=form.instance)

    def _apply(self, request, queryset, action, **kwargs):
        done = 0
        for film in queryset:
            try:
                action(film=film, by=request.user, **kwargs)
                done += 1
            except DomainError as error:
                self.message_user(request, f"{film.title}: {error.message}", messages.ERROR)
        if done:
            self.message_user(request, f"{done} film(s) updated.")

    @admin.action(description="Approve and publish")
    def approve(self, request, queryset):
        self._apply(request, queryset, services.film_approve, note="approved in the admin")

    @admin.action(description="Send back to the creator (draft)")
    def send_back(self, request, queryset):
        self._apply(request, queryset, services.film_reject, reason="Sent back from the admin: see the review notes.")

    @admin.action(description="Archive")
    def archive(self, request, queryset):
        self._apply(request, queryset, services.film_archive)

    @admin.action(description="Publish again (from archived)")
    def unarchive(self, request, queryset):
        self._apply(request, queryset, services.film_unarchive)


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ("name", "name_tpi", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ("name",)

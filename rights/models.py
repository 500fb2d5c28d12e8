from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class WindowType(models.TextChoices):
    FESTIVAL = "festival", _("Festival")
    CINEMA = "cinema", _("Cinema")
    COLLECTOR = "collector", _("Collector")
    PVOD = "pvod", _("PVOD")
    PPV = "ppv", _("PPV")
    TVOD = "tvod", _("TVOD")
    SVOD = "svod", _("SVOD")
    AVOD = "avod", _("AVOD")


# What each window type lets a viewer do, in the words of the catalog's "availability" filter.
PRICED_TYPES = {WindowType.COLLECTOR, WindowType.PVOD, WindowType.PPV, WindowType.TVOD}


class Window(models.Model):
    """A period during which a film may be shown one way (type) in a set of territories.

    `territories` keeps the entries as given (codes and group names); `WindowTerritory` holds one row per country
    they expand to, which is what availability queries and the overlap constraint read."""

    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="windows")
    window_type = models.CharField(max_length=10, choices=WindowType.choices)
    territories = models.CharField(max_length=500, help_text="Comma-separated ISO codes and groups, e.g. PACIFIC,US")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: open-ended.")
    rental_hours = models.PositiveSmallIntegerField(default=48, help_text="TVOD: hours to finish once started.")
    start_window_days = models.PositiveSmallIntegerField(default=30, help_text="TVOD: days to start after renting.")
    event_starts_at = models.DateTimeField(null=True, blank=True, help_text="PPV: when the event begins.")
    edition_size = models.PositiveIntegerField(null=True, blank=True, help_text="Collector: copies for sale.")
    festival_ticketed = models.BooleanField(default=False, help_text="Festival: a ticket is needed (else free).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["film", "window_type"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("starts_at")),
                name="rights_window_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(window_type="collector") | models.Q(edition_size__gt=0),
                name="rights_window_collector_has_edition",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_window_type_display()} {self.territories} from {self.starts_at:%Y-%m-%d}"

    @property
    def is_free(self) -> bool:
        return self.window_type == WindowType.AVOD or (
            self.window_type == WindowType.FESTIVAL and not self.festival_ticketed
        )

    @property
    def access_type(self) -> str | None:
        """free, subscription, rent, buy or ticket; None for cinema (not streamed)."""
        return access_type_of(self.window_type, self.festival_ticketed)

    def is_open_at(self, at) -> bool:
        return self.starts_at <= at and (self.ends_at is None or at < self.ends_at)


def access_type_of(window_type: str, festival_ticketed: bool = False) -> str | None:
    return {
        WindowType.AVOD: "free",
        WindowType.FESTIVAL: "ticket" if festival_ticketed else "free",
        WindowType.SVOD: "subscription",
        WindowType.TVOD: "rent",
        WindowType.PVOD: "buy",
        WindowType.COLLECTOR: "buy",
        WindowType.PPV: "ticket",
        WindowType.CINEMA: None,
    }[window_type]


class WindowPrice(models.Model):
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="prices")
    currency = models.CharField(max_length=3)
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.UniqueConstraint("window", "currency", name="rights_price_one_per_currency"),
            models.CheckConstraint(condition=models.Q(amount_minor__gte=0), name="rights_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.amount_minor}"


class WindowTerritory(models.Model):
    """One country of a window, with the window's film, type and period copied so that Postgres can refuse two
    overlapping windows of one type for one film in one country (an exclusion constraint, migration 0002)."""

    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="countries")
    film = models.ForeignKey("catalog.Film", on_delete=models.CASCADE, related_name="+")
    window_type = models.CharField(max_length=10, choices=WindowType.choices)
    country = models.CharField(max_length=2)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["country", "film"]), models.Index(fields=["country", "starts_at"])]
        constraints = [models.UniqueConstraint("window", "country", name="rights_window_country_once")]

    def __str__(self) -> str:
        return f"{self.country} {self.window_type}"

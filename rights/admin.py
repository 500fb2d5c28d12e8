from django.contrib import admin

from core.money import MINOR_UNITS, Money
from rights.models import Window, WindowPrice, WindowTerritory


def _price_display(price: WindowPrice) -> str:
    if price.currency in MINOR_UNITS:
        return Money(price.amount_minor, price.currency).format()
    return f"{price.currency} {price.amount_minor} (minor units)"


class PriceInline(admin.TabularInline):
    model = WindowPrice
    extra = 0
    can_delete = False
    readonly_fields = ("currency", "amount_minor")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    """Read and delete here; create and change windows through the API or a release plan, where every write goes
    through rights.services (territory expansion, price rules, the overlap check)."""

    list_display = ("film", "window_type", "territories", "starts_at", "ends_at", "price_list")
    list_filter = ("window_type", "starts_at")
    search_fields = ("film__title", "territories")
    inlines = [PriceInline]

    @admin.display(description="Prices")
    def price_list(self, window: Window) -> str:
        return ", ".join(_price_display(p) for p in window.prices.all()) or "-"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("film").prefetch_related("prices")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WindowTerritory)
class WindowTerritoryAdmin(admin.ModelAdmin):
    """Read only: these rows follow their window (rights.services keeps them in step)."""

    list_display = ("window", "film", "country", "window_type", "starts_at", "ends_at")
    list_filter = ("window_type", "country")
    search_fields = ("film__title", "=country")
    list_select_related = ("window", "film")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

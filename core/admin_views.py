"""Admin pieces every app's admin.py shares."""

from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """A record staff read but never add, change or delete by hand (payments, the ledger, statements, payouts):
    the services write them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

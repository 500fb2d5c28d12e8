from django.contrib import admin

from royalties.models import Payee


@admin.register(Payee)
class PayeeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "user", "country", "currency", "withholding_exempt"]
    search_fields = ["name", "email"]
    raw_id_fields = ["user"]

"""Billing in the admin: plans and prices (editable data), coupons, subscriptions, payments with the bank-transfer
reconciliation screen and refund actions, entitlements, the ledger and provider events (read-only). Writes that
move money go through billing's services, never a model save here."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from billing import models, selectors, services
from billing.errors import DomainError
from core.admin_views import ReadOnlyAdmin
from core.money import MINOR_UNITS, money_display


class PlanPriceInline(admin.TabularInline):
    model = models.PlanPrice
    extra = 1
    fields = ["interval", "currency", "amount_minor", "stripe_price_id"]


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "streams", "devices", "top_height", "trial_days", "active", "monthly_prices"]
    list_editable = ["active"]
    inlines = [PlanPriceInline]

    @admin.display(description="Monthly")
    def monthly_prices(self, plan):
        return ", ".join(money_display(p.amount_minor, p.currency) for p in plan.prices.filter(interval="month"))


class CouponAmountInline(admin.TabularInline):
    model = models.CouponAmount
    extra = 1


@admin.register(models.Coupon)
class CouponAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "percent_off", "for_plans", "for_purchases", "duration", "expires_at",
                    "max_redemptions", "used", "active"]
    list_filter = ["active", "kind", "duration"]
    search_fields = ["code"]
    filter_horizontal = ["plans"]
    inlines = [CouponAmountInline]

    def save_model(self, request, obj, form, change):
        obj.code = obj.code.strip().upper()
        super().save_model(request, obj, form, change)

    @admin.display(description="Used")
    def used(self, coupon):
        return coupon.redemptions.filter(status__in=["reserved", "confirmed"]).count()


@admin.register(models.Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "plan", "interval", "status", "provider", "current_period_end",
                    "cancel_at_period_end", "grace_until"]
    list_filter = ["status", "provider", "plan", "interval"]
    search_fields = ["user__email", "stripe_subscription_id"]
    list_select_related = ["user", "plan"]


class ReconcileForm(forms.Form):
    reference = forms.CharField(max_length=12, help_text="The reference the payer quoted, e.g. WK7Q2M9PXA.")
    amount_minor = forms.IntegerField(min_value=0, help_text="Amount received, in minor units (toea for PGK).")
    currency = forms.ChoiceField(choices=[(c, c) for c in sorted(MINOR_UNITS)], initial="PGK")
    bank_ref = forms.CharField(max_length=100, help_text="The bank's own reference for the transfer.")


@admin.register(models.Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["reference", "user", "purpose", "provider", "status", "amount", "film", "window_type",
                    "created_at", "paid_at"]
    list_filter = ["status", "provider", "purpose", "currency"]
    search_fields = ["reference", "user__email", "provider_ref", "provider_charge_ref"]
    list_select_related = ["user", "film"]
    actions = ["refund_through_provider", "record_manual_refund"]
    change_list_template = "admin/billing/payment/change_list.html"

    @admin.display(description="Amount")
    def amount(self, payment):
        return money_display(payment.amount_minor, payment.currency)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("billing.change_payment"):
            actions.pop("refund_through_provider", None)
            actions.pop("record_manual_refund", None)
        return actions

    def _refund(self, request, queryset, manual: bool):
        done = 0
        for payment in queryset:
            try:
                services.payment_refund(payment=payment, by=request.user, manual=manual,
                                        reason=f"Refunded in the admin by {request.user.email}")
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{payment.reference}: {exc.message}", messages.ERROR)
        if done:
            self.message_user(request, f"Refunded {done} payment(s); their ledger entries are reversed.")

    @admin.action(description="Refund through the provider (Stripe, BSP, CellMoni)")
    def refund_through_provider(self, request, queryset):
        self._refund(request, queryset, manual=False)

    @admin.action(description="Record a refund paid back by hand (bank, M-PAiSA)")
    def record_manual_refund(self, request, queryset):
        self._refund(request, queryset, manual=True)

    def get_urls(self):
        return [
            path("reconcile/", self.admin_site.admin_view(self.reconcile_view), name="billing_payment_reconcile"),
            *super().get_urls(),
        ]

    def reconcile_view(self, request):
        """Bank and USSD transfers waiting to be matched: staff enter the reference, amount and bank reference."""
        if not request.user.has_perm("billing.change_payment"):
            raise PermissionDenied
        form = ReconcileForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            payment = models.Payment.objects.filter(
                provider=models.Provider.BANK, reference=data["reference"].strip().upper()
            ).first()
            if payment is None:
                form.add_error("reference", "No bank transfer with this reference.")
            else:
                try:
                    services.bank_transfer_reconcile(
                        payment=payment, by=request.user, amount_minor=data["amount_minor"],
                        currency=data["currency"], bank_ref=data["bank_ref"],
                    )
                except DomainError as exc:
                    form.add_error(None, exc.message)
                else:
                    self.message_user(request, f"{payment.reference} is paid: access granted.")
                    return redirect(reverse("admin:billing_payment_reconcile"))
        bank = models.Provider.BANK
        waiting = models.Payment.objects.filter(provider=bank, status__in=["pending", "expired"]).select_related(
            "user", "film", "plan"
        )[:200]
        context = {
            **self.admin_site.each_context(request),
            "title": "Reconcile bank and USSD transfers",
            "form": form,
            "waiting": [(p, money_display(p.amount_minor, p.currency)) for p in waiting],
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/billing/payment/reconcile.html", context)


@admin.register(models.Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "kind", "film", "window", "edition_number", "granted_at", "started_at", "ends_at",
                    "revoked_at", "payment", "granted_by"]
    list_filter = ["kind"]
    search_fields = ["user__email"]
    list_select_related = ["user", "film", "window", "payment", "granted_by"]


class LedgerEntryInline(admin.TabularInline):
    model = models.LedgerEntry
    fields = ["account", "currency", "amount_minor", "film"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["key", "kind", "model", "film", "occurred_at", "memo"]
    list_filter = ["kind", "model"]
    search_fields = ["key", "memo"]
    inlines = [LedgerEntryInline]
    change_list_template = "admin/billing/ledgertransaction/change_list.html"

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("revenue/", self.admin_site.admin_view(self.revenue_view), name="billing_revenue"),
            *super().get_urls(),
        ]

    def revenue_view(self, request):
        """Revenue by month, model and currency, summed from the ledger (billing.selectors.revenue)."""
        if not request.user.has_perm("billing.view_ledgertransaction"):
            raise PermissionDenied
        rows = [
            {**row, **{f"{k}_display": money_display(row[f"{k}_minor"], row["currency"])
                       for k in ("gross", "fees", "creator", "platform")}}
            for row in selectors.revenue(group_by=("period", "model", "currency"))
        ]
        context = {**self.admin_site.each_context(request), "title": "Revenue (from the ledger)", "rows": rows,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/billing/ledgertransaction/revenue.html", context)


@admin.register(models.LedgerAccount)
class LedgerAccountAdmin(ReadOnlyAdmin):
    list_display = ["code", "kind", "balances"]

    @admin.display(description="Balance")
    def balances(self, account):
        rows = account.entries.values("currency").annotate(total=Sum("amount_minor")).order_by("currency")
        return ", ".join(money_display(row["total"], row["currency"]) for row in rows)


@admin.register(models.ProviderEvent)
class ProviderEventAdmin(ReadOnlyAdmin):
    list_display = ["provider", "event_id", "event_type", "outcome", "received_at"]
    list_filter = ["provider", "event_type"]
    search_fields = ["event_id"]


@admin.register(models.WatchTime)
class WatchTimeAdmin(ReadOnlyAdmin):
    list_display = ["film", "period", "seconds"]
    list_filter = ["period"]

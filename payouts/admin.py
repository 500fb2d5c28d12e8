"""Payouts in the admin console: payee accounts (verify, reject, add for a payee without a sign-in), holds (place,
release), thresholds, payouts and rail events (read-only); runs are payouts/admin_runs.py. Every write goes through
payouts.services, never a model save here (thresholds are plain settings data, edited as billing's prices are)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminSplitDateTime, ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from core.admin_views import ReadOnlyAdmin
from core.forms import form_error
from core.money import money_display
from payouts import models, services
from payouts.admin_runs import PayoutRunAdmin  # noqa: F401  (registers the runs' admin)
from payouts.errors import DomainError
from payouts.rails.registry import WALLET_RAILS, rail_info

PAYEE = models.PayeeAccount._meta.get_field("payee")


def _payee_field(site) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=PAYEE.related_model.objects.all(),
                                  widget=ForeignKeyRawIdWidget(PAYEE.remote_field, site))


def _form_page(admin_obj, request, form, title: str, intro: str):
    context = {**admin_obj.admin_site.each_context(request), "title": title, "form": form, "intro": intro,
               "opts": admin_obj.model._meta, "media": admin_obj.media + form.media}
    return TemplateResponse(request, "admin/payouts/form.html", context)


class AccountForm(forms.Form):
    kind = forms.ChoiceField(choices=[("bank", "PNG bank account"), ("wallet", "Mobile wallet")])
    bank = forms.ChoiceField(choices=[("", "-")] + list(models.PayeeAccount.Bank.choices), required=False)
    branch_code = forms.CharField(max_length=12, required=False, help_text="BSB / branch code, 6 digits.")
    account_number = forms.CharField(max_length=24, required=False)
    account_name = forms.CharField(max_length=60, required=False)
    wallet = forms.ChoiceField(choices=[("", "-")] + [(r, rail_info(r).label) for r in WALLET_RAILS], required=False)
    msisdn = forms.CharField(max_length=20, required=False, label="Wallet number", help_text="+675 and 8 digits.")


@admin.register(models.PayeeAccount)
class PayeeAccountAdmin(admin.ModelAdmin):
    list_display = ["payee", "kind", "masked", "rail", "status", "active", "created_at", "verified_by"]
    list_filter = ["status", "kind", "rail", "active"]
    search_fields = ["payee__name", "payee__email", "account_number", "msisdn", "stripe_account_id"]
    list_select_related = ["payee", "verified_by"]
    readonly_fields = [f.name for f in models.PayeeAccount._meta.fields]
    actions = ["verify", "reject"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm("payouts.verify_payeeaccount"):
            actions.pop("verify", None)
            actions.pop("reject", None)
        return actions

    @admin.action(description="Verify the selected bank accounts and wallets")
    def verify(self, request, queryset):
        for account in queryset:
            try:
                services.payee_account_verify(account=account, by=request.user)
                self.message_user(request, f"{account.payee}: {account.masked} verified.")
            except DomainError as exc:
                self.message_user(request, f"{account.payee}: {exc.message}", messages.ERROR)

    @admin.action(description="Reject the selected bank accounts and wallets (with a reason)")
    def reject(self, request, queryset):
        reason = request.POST.get("reason", "").strip()
        if not reason:
            context = {**self.admin_site.each_context(request), "title": "Reject payout accounts",
                       "accounts": queryset, "opts": self.model._meta,
                       "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME}
            return TemplateResponse(request, "admin/payouts/payeeaccount/reject.html", context)
        for account in queryset:
            try:
                services.payee_account_reject(account=account, by=request.user, reason=reason)
                self.message_user(request, f"{account.payee}: {account.masked} rejected.")
            except DomainError as exc:
                self.message_user(request, f"{account.payee}: {exc.message}", messages.ERROR)
        return None

    def add_view(self, request, form_url="", extra_context=None):
        """A bank account or wallet for a payee (a distributor without a sign-in, or on the payee's request)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AccountForm(request.POST or None)
        form.fields = {"payee": _payee_field(self.admin_site), **form.fields}
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                account = services.payee_account_set(
                    payee=data["payee"], by=request.user, kind=data["kind"], bank=data["bank"],
                    branch_code=data["branch_code"], account_number=data["account_number"],
                    account_name=data["account_name"], wallet=data["wallet"], msisdn=data["msisdn"])
            except DomainError as exc:
                form_error(form, exc)
            else:
                self.message_user(request, f"{account.payee}: {account.masked} added, awaiting verification.")
                return redirect(reverse("admin:payouts_payeeaccount_changelist"))
        return _form_page(self, request, form, "Add a payout account",
                          "Replacing a payee's account holds their payouts for "
                          "PAYOUTS_ACCOUNT_CHANGE_HOLD_HOURS and emails them. Stripe accounts are opened by the payee "
                          "from the creator portal.")


class HoldForm(forms.Form):
    reason = forms.CharField(max_length=300)
    until = forms.SplitDateTimeField(required=False, widget=AdminSplitDateTime,
                                     help_text="Empty: until released. UTC.")


@admin.register(models.PayoutHold)
class PayoutHoldAdmin(admin.ModelAdmin):
    list_display = ["payee", "kind", "reason", "until", "in_force", "created_by", "created_at", "released_at"]
    list_filter = ["kind"]
    search_fields = ["payee__name", "reason"]
    list_select_related = ["payee", "created_by"]
    readonly_fields = [f.name for f in models.PayoutHold._meta.fields]
    actions = ["release"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="In force")
    def in_force(self, hold):
        return hold.in_force(timezone.now())

    @admin.action(description="Release the selected holds")
    def release(self, request, queryset):
        for hold in queryset:
            try:
                services.payout_hold_release(hold=hold, by=request.user)
            except DomainError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return
        self.message_user(request, f"Released {queryset.count()} hold(s).")

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = HoldForm(request.POST or None)
        form.fields = {"payee": _payee_field(self.admin_site), **form.fields}
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                hold = services.payout_hold_place(payee=data["payee"], by=request.user, reason=data["reason"],
                                                  until=data["until"])
            except DomainError as exc:
                form_error(form, exc)
            else:
                self.message_user(request, f"{hold.payee}: payouts on hold.")
                return redirect(reverse("admin:payouts_payouthold_changelist"))
        return _form_page(self, request, form, "Hold a payee's payouts",
                          "A held payee is left out of runs; a payout already in an approved run is cancelled "
                          "when its turn comes (its balance stays owed).")


@admin.register(models.PayeeThreshold)
class PayeeThresholdAdmin(admin.ModelAdmin):
    list_display = ["payee", "currency", "amount"]
    raw_id_fields = ["payee"]

    @admin.display(description="Threshold")
    def amount(self, row):
        return money_display(row.amount_minor, row.currency, empty=f"{row.currency} {row.amount_minor}")


class TransitionInline(admin.TabularInline):
    model = models.PayoutTransition
    fields = ["from_state", "to_state", "by", "note", "at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(models.Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["reference", "run_link", "payee", "rail", "amount", "state", "sent_at", "paid_at", "ended_at"]
    list_filter = ["state", "rail", "currency"]
    search_fields = ["reference", "payee__name", "provider_ref", "bank_ref"]
    list_select_related = ["run", "payee"]
    inlines = [TransitionInline]

    @admin.display(description="Amount")
    def amount(self, payout):
        return money_display(payout.amount_minor, payout.currency)

    @admin.display(description="Run")
    def run_link(self, payout):
        return format_html('<a href="{}">{}</a>', reverse("admin:payouts_payoutrun_change", args=[payout.run_id]),
                           payout.run.reference)


@admin.register(models.RailEvent)
class RailEventAdmin(ReadOnlyAdmin):
    list_display = ["rail", "event_id", "event_type", "outcome", "received_at"]
    list_filter = ["rail", "event_type"]
    search_fields = ["event_id"]

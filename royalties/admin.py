"""Royalties in the admin: payees and their rules (editable, checked by the same rules the services apply), the
monthly closes, allocations and statements (read-only: a closed statement never changes), a statement's PDF, and the
chain check (the result of royalties_verify, on a page)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from core.admin_views import ReadOnlyAdmin
from core.exceptions import DomainError
from core.money import money_display
from royalties import selectors, splits
from royalties.models import (
    Advance,
    Allocation,
    MinimumGuarantee,
    Payee,
    RoyaltyRule,
    SplitRuleSet,
    SplitShare,
    Statement,
    StatementRun,
    WithholdingRate,
)
from royalties.recoupment import recouped_to_date


@admin.register(Payee)
class PayeeAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "user", "country", "currency", "withholding_exempt", "balance"]
    list_filter = ["country", "withholding_exempt"]
    search_fields = ["name", "email", "user__email"]
    raw_id_fields = ["user"]

    @admin.display(description="Balance owed (ledger)")
    def balance(self, payee):
        return ", ".join(money_display(amount, currency)
                         for currency, amount in selectors.payee_balances(payee=payee).items()) or "-"


@admin.register(RoyaltyRule)
class RoyaltyRuleAdmin(admin.ModelAdmin):
    list_display = ["film", "holders_bps"]
    raw_id_fields = ["film"]
    search_fields = ["film__title"]


class SplitShareFormSet(forms.BaseInlineFormSet):
    """The rule set's shares, checked with the rule set's own fields by splits.split_check: the sum of 100%, a
    payee once, no overlap with another set of the same film and scope."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        shares = [
            (form.cleaned_data["payee"].pk, form.cleaned_data["share_bps"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("payee")
        ]
        rule_set = self.instance
        try:
            splits.split_check(
                film_id=rule_set.film_id, model=rule_set.model or "", territory=str(rule_set.territory or ""),
                valid_from=rule_set.valid_from, valid_until=rule_set.valid_until, shares=shares,
                exclude_id=rule_set.pk,
            )
        except DomainError as refused:
            problems = [refused.message] + [f"{name}: {'; '.join(texts)}" for name, texts in refused.fields.items()]
            raise forms.ValidationError(f"[{refused.code}] " + " ".join(problems)) from None


class SplitShareInline(admin.TabularInline):
    model = SplitShare
    formset = SplitShareFormSet
    extra = 2
    raw_id_fields = ["payee"]


@admin.register(SplitRuleSet)
class SplitRuleSetAdmin(admin.ModelAdmin):
    list_display = ["film", "model", "territory", "valid_from", "valid_until", "shares_text"]
    list_filter = ["model"]
    search_fields = ["film__title"]
    raw_id_fields = ["film"]
    exclude = ["created_by"]
    inlines = [SplitShareInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description="Shares")
    def shares_text(self, rule_set):
        return ", ".join(f"{share.payee.name} {share.share_bps / 100:g}%"
                         for share in rule_set.shares.select_related("payee"))


class AdvanceForm(forms.ModelForm):
    class Meta:
        model = Advance
        fields = ["payee", "film", "currency", "amount_minor", "recoup_bps", "starts_on", "note"]

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        first_open = selectors.first_open_month()
        if first_open is not None and starts_on.replace(day=1) < first_open:
            raise forms.ValidationError(f"Closed months stay as they were: start from {first_open:%Y-%m} or later.")
        return starts_on


@admin.register(Advance)
class AdvanceAdmin(admin.ModelAdmin):
    """An advance's recoupment is a function of its amount and rate: once it has recouped anything they stay."""

    form = AdvanceForm
    list_display = ["film", "payee", "currency", "amount_minor", "recoup_bps", "starts_on", "recouped"]
    raw_id_fields = ["film", "payee"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and Allocation.objects.filter(advance=obj).exists():
            return AdvanceForm.Meta.fields
        return []

    @admin.display(description="Recouped to date")
    def recouped(self, advance):
        return money_display(recouped_to_date(advance_ids=[advance.pk]).get(advance.pk, 0), advance.currency)


@admin.register(MinimumGuarantee)
class MinimumGuaranteeAdmin(admin.ModelAdmin):
    list_display = ["film", "payee", "currency", "amount_minor", "starts_on", "ends_on"]
    raw_id_fields = ["film", "payee"]


@admin.register(WithholdingRate)
class WithholdingRateAdmin(admin.ModelAdmin):
    list_display = ["country", "rate_bps", "valid_from", "note"]


@admin.register(StatementRun)
class StatementRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "closed_at", "sources", "postings", "statements"]


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdmin):
    list_display = ["period", "payee", "film", "model", "section", "kind", "currency", "amount_minor", "ledger_key"]
    list_filter = ["period", "section", "kind", "currency"]
    search_fields = ["ledger_key", "payee__name"]
    list_select_related = ["payee", "film"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    """Closed statements, read-only; the list links the chain check and each statement its PDF."""

    list_display = ["period", "payee", "currency", "sequence", "closing", "short_hash", "emailed_at", "pdf_link"]
    list_filter = ["period", "currency"]
    search_fields = ["payee__name", "hash"]
    list_select_related = ["payee"]
    change_list_template = "admin/royalties/statement/change_list.html"

    def get_urls(self):
        extra = [
            path("chain-check/", self.admin_site.admin_view(self.chain_check), name="royalties_chain_check"),
            path("<int:statement_id>/pdf/", self.admin_site.admin_view(self.pdf_view), name="royalties_statement_pdf"),
        ]
        return extra + super().get_urls()

    @admin.display(description="Closing")
    def closing(self, statement):
        return money_display(statement.closing_minor, statement.currency)

    @admin.display(description="Hash")
    def short_hash(self, statement):
        return f"{statement.hash[:12]}…"

    @admin.display(description="PDF")
    def pdf_link(self, statement):
        return format_html('<a href="{}">PDF</a>', reverse("admin:royalties_statement_pdf", args=[statement.pk]))

    def chain_check(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = selectors.chains_verify()
        context = {**self.admin_site.each_context(request), "title": "Statement chain check", "report": report,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/royalties/statement/chain_check.html", context)

    def pdf_view(self, request, statement_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        statement = get_object_or_404(Statement.objects.select_related("payee"), pk=statement_id)
        response = HttpResponse(selectors.statement_pdf(statement), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="wans-statement-{statement.payee_id}-{statement.period:%Y-%m}-'
            f'{statement.currency}.pdf"')
        return response

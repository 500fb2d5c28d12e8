"""Payout runs in the admin console: the list with "Prepare a run", and one page per run holding its totals per
currency and rail, its payouts, who was left out and why, the actions its state allows (approve: someone other than
the preparer; execute; cancel; the bank's confirmation file or one payout marked paid or returned), the bank file's
download and the reconciliation report. The permissions are checked by payouts.services (coded errors shown as
messages); the page only hides buttons a person cannot use."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from core.money import money_display
from payouts import models, selectors, services
from payouts.errors import DomainError, NothingToPay

MAX_CONFIRMATION_BYTES = 2 * 1024 * 1024


def _money(amount_minor: int, currency: str) -> str:
    return money_display(amount_minor, currency, empty=f"{currency} {amount_minor}")


@admin.register(models.PayoutRun)
class PayoutRunAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "payouts_count", "totals", "prepared_by", "prepared_at", "approved_by",
                    "executed_at"]
    list_filter = ["status"]
    list_select_related = ["prepared_by", "approved_by"]
    change_list_template = "admin/payouts/payoutrun/change_list.html"

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n=Count("payouts"))

    @admin.display(description="Payouts", ordering="n")
    def payouts_count(self, run):
        return run.n

    @admin.display(description="Totals")
    def totals(self, run):
        return ", ".join(f"{_money(row['amount_minor'], row['currency'])} ({row['rail']})"
                         for row in selectors.run_totals(run=run))

    def get_urls(self):
        return [
            path("prepare/", self.admin_site.admin_view(self.prepare_view), name="payouts_payoutrun_prepare"),
            path("<int:run_id>/bank-file/", self.admin_site.admin_view(self.bank_file_view),
                 name="payouts_payoutrun_bank_file"),
            *super().get_urls(),
        ]

    def prepare_view(self, request):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            run = services.payout_run_prepare(by=request.user)
        except NothingToPay as exc:
            reasons: dict[str, int] = {}
            for row in exc.extra.get("skipped", []):
                reasons[row["why"]] = reasons.get(row["why"], 0) + 1
            detail = "; ".join(f"{why} ({count})" for why, count in sorted(reasons.items()))
            self.message_user(request, f"{exc.message} {detail}".strip(), messages.WARNING)
            return HttpResponseRedirect(reverse("admin:payouts_payoutrun_changelist"))
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:payouts_payoutrun_changelist"))
        self.message_user(request, f"{run.reference} prepared: another member of staff approves it.")
        return HttpResponseRedirect(reverse("admin:payouts_payoutrun_change", args=[run.pk]))

    def bank_file_view(self, request, run_id: int):
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = selectors.run_get(run_id=run_id)
        found = selectors.bank_file_read(run=run) if run else None
        if found is None:
            raise Http404("No bank file for this run.")
        name, content = found
        response = HttpResponse(content, content_type="text/csv; charset=us-ascii")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def _act(self, request, run) -> None:
        action, user = request.POST.get("action", ""), request.user
        if action == "approve":
            services.payout_run_approve(run=run, by=user)
            self.message_user(request, f"{run.reference} approved: it can be executed.")
        elif action == "execute":
            services.payout_run_execute_request(run=run, by=user)
            self.message_user(request, f"{run.reference} is executing: wallets and Stripe are paid as it runs, the "
                                       "bank file is ready to download and upload to the bank.")
        elif action == "cancel":
            services.payout_run_cancel(run=run, by=user, reason=request.POST.get("reason", ""))
            self.message_user(request, f"{run.reference} cancelled; the balances stay owed.")
        elif action == "confirm":
            upload = request.FILES.get("confirmation")
            if upload is None or upload.size > MAX_CONFIRMATION_BYTES:
                self.message_user(request, "Choose the bank's confirmation file (CSV, at most 2 MB).", messages.ERROR)
                return
            counts = services.payout_run_confirmations_apply(run=run, by=user, content=upload.read())
            self.message_user(request, "Confirmation applied: {paid} paid, {returned} returned, {ignored} already "
                                       "answered.".format(**counts))
        elif action in ("paid", "returned"):
            payout = run.payouts.filter(pk=request.POST.get("payout") or 0).first() if (
                request.POST.get("payout", "").isdigit()) else None
            if payout is None:
                self.message_user(request, "No such payout in this run.", messages.ERROR)
                return
            outcome = services.payout_mark(payout=payout, by=user, status=action,
                                           reason=request.POST.get("reason", ""),
                                           bank_ref=request.POST.get("bank_ref", ""))
            self.message_user(request, f"{payout.reference}: {outcome}.")
        else:
            self.message_user(request, "Choose an action.", messages.ERROR)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        run = selectors.run_get(run_id=int(object_id)) if str(object_id).isdigit() else None
        if run is None:
            raise Http404("No such run.")
        if request.method == "POST":
            try:
                self._act(request, run)
            except DomainError as exc:
                problems = " ".join(f"{field}: {'; '.join(found)}" for field, found in exc.fields.items())
                self.message_user(request, f"{exc.message} {problems}".strip(), messages.ERROR)
            return HttpResponseRedirect(request.path)
        return TemplateResponse(request, "admin/payouts/payoutrun/run.html", self._context(request, run))

    def _context(self, request, run) -> dict:
        user = request.user
        status = models.PayoutRun.Status
        payouts = [{"payout": p, "amount": _money(p.amount_minor, p.currency)}
                   for p in selectors.run_payouts(run=run)]
        totals = [{**row, "amount": _money(row["amount_minor"], row["currency"])}
                  for row in selectors.run_totals(run=run)]
        report = [
            {**row, **{f"{key}_amount": _money(row[key]["amount_minor"], row["currency"])
                       for key in ("sent", "confirmed", "returned", "failed", "outstanding", "pending", "cancelled")}}
            for row in selectors.run_reconciliation(run=run)
        ]
        skipped = [{**row, "owed": _money(row["owed_minor"], row["currency"])} for row in run.skipped]
        return {
            **self.admin_site.each_context(request),
            "title": f"Payout run {run.reference}",
            "opts": self.model._meta,
            "run": run,
            "payouts": payouts,
            "totals": totals,
            "report": report,
            "skipped": skipped,
            "can_approve": run.status == status.PREPARED and user.has_perm("payouts.approve_payoutrun")
            and run.prepared_by_id != user.pk,
            "preparer_waits": run.status == status.PREPARED and run.prepared_by_id == user.pk,
            "can_execute": run.status in (status.APPROVED, status.EXECUTING)
            and user.has_perm("payouts.execute_payoutrun"),
            "can_cancel": run.status in (status.PREPARED, status.APPROVED)
            and user.has_perm("payouts.prepare_payoutrun"),
            "can_confirm": user.has_perm("payouts.confirm_payoutrun")
            and any(p["payout"].rail == "bank" and p["payout"].state == "sent" for p in payouts),
            "bank_file_url": reverse("admin:payouts_payoutrun_bank_file", args=[run.pk]) if run.bank_file else "",
        }

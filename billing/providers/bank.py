"""Bank or USSD transfer (BSP *131#, Kina Bank *525#): the payer quotes the order's reference code; staff match
the transfer in the admin's reconciliation screen. No API, so no callbacks and no refunds through it."""

from django.conf import settings

from billing.providers.base import Initiated, PaymentProvider


class BankTransfer(PaymentProvider):
    code = "bank"
    refunds = False

    def initiate(self, *, payment) -> Initiated:
        return Initiated(provider_ref="", next_action="bank_transfer", redirect_url=payment.return_url)

    @staticmethod
    def instructions(payment) -> str:
        return (
            f"Transfer {payment.currency} {payment.amount_minor / 100:.2f} to {settings.BILLING_BANK_ACCOUNT} "
            f"(by internet banking or *131#) quoting the reference {payment.reference}."
        )

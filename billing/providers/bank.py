"""Bank or USSD transfer (BSP *131#, Kina Bank *525#): the payer quotes the order's reference code; staff match
the transfer in the admin's reconciliation screen. No API, so no callbacks and no refunds through it. What the payer
is told to do is billing.selectors.bank_transfer_instructions."""

from billing.providers.base import Initiated, PaymentProvider


class BankTransfer(PaymentProvider):
    code = "bank"
    refunds = False

    def initiate(self, *, payment) -> Initiated:
        return Initiated(provider_ref="", next_action="bank_transfer", redirect_url=payment.return_url)

"""Payout rails behind small interfaces: a bank file (payouts.rails.bank_file, BSP first), wallet disbursement APIs
(payouts.rails.wallets) and Stripe transfers (payouts.rails.stripe_connect). What each rail is: payouts.rails.registry.
Adapters are transport: they never import payouts.services or payouts.tasks."""

from django.conf import settings

from payouts.rails.bank_file import BANK_FILE_FORMATS, BankFileAdapter
from payouts.rails.base import DisbursementRail
from payouts.rails.registry import rail_info
from payouts.rails.stripe_connect import StripeRail
from payouts.rails.wallets import WalletRail


def disbursement_rail(code: str) -> DisbursementRail:
    """The adapter of a rail that pays one payout at a time; KeyError for the bank (a file) or an unknown code."""
    kind = rail_info(code).kind
    if kind == "wallet":
        return WalletRail(code)
    if kind == "stripe":
        return StripeRail()
    raise KeyError(code)


def bank_file_adapter() -> BankFileAdapter:
    """The layout the platform's bank takes (PAYOUTS_BANK_FILE_FORMAT)."""
    return BANK_FILE_FORMATS[settings.PAYOUTS_BANK_FILE_FORMAT]()

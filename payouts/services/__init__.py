"""Payouts' services (writes): the facade for the studio, the console, the admin, the webhooks and the tasks; see
docs/payouts.md. Nothing inside payouts.services imports this package: its modules import each other by full module
path."""

from payouts.services.accounts import (
    msisdn_normalize,
    payee_account_reject,
    payee_account_set,
    payee_account_stripe_link,
    payee_account_stripe_start,
    payee_account_verify,
    payout_hold_place,
    payout_hold_release,
)
from payouts.services.callbacks import (
    payout_callback_handle,
    payout_mark,
    payout_outcome_apply,
    payout_run_confirmations_apply,
    payout_sandbox_resolve,
    stripe_connect_event_apply,
)
from payouts.services.execution import payout_claim, payout_dispatch, payout_run_execute
from payouts.services.runs import (
    payout_run_approve,
    payout_run_cancel,
    payout_run_execute_request,
    payout_run_prepare,
    payout_runs_resume,
)
from payouts.services.state import TRANSITIONS, payout_transition

__all__ = [
    "TRANSITIONS",
    "msisdn_normalize",
    "payee_account_reject",
    "payee_account_set",
    "payee_account_stripe_link",
    "payee_account_stripe_start",
    "payee_account_verify",
    "payout_callback_handle",
    "payout_claim",
    "payout_dispatch",
    "payout_hold_place",
    "payout_hold_release",
    "payout_mark",
    "payout_outcome_apply",
    "payout_run_approve",
    "payout_run_cancel",
    "payout_run_confirmations_apply",
    "payout_run_execute",
    "payout_run_execute_request",
    "payout_run_prepare",
    "payout_runs_resume",
    "payout_sandbox_resolve",
    "payout_transition",
    "stripe_connect_event_apply",
]

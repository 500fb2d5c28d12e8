"""Moved to core.testing.fake_stripe: the fake of Stripe's API is shared by billing's and payouts' tests."""

from core.testing.fake_stripe import FakeStripe, event, form_to_nested, new_id, stripe_signature  # noqa: F401

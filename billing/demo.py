"""Billing's demo data: the plans (seeded by migration, restored if missing) and a demo coupon. The demo viewer
holds nothing: they subscribe or buy through the sandbox like anyone. Safe to run again."""

import importlib

from django.apps import apps
from django.db import transaction

from billing.models import Coupon, Plan


@transaction.atomic
def seed() -> list[str]:
    if not Plan.objects.exists():
        importlib.import_module("billing.migrations.0002_seed_plans").seed(apps, None)
    Coupon.objects.get_or_create(
        code="WANS10",
        defaults={"kind": Coupon.Kind.PERCENT, "percent_off": 10, "for_plans": True, "for_purchases": True,
                  "per_user_limit": 1, "duration": Coupon.Duration.ONCE},
    )
    plans = ", ".join(f"{p.code} ({p.streams} streams, {p.top_height}p)" for p in Plan.objects.filter(active=True))
    return [
        f"plans: {plans}",
        "coupon WANS10: 10% off a first payment or a purchase, once per person",
        "sandbox payments: BSP's one-time code is 123456; CellMoni/M-PAiSA numbers ending 000 decline, 999 never "
        "answer (the payment expires), any other approves",
    ]

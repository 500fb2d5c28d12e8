"""The three plans and their prices, set explicitly per currency (never converted at run time). Staff edit them in
the admin afterwards; this runs once. Annual prices are ten months' worth (two months free)."""

from django.db import migrations

PLANS = [
    # code, name, streams, devices, top height, trial days, monthly prices in minor units
    ("basic", "Basic", 1, 4, 720, 0, {"USD": 900, "PGK": 3500, "AUD": 1399, "NZD": 1499, "GBP": 699}),
    ("standard", "Standard", 2, 6, 1080, 7, {"USD": 1400, "PGK": 5500, "AUD": 2199, "NZD": 2399, "GBP": 1099}),
    ("premium", "Premium", 4, 10, 2160, 7, {"USD": 1900, "PGK": 7500, "AUD": 2999, "NZD": 3199, "GBP": 1499}),
]


def seed(apps, schema_editor):
    Plan = apps.get_model("billing", "Plan")
    PlanPrice = apps.get_model("billing", "PlanPrice")
    for order, (code, name, streams, devices, height, trial, monthly) in enumerate(PLANS):
        plan, _ = Plan.objects.get_or_create(
            code=code,
            defaults={"name": name, "streams": streams, "devices": devices, "top_height": height,
                      "trial_days": trial, "sort_order": order},
        )
        for currency, amount in monthly.items():
            PlanPrice.objects.get_or_create(plan=plan, interval="month", currency=currency,
                                            defaults={"amount_minor": amount})
            PlanPrice.objects.get_or_create(plan=plan, interval="year", currency=currency,
                                            defaults={"amount_minor": amount * 10})


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

"""Films' revenue rules moved to royalties (royalties.RoyaltyRule, asked through billing.shares): royalties'
migration 0002 copied the rows; the table goes."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0009_payment_territory'),
        ('royalties', '0002_rules_allocations_statements'),
    ]

    operations = [
        migrations.DeleteModel(
            name='RoyaltyRule',
        ),
    ]

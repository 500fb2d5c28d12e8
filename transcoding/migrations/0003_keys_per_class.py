"""Keys per quality class (SD, HD, UHD, audio) and per generation, the key id each rendition was encrypted with, and
the per-rendition storage layout. Jobs packaged before are layout 1 (one folder, one key per film): their key rows
become class "film" so that `manage.py drm_repackage` can still open them; playback serves only layout 2."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_my_list"),
        ("transcoding", "0002_film_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="layout",
            field=models.PositiveSmallIntegerField(default=1),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="job",
            name="layout",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="Storage layout: 2 = one folder per rendition and keys per quality class; 1 = the old "
                "one-folder, one-key layout (not served: re-package it with `manage.py drm_repackage`).",
            ),
        ),
        migrations.AlterField(
            model_name="job",
            name="encrypt",
            field=models.BooleanField(
                default=False, help_text="Package encrypted (keys per film and quality class)."
            ),
        ),
        migrations.AddField(
            model_name="rendition",
            name="key_id",
            field=models.CharField(
                blank=True,
                help_text="The key id (hex) its segments were encrypted with; empty when clear.",
                max_length=32,
            ),
        ),
        migrations.AlterField(
            model_name="filmkey",
            name="film",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="catalog.film"
            ),
        ),
        migrations.AddField(
            model_name="filmkey",
            name="key_class",
            field=models.CharField(
                choices=[
                    ("sd", "SD (up to 480p)"),
                    ("hd", "HD (up to 1080p)"),
                    ("uhd", "UHD (above 1080p)"),
                    ("audio", "Audio"),
                    ("film", "Whole film (old one-key scheme)"),
                ],
                default="film",
                max_length=5,
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="filmkey",
            name="generation",
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AddField(
            model_name="filmkey",
            name="media_prefix",
            field=models.CharField(
                blank=True, help_text="The storage prefix packaged with this generation (purged with it).", max_length=300
            ),
        ),
        migrations.AddField(
            model_name="filmkey",
            name="retired_at",
            field=models.DateTimeField(blank=True, db_index=True, null=True),
        ),
        migrations.AlterModelOptions(
            name="filmkey",
            options={"ordering": ["film_id", "-generation", "key_class"]},
        ),
        migrations.AddConstraint(
            model_name="filmkey",
            constraint=models.UniqueConstraint(
                models.F("film"), models.F("key_class"), models.F("generation"), name="transcoding_filmkey_one_per_class"
            ),
        ),
    ]

"""Export every film's content keys (key id + key, one per quality class and generation) for import into a
commercial multi-DRM license service.

    python manage.py drm_keys_export [--format json|csv] [--film ID] > keys.json

The output holds secrets in the clear: write it only to where the license service imports it from."""

import base64
import csv
import json
import sys
import uuid

from django.core.management.base import BaseCommand

from transcoding import selectors as transcoding_selectors


class Command(BaseCommand):
    help = "Export content keys (CENC key id and key per film, quality class and generation) for a license service."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--film", type=int, help="Only this film.")

    def handle(self, *args, **options):
        keys = transcoding_selectors.film_keys_export(film_id=options["film"])
        rows = [
            {
                "film_id": k.film_id,
                "key_class": k.key_class,
                "generation": k.generation,
                "retired": k.retired_at is not None,
                "key_id_hex": k.kid_hex,
                "key_hex": k.key_hex,
                "key_id_uuid": str(uuid.UUID(hex=k.kid_hex)),
                "key_id_b64": base64.b64encode(k.kid).decode(),
                "key_b64": base64.b64encode(k.key).decode(),
                "scheme": "cenc",
            }
            for k in keys
        ]
        if options["format"] == "csv":
            writer = csv.DictWriter(self.stdout, fieldnames=list(rows[0]) if rows else ["film_id"])
            writer.writeheader()
            writer.writerows(rows)
        else:
            self.stdout.write(json.dumps({"keys": rows}, indent=2))
        if not rows:
            sys.stderr.write("no film keys yet\n")

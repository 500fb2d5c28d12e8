"""Production refuses to start without a key master of its own (wans.wsgi and the Celery worker run the security
checks before serving): otherwise the first encrypted encode, or the first key a player asks for, fails instead."""

from django.conf import settings
from django.core.checks import Error, Tags, register

DEVELOPMENT_MASTER = "wans-development-key-master-not-for-production"  # base.py's published default


@register(Tags.security)
def key_master_check(app_configs=None, **kwargs) -> list[Error]:
    if not settings.WANS_PRODUCTION:
        return []
    master = settings.TRANSCODING_KEY_MASTER
    if master and master != DEVELOPMENT_MASTER:
        return []
    return [Error(
        f"TRANSCODING_KEY_MASTER is {'empty' if not master else 'the published development value'}: film keys "
        "cannot be sealed (every encrypted encode and key delivery would fail) or would be sealed with a known key.",
        hint="Set TRANSCODING_KEY_MASTER to a long random secret kept outside the database (and the previous ones in "
             "TRANSCODING_KEY_MASTER_OLD when rotating).",
        id="transcoding.E001",
    )]

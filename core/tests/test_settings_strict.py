"""Strict settings (issue 11, item 7): an enumerated setting refuses an unknown value at start-up, an import path
from the environment is one of the known ones, reading the settings makes no folder, and production refuses to start
without a key master of its own."""

import ast
import runpy
from pathlib import Path

import pytest
from celery.app.routes import MapRoute
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from core.checks import refuse_to_start_on_errors
from core.env import env_choice, env_list, env_pairs
from core.folders import local_folders, local_folders_make

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "wans" / "settings" / "base.py"


def _read_base(monkeypatch, tmp_path, **env) -> dict:
    """base.py executed afresh with this environment (the running settings are not touched)."""
    monkeypatch.setenv("WANS_VAR_DIR", str(tmp_path / "var"))
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE))


def test_env_choice_takes_a_known_value_and_refuses_any_other(monkeypatch):
    monkeypatch.delenv("X_STORE", raising=False)
    assert env_choice("X_STORE", "auto", ["auto", "redis", "db"]) == "auto"
    monkeypatch.setenv("X_STORE", "redis")
    assert env_choice("X_STORE", "auto", ["auto", "redis", "db"]) == "redis"
    monkeypatch.setenv("X_STORE", "Redis")
    with pytest.raises(ImproperlyConfigured, match=r"X_STORE='Redis' is not one of: 'auto', 'redis', 'db'"):
        env_choice("X_STORE", "auto", ["auto", "redis", "db"])
    with pytest.raises(ImproperlyConfigured, match="the default 'x' is not one of its choices"):
        env_choice("X_OTHER", "x", ["a"])


def test_env_pairs_reads_height_and_bitrate_pairs_and_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("X_LADDER", "360:1000, 240:500,")
    assert env_pairs("X_LADDER", []) == [(360, 1000), (240, 500)]
    monkeypatch.delenv("X_LADDER")
    assert env_pairs("X_LADDER", [(1, 2)]) == [(1, 2)]
    for bad in ("240-500", "240:", "240:five", "240"):
        monkeypatch.setenv("X_LADDER", bad)
        with pytest.raises(ImproperlyConfigured, match="is not a pair of whole numbers written a:b"):
            env_pairs("X_LADDER", [])


def test_env_list_with_choices_refuses_an_unknown_item(monkeypatch):
    monkeypatch.setenv("X_RAILS", "stripe,paypal,bank,venmo")
    with pytest.raises(ImproperlyConfigured, match=r"X_RAILS: 'paypal', 'venmo' not among: stripe, bank"):
        env_list("X_RAILS", [], choices=["stripe", "bank"])
    monkeypatch.setenv("X_RAILS", "bank")
    assert env_list("X_RAILS", [], choices=["stripe", "bank"]) == ["bank"]


@pytest.mark.parametrize(
    "name,value",
    [
        ("PLAYBACK_SESSION_STORE", "Redis"),
        ("PLAYBACK_SENDFILE", "nginx"),
        ("TRANSCODING_PRESET", "fastest"),
        ("ACCOUNT_EMAIL_VERIFICATION", "yes"),
        ("LOG_LEVEL", "verbose"),
        ("RIGHTS_ENTITLEMENT_PROVIDER", "os.system"),
        ("CATALOG_MEDIA_PROVIDER", "catalog.tests.AnythingGoes"),
        ("BILLING_PROVIDERS_ENABLED", "stripe,paypal"),
        ("TRANSCODING_LADDER", "240-500"),
    ],
)
def test_the_settings_refuse_an_unknown_value_at_start_up(monkeypatch, tmp_path, name, value):
    with pytest.raises(ImproperlyConfigured, match=name):
        _read_base(monkeypatch, tmp_path, **{name: value})


def test_the_settings_take_every_known_value(monkeypatch, tmp_path):
    read = _read_base(
        monkeypatch, tmp_path, PLAYBACK_SESSION_STORE="redis", PLAYBACK_SENDFILE="x-accel",
        RIGHTS_ENTITLEMENT_PROVIDER="rights.entitlements.NoPurchasesYet", TRANSCODING_LADDER="360:1000,240:500",
    )
    assert (read["PLAYBACK_SESSION_STORE"], read["PLAYBACK_SENDFILE"]) == ("redis", "x-accel")
    assert read["RIGHTS_ENTITLEMENT_PROVIDER"] == "rights.entitlements.NoPurchasesYet"
    assert read["CATALOG_MEDIA_PROVIDER"] == "transcoding.media.TranscodedMedia"
    assert read["TRANSCODING_LADDER"] == [(240, 500), (360, 1000)]


def test_reading_the_settings_makes_no_folder(monkeypatch, tmp_path):
    read = _read_base(monkeypatch, tmp_path)  # SQLite and the filesystem broker: both want folders

    assert read["CELERY_BROKER_URL"] == "filesystem://"
    assert not (tmp_path / "var").exists()


def test_the_local_folders_are_made_when_the_apps_start(settings, tmp_path):
    broker = tmp_path / "var" / "celery-broker"
    settings.VAR_DIR = tmp_path / "var"
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(broker / "queue"), "data_folder_out": str(broker / "queue"),
        "processed_folder": str(broker / "processed"), "control_folder": str(broker / "control"),
    }

    database = settings.DATABASES["default"]
    sqlite = [Path(database["NAME"]).parent] if database["ENGINE"].endswith("sqlite3") else []  # the run's own

    local_folders_make()

    assert local_folders() == [tmp_path / "var", *sqlite, broker / "queue", broker / "processed", broker / "control"]
    assert all(folder.is_dir() for folder in local_folders())
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert local_folders() == [tmp_path / "var", *sqlite]


def test_the_beat_schedule_routes_and_api_settings_are_each_one_literal():
    """No block of base.py adds to another's dict (`CELERY_BEAT_SCHEDULE["x"] = ...`, `.update(...)`)."""
    tree = ast.parse(BASE.read_text())
    names = {"CELERY_BEAT_SCHEDULE", "CELERY_TASK_ROUTES", "SPECTACULAR_SETTINGS"}
    mutations = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else []
        for target in targets:
            if isinstance(target, ast.Subscript) and getattr(target.value, "id", None) in names:
                mutations.append(target.value.id)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            inner = node.func.value
            while isinstance(inner, ast.Call | ast.Attribute):
                inner = inner.func if isinstance(inner, ast.Call) else inner.value
            if getattr(inner, "id", None) in names:
                mutations.append(inner.id)
    assert mutations == []


def test_the_stalled_job_sweep_is_routed_to_the_default_queue(settings):
    routes = MapRoute(settings.CELERY_TASK_ROUTES)
    assert routes("transcoding.requeue_stalled", (), {}, {}) == {"queue": "default"}
    assert routes("transcoding.job_run", (), {}, {}) == {"queue": "transcoding"}
    assert routes("billing.payments_expire", (), {}, {}) == {"queue": "billing"}
    assert set(settings.CELERY_BEAT_SCHEDULE) == {
        "accounts.tokens_flush_expired", "billing.payments_expire", "billing.subscriptions_sweep",
        "billing.svod_pools_split", "transcoding.requeue_stalled", "transcoding.keys_rotate",
        "playback.sessions_expire", "playback.logs_rollup", "notifications.sweep", "billing.reminders_send",
        "rights.my_list_openings_notify", "console.staff_digest", "payouts.runs_resume",
        "royalties.statements_close",
    }


def _key_master_errors() -> list[str]:
    found = checks.run_checks(tags=[checks.Tags.security])
    return [message.id for message in found if message.id.startswith("transcoding.")]


@pytest.mark.parametrize("master", ["", "wans-development-key-master-not-for-production"])
def test_production_refuses_to_start_without_a_key_master_of_its_own(settings, master):
    settings.WANS_PRODUCTION = True
    settings.TRANSCODING_KEY_MASTER = master

    assert _key_master_errors() == ["transcoding.E001"]
    with pytest.raises(ImproperlyConfigured, match="transcoding.E001"):
        refuse_to_start_on_errors()


def test_a_worker_refuses_to_start_on_the_same_errors(settings):
    from wans.celery import _refuse_to_start_on_errors

    settings.WANS_PRODUCTION = True
    settings.TRANSCODING_KEY_MASTER = ""
    with pytest.raises(ImproperlyConfigured, match="transcoding.E001"):
        _refuse_to_start_on_errors()


def test_a_key_master_of_its_own_passes_and_outside_production_nothing_is_said(settings):
    settings.WANS_PRODUCTION = True
    settings.TRANSCODING_KEY_MASTER = "a-long-random-secret-" + "x" * 30
    assert _key_master_errors() == []
    settings.WANS_PRODUCTION = False
    settings.TRANSCODING_KEY_MASTER = ""
    assert _key_master_errors() == []

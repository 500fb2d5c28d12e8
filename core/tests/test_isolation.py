"""The tests run in their own folders: nothing of the checkout's var/ or media/ (where `bin/run` keeps the demo)."""

import contextlib
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage, storages

import conftest


def test_every_folder_setting_is_under_the_runs_temporary_root_or_the_tests_own(tmp_path):
    assert conftest._settings_outside(settings.TEST_ROOT, tmp_path) == []
    assert conftest._settings_outside(settings.TEST_ROOT) == [
        f"MEDIA_ROOT = {tmp_path / 'media'}",
        f"TRANSCODING_UPLOAD_ROOT = {tmp_path / 'uploads'}",
        f"TRANSCODING_WORK_ROOT = {tmp_path / 'work'}",
        f'STORAGES["protected"] = {tmp_path / "protected"}',
    ]
    assert not str(settings.TEST_ROOT).startswith(str(conftest.CHECKOUT))


def test_each_test_has_its_own_protected_media_upload_and_work_folders(tmp_path):
    assert Path(storages["protected"].location) == tmp_path / "protected"
    assert Path(default_storage.location) == tmp_path / "media"
    assert Path(settings.TRANSCODING_UPLOAD_ROOT) == tmp_path / "uploads"
    assert Path(settings.TRANSCODING_WORK_ROOT) == tmp_path / "work"


def test_the_guard_records_a_file_operation_on_the_checkouts_var_and_media(request):
    before = len(conftest._touched)
    target = conftest.CHECKOUT / "var" / "protected" / "films" / "1" / "master.m3u8"
    with contextlib.suppress(OSError), open(target, "rb"):  # a read of the demo's media, whether or not it exists
        pass
    conftest._audit("subprocess.Popen", ("ffmpeg", ["ffmpeg", "-i", "x.mp4", str(conftest.CHECKOUT / "media" / "o")]))
    recorded = conftest._touched[before:]
    del conftest._touched[before:]  # this test made them on purpose: do not fail it
    assert recorded == [
        (request.node.nodeid, "open", str(target)),
        (request.node.nodeid, "subprocess.Popen", str(conftest.CHECKOUT / "media" / "o")),
    ]

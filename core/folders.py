"""The local folders the settings name (the SQLite file's folder, the filesystem broker's), made when the apps start
rather than when the settings are read: importing the settings touches no disk."""

from pathlib import Path

from django.conf import settings

_BROKER_FOLDERS = ("data_folder_in", "data_folder_out", "processed_folder", "control_folder")


def local_folders() -> list[Path]:
    """The folders that must exist before the database or the broker is first used; nothing for Postgres or Redis."""
    folders = [Path(settings.VAR_DIR)]
    database = settings.DATABASES["default"]
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3") and name != ":memory:" and "mode=memory" not in name:
        folders.append(Path(database["NAME"]).parent)
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}
        folders += [Path(options[key]) for key in _BROKER_FOLDERS if options.get(key)]
    return list(dict.fromkeys(folders))


def local_folders_make() -> None:
    for folder in local_folders():
        folder.mkdir(parents=True, exist_ok=True)

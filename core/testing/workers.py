"""Real Celery workers for fault tests: started as subprocesses on a broker of their own (a Redis database or a
RabbitMQ vhost that nothing else uses), killed with SIGKILL, and timed while the platform recovers.

The worker shares the test database (Postgres only: an in-memory SQLite test database cannot be shared), so these
tests need `transactional_db`. Brokers: WANS_FAULTS_REDIS_URL (default: database 13 of REDIS_URL's server) and
WANS_FAULTS_AMQP_URL (default: vhost `wans_faults` on 127.0.0.1:5672, created with rabbitmqctl). Missing brokers
skip the tests, except in CI (CI=true), where they fail.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

REPO = Path(__file__).resolve().parent.parent.parent


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def _require_shared_database() -> dict:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a worker process shares the test database only on Postgres (set DATABASE_URL)")
    return db


def redis_broker() -> str:
    """An empty Redis database for the faults' broker (flushed here: it belongs to these tests alone)."""
    import redis

    url = os.environ.get("WANS_FAULTS_REDIS_URL", "")
    if not url:
        base = os.environ.get("REDIS_URL", "")
        if not base:
            _unavailable("no Redis: set REDIS_URL (or WANS_FAULTS_REDIS_URL) for the worker-death tests")
        url = base.rsplit("/", 1)[0] + "/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as error:
        _unavailable(f"Redis at {url} does not answer: {error}")
    return url


def amqp_broker() -> str:
    """A RabbitMQ vhost of its own, made afresh (no message of an earlier run survives)."""
    url = os.environ.get("WANS_FAULTS_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/wans_faults")
    vhost = urlsplit(url).path.lstrip("/") or "/"
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    if not Path(ctl).exists():
        _unavailable("rabbitmqctl is not installed: RabbitMQ worker-death tests need a local RabbitMQ")
    subprocess.run([ctl, "-q", "delete_vhost", vhost], capture_output=True, timeout=60, check=False)  # noqa: S603
    for args in (["add_vhost", vhost], ["set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"]):
        done = subprocess.run([ctl, "-q", *args], capture_output=True, text=True, timeout=60, check=False)  # noqa: S603
        if done.returncode != 0:
            _unavailable(f"rabbitmqctl {' '.join(args)} failed: {done.stderr.strip()[:300]}")
    return url


def transport_options(url: str, *, visibility_timeout: int) -> dict:
    return {"visibility_timeout": visibility_timeout} if url.startswith("redis") else {}


class Worker:
    """`celery -A wans worker` on `queues`, one process (solo pool: the process that runs the task is the one
    killed), logging to `log`."""

    def __init__(self, *, broker: str, queues: str, tmp: Path, visibility_timeout: int, env: dict | None = None):
        db = _require_shared_database()
        self.name = f"faults-{uuid.uuid4().hex[:8]}"
        self.log = tmp / f"{self.name}.log"
        database_url = (
            f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{db.get('HOST') or '127.0.0.1'}:"
            f"{db.get('PORT') or 5432}/{db['NAME']}"
        )
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wans.settings.test",
            "WANS_TEST_CHILD": "1",  # keeps the folders and broker given here (wans/settings/test.py)
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.cmd = [
            sys.executable, "-m", "celery", "-A", "wans", "worker", "-Q", queues, "-P", "solo", "-n",
            f"{self.name}@%h", "--without-mingle", "--without-gossip", "-l", "INFO",
        ]
        self.process: subprocess.Popen | None = None

    def start(self, *, timeout: float = 90) -> "Worker":
        handle = open(self.log, "ab")  # noqa: SIM115  (the child writes to it; closed with the child)
        self.process = subprocess.Popen(  # noqa: S603
            self.cmd, cwd=REPO, env=self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        handle.close()
        self.wait_for_log(" ready.", timeout=timeout)
        return self

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for_received(self, task: str, *, timeout: float) -> None:
        """Until the worker has taken a message of `task` (it logs `Task <name>[<id>] received`)."""
        wait_until(lambda: self.received(task) or (self.process and self.process.poll() is not None), timeout,
                   f"the worker to receive {task}")
        if not self.received(task):
            raise AssertionError(f"the worker stopped before receiving {task}:\n{self.text()[-3000:]}")

    def received(self, task: str) -> int:
        return sum(1 for line in self.text().splitlines() if f"Task {task}[" in line and line.endswith("received"))

    def wait_for_log(self, needle: str, *, timeout: float) -> None:
        wait_until(lambda: needle in self.text() or (self.process and self.process.poll() is not None), timeout,
                   f"worker log to show {needle!r}")
        if needle not in self.text():
            raise AssertionError(f"the worker stopped before {needle!r}:\n{self.text()[-3000:]}")

    def kill(self) -> float:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup. Returns the monotonic time of the kill."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        return time.monotonic()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> "Worker":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def wait_until(condition: Callable[[], object], timeout: float, what: str, poll: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@contextlib.contextmanager
def publishing_to(broker: str, *, visibility_timeout: int = 3600) -> Iterator[None]:
    """The test process's Celery app sends real messages to `broker` (the test settings run tasks eagerly)."""
    from wans.celery import app

    # Django-namespaced keys: the app's configuration came from settings.CELERY_*, which win over plain names.
    keys = ("CELERY_TASK_ALWAYS_EAGER", "CELERY_BROKER_URL", "CELERY_BROKER_TRANSPORT_OPTIONS")
    saved = {key: app.conf[key] for key in keys}

    def reset_pools() -> None:
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
        pools.reset()  # kombu keeps producer pools per connection, process-wide
        app._pool = None
        app.amqp._producer_pool = None

    reset_pools()
    app.conf.update(
        CELERY_TASK_ALWAYS_EAGER=False,
        CELERY_BROKER_URL=broker,
        CELERY_BROKER_TRANSPORT_OPTIONS=transport_options(broker, visibility_timeout=visibility_timeout),
    )
    try:
        yield
    finally:
        reset_pools()
        app.conf.update(saved)


def children_of(pid: int) -> list[int]:
    """Direct children of `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


"""Crash safety: SIGKILL the server and the worker at random points, then check the data.

    uv run python bench/crash.py                      # 30 rounds, seed 1
    uv run python bench/crash.py --rounds 60 --seed 7 --json /tmp/crash.json

On a file SQLite database in a temporary folder (the demo factory, plus a pool of reviewed orders
prepared once with ``gendan shell -c``), each round starts the web server (waitress, as `gendan demo`
does) and `gendan worker` if they are not running, drives Excel imports (through the import page, run
by the worker), releases of the pool's orders, the departments' acknowledgements, order reviews and
stock movements (through the API) from several threads, and after a random moment SIGKILLs the
server, the worker or both. After the last round the worker is started once more to recover what was
interrupted, and then:

* ``integrity``      - ``PRAGMA integrity_check`` is ``ok``;
* ``sheets``         - every imported sheet is all or nothing (its rows are all there or none);
* ``imports_done``   - a sheet whose job says "imported" is there; no import job is left queued or
                       running (an interrupted one is retried or shown as failed);
* ``balances``       - every stock level equals the sum of its movements;
* ``movements``      - no negative level; each movement's balance-after is the running sum of its
                       item's movements; each is audited; none the server answered 201 is lost;
* ``releases``       - each pool order is released with everything a release writes (version, order
                       copy and its file, acknowledgement requests, notifications, audit entry) or
                       has none of it; none the server answered 200 is still reviewed;
* ``acks``           - each given acknowledgement is audited; none answered 200 is lost;
* ``tasks``          - no background task is left "running", and every unfinished notification
                       delivery has a next attempt (the worker's sweeper retries it then).

The figures (rounds, kills, requests, checks passed) are printed and written with ``--json FILE``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SHEET_ROWS = 200
PASSWORD = "demo"
# Two release threads get through 5 to 30 orders a round, depending on the machine and the kills:
# enough for releases in most rounds (`--pool` for more).
POOL_PER_ROUND = 12

# Run once on the demo database (``gendan shell -c``) before the kill rounds: orders that the
# driving threads can release. They are built the way the demo builds its reviewed orders (clean
# lines, every finding resolved, the capacity check left out), owned by the user that releases them.
PREPARE_POOL = """
import datetime as dt, random
from gendan.accounts.models import User
from gendan.masterdata.models import Customer
from gendan.orders import demo, services
user = User.objects.get(username="merchandiser")
customers = list(Customer.objects.filter(is_archived=False, merchandiser=user).exclude(credit_status="hold"))
customers = customers or list(Customer.objects.filter(is_archived=False).exclude(credit_status="hold"))
products = demo._sellable_products()
rng = random.Random(%(seed)d)
today = dt.date.today()
for n in range(%(count)d):
    order = services.order_create(
        actor=user,
        data={"customer": customers[n %% len(customers)], "customer_po": "CRASH-%%04d" %% n,
              "merchandiser": user, "received_on": today},
        lines=demo._lines(rng, products, today, clean=True),
    )
    services.order_submit(actor=user, order_id=order.pk, check_capacity=False)
    demo._resolve_all(order, user)
    services.order_mark_reviewed(actor=user, order_id=order.pk, require_capacity_check=False)
    print(order.pk)  # one id a line: the shell's own chatter is never a bare number
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(data_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        GENDAN_DATA_DIR=str(data_dir),
        GENDAN_HTTPS="0",
        DEBUG="0",
        SECRET_KEY="crash-bench-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        GENDAN_TASK_BACKEND="django_tasks_db.DatabaseBackend",
        # A killed worker is noticed within seconds, not the production default of two minutes.
        GENDAN_WORKER_HEARTBEAT_SECONDS="0.5",
        GENDAN_WORKER_STALE_SECONDS="2",
        GENDAN_BACKUP_KEEP="0",
        LOG_LEVEL="CRITICAL",
        PYTHONPATH=str(ROOT / "src"),
    )
    env.pop("DATABASE_URL", None)
    return env


def material_sheet(prefix: str, rows: int) -> bytes:
    from openpyxl import Workbook

    headers = [
        "Material code",
        "Material name",
        "English name",
        "Specification",
        "Kind",
        "Unit",
        "Purchase lead time (days)",
        "Minimum order quantity",
        "Order multiple",
        "Safety stock",
    ]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(headers)
    for i in range(rows):
        ws.append([f"{prefix}{i:04d}", f"物料 {prefix}{i}", f"Material {i}", "", "raw", "kg", 5, 10, 1, 1.5])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


class Stack:
    """The server and the worker as child processes (each in its own process group)."""

    def __init__(self, env: dict, port: int):
        self.env, self.port = env, port
        self.server: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None

    def _spawn(self, args: list[str]) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, *args],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    def start(self) -> None:
        if self.server is None or self.server.poll() is not None:
            self.server = self._spawn(
                [
                    "-m",
                    "waitress",
                    "--host=127.0.0.1",
                    f"--port={self.port}",
                    "--threads=6",
                    "gendan.wsgi:application",
                ]
            )
        if self.worker is None or self.worker.poll() is not None:
            self.worker = self._spawn(["-m", "gendan.cli", "worker", "--interval", "0.2"])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/healthz", timeout=2).status_code in (200, 503):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.1)
        raise SystemExit("the server did not start")

    def kill(self, which: str) -> int:
        killed = 0
        for name in ("server", "worker"):
            proc = getattr(self, name)
            if which in (name, "both") and proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                killed += 1
        return killed

    def stop(self) -> None:
        self.kill("both")


class Driver:
    """Traffic of one round: imports, order steps and stock movements, until told to stop."""

    def __init__(self, base: str, rng: random.Random, sheets: dict, pool: list[int], ackers: dict):
        self.base, self.rng, self.sheets = base, rng, sheets
        self.counts = {"requests": 0, "errors_5xx": 0, "connection_lost": 0}
        self.lock = threading.Lock()
        # Orders to release (the prepared pool); one whose release was cut off by a kill goes back,
        # to be tried again (it is then either released already, 409, or releases now).
        self.pool = list(pool)
        self.ackers = ackers  # department id -> the demo user who acknowledges for it
        self.released: list[int] = []  # released orders whose acknowledgements are still to give
        self.confirmed = {"releases": set(), "acks": set(), "movements": set()}  # answered 2xx
        self.tokens: dict[str, str] = {}
        self.session: requests.Session | None = None

    def count(self, key: str) -> None:
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + 1

    def token(self, user: str) -> str:
        if user not in self.tokens:
            r = requests.post(
                f"{self.base}/api/token/", data={"username": user, "password": PASSWORD}, timeout=10
            )
            r.raise_for_status()
            self.tokens[user] = r.json()["token"]
        return self.tokens[user]

    def api(self, user: str, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Token {self.token(user)}"}
        response = requests.request(method, f"{self.base}{path}", headers=headers, timeout=30, **kwargs)
        self.count("requests")
        if response.status_code >= 500:
            self.count("errors_5xx")
        return response

    def stock_moves(self, stop: threading.Event, catalogue: dict) -> None:
        while not stop.is_set():
            kind, sign = self.rng.choice(
                [("receipt", 1), ("issue", -1), ("adjustment", 1), ("adjustment", -1)]
            )
            body = {
                "warehouse": self.rng.choice(catalogue["warehouses"]),
                "material": self.rng.choice(catalogue["materials"]),
                "kind": kind,
                "quantity": str(sign * self.rng.randint(1, 5)),
                "reference": "crash-bench",
            }
            response = self.api("warehouse", "post", "/api/stock-movements/", json=body)
            if response.status_code < 300:
                self.count("movements_succeeded")
                self.remember("movements", response.json().get("id"))
            elif response.status_code < 500:
                self.count("movements_refused")  # not enough on hand: nothing may change

    def order_steps(self, stop: threading.Event) -> None:
        while not stop.is_set():
            orders = self.api("merchandiser", "get", "/api/orders/", params={"page_size": 50}).json()
            for order in orders.get("results", []):
                if stop.is_set():
                    return
                # Releases have their own thread (the prepared pool), counted there.
                step = {"in_review": "mark-reviewed", "draft": "run-review"}.get(order.get("status"))
                if step:
                    response = self.api("merchandiser", "post", f"/api/orders/{order['id']}/{step}/")
                    if response.status_code < 300:
                        self.count(f"order_{step}")

    def remember(self, what: str, pk) -> None:
        with self.lock:
            self.confirmed[what].add(pk)

    def take(self, items: list[int]) -> int | None:
        with self.lock:
            return items.pop(0) if items else None

    def put_back(self, items: list[int], pk: int) -> None:
        with self.lock:
            items.append(pk)

    def releases(self, stop: threading.Event) -> None:
        while not stop.is_set():
            pk = self.take(self.pool)
            if pk is None:
                stop.wait(0.2)
                continue
            self.count("releases_attempted")
            try:
                response = self.api("merchandiser", "post", f"/api/orders/{pk}/release/")
            except requests.RequestException:
                self.count("releases_cut_off")
                self.put_back(self.pool, pk)
                raise
            if response.status_code < 300:
                self.count("releases_succeeded")
                self.remember("releases", pk)
                self.put_back(self.released, pk)
            elif response.status_code < 500:
                # Already released by a request cut off by the kill (its answer never arrived).
                self.count("releases_refused")
                if response.status_code == 409:
                    self.put_back(self.released, pk)

    def acknowledgements(self, stop: threading.Event) -> None:
        while not stop.is_set():
            pk = self.take(self.released)
            if pk is None:
                stop.wait(0.2)
                continue
            try:
                acks = self.api("merchandiser", "get", "/api/acknowledgements/", params={"order": pk})
                for ack in acks.json().get("results", []):
                    user = self.ackers.get(ack["department"])
                    if ack.get("acknowledged_at") or user is None or self.rng.random() < 0.3:
                        continue  # some stay pending, as on a real shop floor
                    self.count("acks_attempted")
                    response = self.api(user, "post", f"/api/acknowledgements/{ack['id']}/acknowledge/")
                    if response.status_code < 300:
                        self.count("acks_succeeded")
                        self.remember("acks", ack["id"])
            except requests.RequestException:
                self.put_back(self.released, pk)
                raise

    def login(self) -> requests.Session:
        # The session lives in the database: one log-in serves every round, however often the
        # server is killed (password hashing is slow on purpose).
        if self.session is None:
            session = requests.Session()
            page = session.get(f"{self.base}/accounts/login/", timeout=30)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            session.post(
                f"{self.base}/accounts/login/",
                data={
                    "username": "planner",
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": token.group(1) if token else "",
                },
                headers={"Referer": f"{self.base}/accounts/login/"},
                timeout=30,
            )
            self.session = session
        return self.session

    def imports(self, stop: threading.Event, round_no: int) -> None:
        session = self.login()
        n = 0
        while not stop.is_set():
            prefix = f"CR{round_no:03d}S{n:02d}-"
            n += 1
            form = session.get(f"{self.base}/masterdata/material/import/", timeout=10)
            csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            self.sheets[prefix] = SHEET_ROWS
            response = session.post(
                f"{self.base}/masterdata/material/import/",
                data={"csrfmiddlewaretoken": csrf.group(1) if csrf else ""},
                files={"file": (f"{prefix}.xlsx", material_sheet(prefix, SHEET_ROWS))},
                headers={"Referer": f"{self.base}/masterdata/material/import/"},
                timeout=30,
                allow_redirects=False,
            )
            self.count("requests")
            if response.status_code == 302:
                self.count("imports_queued")
            elif response.status_code >= 500:
                self.count("errors_5xx")
            stop.wait(0.2)

    def run(self, seconds: float, round_no: int, catalogue: dict) -> None:
        stop = threading.Event()

        def guard(target, *args):
            def wrapped():
                try:
                    target(stop, *args)
                except (requests.RequestException, ValueError) as exc:
                    self.count("connection_lost")  # the server was killed under it
                    if os.environ.get("CRASH_DEBUG"):
                        print(f"{target.__name__}: {exc!r}", flush=True)

            return threading.Thread(target=wrapped, daemon=True)

        threads = [
            guard(self.stock_moves, catalogue),
            guard(self.stock_moves, catalogue),
            guard(self.order_steps),
            guard(self.releases),
            guard(self.releases),
            guard(self.acknowledgements),
            guard(self.imports, round_no),
        ]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()


def catalogue_of(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        warehouses = [r[0] for r in conn.execute("SELECT id FROM inventory_warehouse WHERE NOT is_archived")]
        materials = [
            r[0] for r in conn.execute("SELECT id FROM masterdata_material WHERE NOT is_archived LIMIT 40")
        ]
    return {"warehouses": warehouses, "materials": materials}


def prepare_pool(env: dict, seed: int, count: int) -> list[int]:
    """Reviewed orders for the release threads, made once before the first kill."""
    done = subprocess.run(
        [sys.executable, "-m", "gendan.cli", "shell", "-c", PREPARE_POOL % {"seed": seed, "count": count}],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return [int(line) for line in done.stdout.splitlines() if line.strip().isdigit()]


def ackers_of(db: Path) -> dict[int, str]:
    """Which demo user acknowledges for which receiving department."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT department_id, username FROM accounts_user"
            " WHERE username IN ('planner', 'purchaser', 'inspector')"
        ).fetchall()
    return {dept: user for dept, user in rows}


def settle(db: Path, seconds: float) -> None:
    """Wait until the worker has finished or given up on every import and task."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with sqlite3.connect(db, timeout=30) as conn:
            busy = conn.execute(
                "SELECT (SELECT count(*) FROM core_importjob WHERE status IN ('queued','running'))"
                " + (SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
                "    OR (status = 'READY' AND (run_after <= strftime('%Y-%m-%d %H:%M:%f', 'now')"
                "                              OR run_after >= '9999-01-01')))"
            ).fetchone()[0]
        if not busy:
            return
        time.sleep(0.5)
    with sqlite3.connect(db, timeout=30) as conn:
        left = conn.execute(
            "SELECT task_path, status, run_after FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
            " OR (status = 'READY' AND (run_after <= strftime('%Y-%m-%d %H:%M:%f', 'now') OR run_after >= '9999-01-01'))"
            " LIMIT 5"
        ).fetchall()
        left += conn.execute(
            "SELECT id, status FROM core_importjob WHERE status IN ('queued','running')"
        ).fetchall()
    print("still busy after the wait:", left, flush=True)


def checks(db: Path, sheets: dict) -> dict:
    conn = sqlite3.connect(db, timeout=30)
    result: dict = {}
    result["integrity"] = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    partial, present = [], 0
    for prefix, rows in sheets.items():
        count = conn.execute(
            "SELECT count(*) FROM masterdata_material WHERE code LIKE ?", (prefix + "%",)
        ).fetchone()[0]
        if count not in (0, rows):
            partial.append((prefix, count))
        present += count == rows
    result["sheets"] = not partial
    result["sheets_detail"] = {"sheets": len(sheets), "present": present, "partial": partial}
    stuck = conn.execute(
        "SELECT count(*) FROM core_importjob WHERE status IN ('queued','running')"
    ).fetchone()[0]
    lost = 0
    for (name,) in conn.execute("SELECT original_name FROM core_importjob WHERE status = 'succeeded'"):
        prefix = name.removesuffix(".xlsx")
        count = conn.execute(
            "SELECT count(*) FROM masterdata_material WHERE code LIKE ?", (prefix + "%",)
        ).fetchone()[0]
        lost += count != SHEET_ROWS
    statuses = dict(conn.execute("SELECT status, count(*) FROM core_importjob GROUP BY status").fetchall())
    result["imports_done"] = stuck == 0 and lost == 0
    result["imports_detail"] = {"jobs": statuses, "stuck": stuck, "succeeded_but_missing": lost}
    mismatched = conn.execute(
        """SELECT count(*) FROM inventory_stocklevel l WHERE l.quantity != (
               SELECT coalesce(sum(m.quantity), 0) FROM inventory_stockmovement m
               WHERE m.warehouse_id = l.warehouse_id AND m.material_id IS l.material_id
                 AND m.product_id IS l.product_id)"""
    ).fetchone()[0]
    levels = conn.execute("SELECT count(*) FROM inventory_stocklevel").fetchone()[0]
    movements = conn.execute("SELECT count(*) FROM inventory_stockmovement").fetchone()[0]
    result["balances"] = mismatched == 0
    result["balances_detail"] = {"levels": levels, "movements": movements, "mismatched": mismatched}
    tasks = dict(
        conn.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        ).fetchall()
    )
    # A delivery whose enqueue or send the kill cut off is picked up again by the worker's sweeper
    # once its next attempt is due; one without a next attempt that is not finished never would be.
    unswept = conn.execute(
        "SELECT count(*) FROM notifications_delivery"
        " WHERE status IN ('pending', 'sending', 'failed') AND next_attempt_at IS NULL"
    ).fetchone()[0]
    result["tasks"] = tasks.get("RUNNING", 0) == 0 and unswept == 0
    # What is left waiting (scheduled for later, e.g. webhook retries or periodic jobs), by task.
    waiting = conn.execute(
        "SELECT task_path, count(*), min(run_after) FROM django_tasks_database_dbtaskresult"
        " WHERE status = 'READY' GROUP BY task_path"
    ).fetchall()
    deliveries = dict(
        conn.execute("SELECT status, count(*) FROM notifications_delivery GROUP BY status").fetchall()
    )
    result["tasks_detail"] = tasks | {
        "ready": {path: [n, after] for path, n, after in waiting},
        "deliveries": deliveries,
        "deliveries_never_retried": unswept,
    }
    conn.close()
    return result


RELEASED_STATES = (
    "released",
    "in_production",
    "ready_to_ship",
    "shipped",
    "delivered",
    "closed",
    "on_hold",
    "cancelled",
)


def release_checks(db: Path, data: Path, pool: list[int], confirmed: dict) -> dict:
    """Releases, acknowledgements and stock movements: all or nothing, and nothing answered lost."""
    conn = sqlite3.connect(db, timeout=30)
    result: dict = {}
    ct = dict(
        conn.execute("SELECT model, id FROM django_content_type WHERE app_label IN ('orders', 'inventory')")
    )
    departments = conn.execute(
        "SELECT count(DISTINCT kind) FROM accounts_department"
        " WHERE kind IN ('production', 'purchasing', 'quality') AND NOT is_archived"
    ).fetchone()[0]
    half, released, reviewed, orphans = [], 0, 0, []
    for pk in pool:
        status, version, released_at = conn.execute(
            "SELECT status, version, released_at FROM orders_order WHERE id = ?", (pk,)
        ).fetchone()
        # What order_release writes, each in the same transaction as the status.
        parts = {
            "released_at": released_at is not None,
            "version": conn.execute(
                "SELECT count(*) FROM orders_orderversion WHERE order_id = ? AND number = ?", (pk, version)
            ).fetchone()[0]
            == 1,
            "order_copy": conn.execute(
                "SELECT count(*) FROM orders_orderattachment WHERE order_id = ? AND kind = 'order_copy'"
                " AND version = ?",
                (pk, version),
            ).fetchone()[0]
            == 1,
            "acks": conn.execute(
                "SELECT count(*) FROM orders_acknowledgement WHERE order_id = ? AND order_version = ?",
                (pk, version),
            ).fetchone()[0]
            == departments,
            "audit": conn.execute(
                "SELECT count(*) FROM core_auditentry WHERE content_type_id = ? AND object_id = ?"
                " AND action = 'status:released'",
                (ct["order"], str(pk)),
            ).fetchone()[0]
            == 1,
            # The departments' inbox entries (their e-mail and webhook deliveries go with them).
            "notified": conn.execute(
                "SELECT count(*) FROM notifications_notification WHERE content_type_id = ?"
                " AND object_id = ? AND event = 'order.released'",
                (ct["order"], str(pk)),
            ).fetchone()[0]
            > 0,
        }
        for (name,) in conn.execute(
            "SELECT file FROM orders_orderattachment WHERE order_id = ? AND kind = 'order_copy'", (pk,)
        ):
            if not (data / "media" / name).is_file():
                orphans.append((pk, name))
        if status in RELEASED_STATES:
            released += 1
            if not all(parts.values()):
                half.append((pk, status, [k for k, v in parts.items() if not v]))
        elif status == "reviewed":
            reviewed += 1
            if any(parts.values()):
                half.append((pk, status, [k for k, v in parts.items() if v]))
        else:
            half.append((pk, status, "unexpected status"))
    answered_lost = [
        pk
        for pk in confirmed["releases"]
        if conn.execute("SELECT status FROM orders_order WHERE id = ?", (pk,)).fetchone()[0] == "reviewed"
    ]
    # Files of releases the kill cut off before their commit stay behind, unreferenced: a figure
    # (disk space), not a failure (nothing points at them).
    referenced = {name for (name,) in conn.execute("SELECT file FROM orders_orderattachment")}
    folder = data / "media" / "orders"
    unreferenced = sum(
        f"orders/{f.name}" not in referenced for f in (folder.iterdir() if folder.is_dir() else [])
    )
    result["releases"] = not half and not answered_lost and not orphans
    result["releases_detail"] = {
        "pool": len(pool),
        "released": released,
        "still_reviewed": reviewed,
        "half_released": half[:10],
        "half_count": len(half),
        "answered_but_not_released": answered_lost,
        "order_copy_file_missing": orphans[:10],
        "unreferenced_files": unreferenced,
    }
    # An acknowledgement is given with its audit entry, and one the server confirmed stays given.
    unaudited = conn.execute(
        """SELECT count(*) FROM orders_acknowledgement a WHERE a.acknowledged_at IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM core_auditentry e WHERE e.content_type_id = ?
                           AND e.object_id = CAST(a.id AS TEXT) AND e.action = 'acknowledged')""",
        (ct["acknowledgement"],),
    ).fetchone()[0]
    lost_acks = [
        pk
        for pk in confirmed["acks"]
        if conn.execute("SELECT acknowledged_at FROM orders_acknowledgement WHERE id = ?", (pk,)).fetchone()[
            0
        ]
        is None
    ]
    given = conn.execute(
        "SELECT count(*) FROM orders_acknowledgement WHERE acknowledged_at IS NOT NULL"
        f" AND order_id IN ({','.join(map(str, pool)) or 'NULL'})"
    ).fetchone()[0]
    result["acks"] = unaudited == 0 and not lost_acks
    result["acks_detail"] = {
        "given_on_pool": given,
        "without_audit": unaudited,
        "answered_but_lost": lost_acks,
    }
    # Movements: never below zero, each one's balance_after is the running sum of its item's
    # movements (no lost or doubled update), each audited, and none the server confirmed is lost.
    negative = conn.execute("SELECT count(*) FROM inventory_stocklevel WHERE quantity < 0").fetchone()[0]
    running: dict[tuple, Decimal] = {}
    broken_chain = 0
    for warehouse, material, product, quantity, after in conn.execute(
        "SELECT warehouse_id, material_id, product_id, quantity, balance_after"
        " FROM inventory_stockmovement ORDER BY id"
    ):
        key = (warehouse, material, product)
        running[key] = running.get(key, Decimal(0)) + Decimal(str(quantity))
        broken_chain += running[key] != Decimal(str(after))
    unaudited_moves = conn.execute(
        """SELECT count(*) FROM inventory_stockmovement m WHERE NOT EXISTS (
               SELECT 1 FROM core_auditentry e WHERE e.content_type_id = ?
               AND e.object_id = CAST(m.id AS TEXT) AND e.action = 'stock_move')""",
        (ct["stockmovement"],),
    ).fetchone()[0]
    lost_moves = [
        pk
        for pk in confirmed["movements"]
        if not conn.execute("SELECT count(*) FROM inventory_stockmovement WHERE id = ?", (pk,)).fetchone()[0]
    ]
    result["movements"] = not (negative or broken_chain or unaudited_moves or lost_moves)
    result["movements_detail"] = {
        "negative_levels": negative,
        "balance_after_wrong": broken_chain,
        "without_audit": unaudited_moves,
        "answered_but_lost": lost_moves[:10],
    }
    conn.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-seconds", type=float, default=600, help="stop starting rounds after this")
    parser.add_argument(
        "--pool", type=int, help=f"orders prepared for release ({POOL_PER_ROUND} a round by default)"
    )
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="gendan-crash-") as tmp:
        data = Path(tmp)
        env = environment(data)
        db = data / "gendan.sqlite3"
        print("building the demo factory ...", flush=True)
        subprocess.run(
            [sys.executable, "-m", "gendan.cli", "demo", "--no-serve"],
            env=env | {"GENDAN_DEMO": "1"},
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        catalogue = catalogue_of(db)
        print(f"demo built ({time.monotonic() - started:.0f} s)", flush=True)
        pool = prepare_pool(env, args.seed, args.pool or POOL_PER_ROUND * args.rounds)
        print(f"{len(pool)} orders ready to release ({time.monotonic() - started:.0f} s)", flush=True)
        port = free_port()
        stack = Stack(env, port)
        sheets: dict[str, int] = {}
        driver = Driver(f"http://127.0.0.1:{port}", rng, sheets, pool, ackers_of(db))
        per_round: list[dict] = []
        kills = {"server": 0, "worker": 0, "both": 0}
        rounds = 0
        try:
            for round_no in range(args.rounds):
                if time.monotonic() - started > args.max_seconds:
                    break
                stack.start()
                before = dict(driver.counts)
                driver.run(rng.uniform(1.0, 6.0), round_no, catalogue)
                which = rng.choice(["server", "worker", "both", "both"])
                if stack.kill(which):
                    kills[which] += 1
                rounds += 1
                per_round.append(
                    {"killed": which}
                    | {k: v - before.get(k, 0) for k, v in driver.counts.items() if v != before.get(k, 0)}
                )
                print(
                    f"round {round_no + 1}: killed {which} ({time.monotonic() - started:.0f} s)", flush=True
                )
            # Recovery: a fresh worker (and server) takes over what the killed ones left.
            stack.start()
            settled = time.monotonic()
            settle(db, 120)
            print(f"recovered in {time.monotonic() - settled:.0f} s", flush=True)
        finally:
            stack.stop()
        result = checks(db, sheets) | release_checks(db, data, pool, driver.confirmed)
    names = ["integrity", "sheets", "imports_done", "balances", "movements", "releases", "acks", "tasks"]
    figures = {
        "rounds": rounds,
        "kills": kills,
        "seconds": round(time.monotonic() - started, 1),
        "pool": len(pool),
        "traffic": driver.counts,
        "per_round": per_round,
        "checks_passed": sum(bool(result[n]) for n in names),
        "checks": len(names),
        **result,
    }
    print(json.dumps(figures, indent=2, default=str))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))
    sys.exit(0 if figures["checks_passed"] == len(names) else 1)


if __name__ == "__main__":
    main()

"""Benchmark of the Excel master-data import (R-1.1: 10,000 rows in seconds).

    uv run python bench/import_master.py
    uv run python bench/import_master.py --rows 20000 --json /tmp/import.json
    uv run python bench/import_master.py --profile /tmp/import   # cProfile: /tmp/import-<scenario>.prof

Builds sheets with openpyxl and times gendan.core.excel.import_workbook on a fresh SQLite database
in a temporary folder (or on DATABASE_URL if set: use an empty database). Scenarios:

* ``materials_create``     - first import of N materials (every row created);
* ``materials_unchanged``  - the same sheet again (every row matches an existing record, nothing changes);
* ``materials_update``     - the sheet with every row changed (every row updated);
* ``materials_bad_row``    - N rows with one bad row at the end: rejected, nothing written;
* ``customers_create``     - N customers (with the --customers option);
* ``bom_lines_create``     - N BOM lines under N/10 products, all pointing at the imported materials
                             (with the --bom option).

Reading the workbook is timed apart too (``*_read`` lines are openpyxl only), so the share of
the time spent in openpyxl and in Gendan is visible.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def setup_django(data_dir: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ["GENDAN_DATA_DIR"] = data_dir
    os.environ.setdefault("GENDAN_HTTPS", "0")
    os.environ.setdefault("GENDAN_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def sheet(headers: list[str], rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet1")
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def material_headers() -> list[str]:
    """The English headers of the spec (both languages are accepted; English is stable)."""
    from django.utils import translation

    from gendan.masterdata.imports import MATERIALS

    with translation.override("en"):
        return [str(c.label) for c in MATERIALS.columns]


def material_rows(n: int, *, version: int = 0, bad_last: bool = False):
    kinds = ["raw", "part", "packaging", "consumable"]
    for i in range(n):
        lead = 5 + (i % 20) + version
        row = [
            f"M{i:06d}",
            f"物料 {i} 号" + (f" v{version}" if version else ""),
            f"Material {i}",
            f"{i % 50} x {i % 7} mm",
            kinds[i % len(kinds)],
            "kg" if i % 3 else "pcs",
            lead,
            (i % 10) * 10 + version,
            1 + (i % 5),
            (i % 100) / 4 + version,
        ]
        if bad_last and i == n - 1:
            row[6] = "soon"  # not a whole number
            row[4] = "unobtainium"  # not a kind
        yield row


def customer_rows(n: int):
    for i in range(n):
        yield [
            f"C{i:06d}",
            f"客户 {i} 有限公司",
            f"Customer {i} Ltd",
            "merchandiser",
            f"9131{i:014d}",
            f"021-{i:08d}",
            f"buyer{i}@example.com",
            10000 + i,
            "ok",
            "",
        ]


def customer_headers() -> list[str]:
    from django.utils import translation

    from gendan.masterdata.imports import CUSTOMERS

    with translation.override("en"):
        return [str(c.label) for c in CUSTOMERS.columns]


def bom_headers() -> list[str]:
    from django.utils import translation

    from gendan.masterdata.imports import BOM_LINES

    with translation.override("en"):
        return [str(c.label) for c in BOM_LINES.columns]


def bom_rows(n: int, n_materials: int):
    per_product = 10
    for i in range(n):
        product, position = divmod(i, per_product)
        yield [
            f"P{product:05d}",
            (position + 1) * 10,
            f"M{(i * 7) % n_materials:06d}",
            None,
            1 + (i % 4),
            (i % 3),
            "",
        ]


def run(name, spec, data, actor, results, *, expect_ok=True, profile=None):
    from gendan.core.excel import import_workbook, read_rows

    started = time.perf_counter()
    header, body = read_rows(data)
    read_s = time.perf_counter() - started

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = import_workbook(spec, data, actor=actor)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    rows = len(body)
    if result.ok != expect_ok:
        errors = "\n".join(f"  row {e.row} {e.column}: {e.message}" for e in result.errors[:10])
        raise SystemExit(f"{name}: expected ok={expect_ok}, got ok={result.ok}\n{errors}")
    line = {"name": name, "rows": rows, "seconds": round(seconds, 3), "rows_per_s": round(rows / seconds, 1)}
    results.append(line)
    print(
        f"{name:22s} {rows:>7d} rows {seconds:8.2f} s {rows / seconds:>9.0f} rows/s"
        f"   (openpyxl read {read_s:.2f} s; created {result.created}, updated {result.updated},"
        f" errors {len(result.errors)})",
        flush=True,
    )
    if profiler:
        profiler.dump_stats(f"{profile}-{name}.prof")
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(30)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000, help="rows per sheet (default 10000)")
    parser.add_argument("--json", metavar="FILE", help="write the results as a JSON list to FILE")
    parser.add_argument("--customers", action="store_true", help="also import N customers")
    parser.add_argument("--bom", action="store_true", help="also import N BOM lines (N/10 products)")
    parser.add_argument(
        "--profile", metavar="FILE", help="cProfile every import, stats to FILE-<scenario>.prof"
    )
    args = parser.parse_args(argv)
    n = args.rows
    if n < 2:
        parser.error("--rows must be at least 2")

    with tempfile.TemporaryDirectory(prefix="gendan-bench-") as tmp:
        setup_django(tmp)
        from django.db import connection

        from gendan.accounts.choices import Role
        from gendan.accounts.demo import build_people
        from gendan.core.models import AuditEntry
        from gendan.masterdata import imports
        from gendan.masterdata.models import Material

        users = build_people().provides["users"]
        admin = users["admin"]
        assert admin.role == Role.ADMIN
        print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})", flush=True)

        results: list[dict] = []
        headers = material_headers()
        first = sheet(headers, material_rows(n))
        run("materials_create", imports.MATERIALS, first, admin, results, profile=args.profile)
        assert Material.objects.count() == n, Material.objects.count()
        audits = AuditEntry.objects.count()

        result = run("materials_unchanged", imports.MATERIALS, first, admin, results, profile=args.profile)
        assert (result.created, result.updated) == (0, 0), "an unchanged sheet changed records"
        assert AuditEntry.objects.count() == audits, "an unchanged sheet wrote audit entries"

        changed = sheet(headers, material_rows(n, version=1))
        result = run("materials_update", imports.MATERIALS, changed, admin, results, profile=args.profile)
        assert result.updated == n, result.updated
        assert Material.objects.filter(name__endswith=" v1").count() == n

        bad = sheet(headers, material_rows(n + 1, version=2, bad_last=True))
        audits = AuditEntry.objects.count()
        result = run(
            "materials_bad_row", imports.MATERIALS, bad, admin, results, expect_ok=False, profile=args.profile
        )
        assert {e.row for e in result.errors} == {n + 2}, result.errors[:5]
        assert Material.objects.count() == n, "a rejected sheet wrote rows"
        assert not Material.objects.filter(name__endswith=" v2").exists(), "a rejected sheet changed rows"
        assert AuditEntry.objects.count() == audits

        if args.customers:
            data = sheet(customer_headers(), customer_rows(n))
            run("customers_create", imports.CUSTOMERS, data, admin, results, profile=args.profile)

        if args.bom:
            from gendan.masterdata.models import Product

            n_products = (n + 9) // 10
            Product.objects.bulk_create(
                [Product(code=f"P{i:05d}", name=f"产品 {i}") for i in range(n_products)], batch_size=1000
            )
            data = sheet(bom_headers(), bom_rows(n, n))
            run("bom_lines_create", imports.BOM_LINES, data, admin, results, profile=args.profile)

        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1))
        connection.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the import limits (issue 14): how fast and how cheaply a hostile sheet is rejected.

    uv run python bench/import_limits.py
    uv run python bench/import_limits.py --rows 1000000 --json /tmp/limits.json
    uv run python bench/import_limits.py --before      # also the reading the old reader did (slow)

Builds the hostile file of the issue, streamed straight into a zip (a few seconds): one worksheet of
N rows (default 1,000,000) x 11 columns declaring `<dimension ref="A1:K1000000"/>`, about 300 KB on
the disk and 94 MB of sheet XML. Each scenario runs in a fresh process (Django set up, a fresh SQLite
database in a temporary folder), which reports the time taken and how much its peak resident memory
(getrusage ru_maxrss) grew over its baseline:

* ``hostile_default_limits``  - the worker's reader (`read_rows`) with the default limits: rejected
                                from the zip directory (it unpacks beyond the limit), nothing unpacked;
* ``hostile_dimension``       - the unpacked-size limit lifted: rejected from the declared dimension;
* ``hostile_lying_dimension`` - the size limit lifted and the dimension lying (`A1:K2`): rows are
                                streamed and counted, reading stops at row limit + 1;
* ``worst_within_limits``     - a sheet just under the unpacked-size limit and declaring no
                                dimension: openpyxl then scans the whole sheet XML once to size it
                                (the dearest file that gets past the first checks), the reader
                                stops at row limit + 1;
* ``texts_bomb``              - 120 KB holding 2.9 million tiny shared strings (49 MB unpacked): rejected
                                from a count of them streamed through, before openpyxl reads them all;
* ``hostile_upload_page``     - the import page's check (`check_upload_workbook`) with the defaults;
* ``hostile_worker_job``      - a whole import job in the worker with the defaults: rejected, and its
                                file removed from the media folder;
* ``accepted_10000``          - for comparison, 10,000 materials read and imported (bench/import_master);
* ``before_full_read``        - (--before) what the old reader did: every row read into a list;
* ``texts_bomb_no_text_limit`` - (--before) the texts bomb with the count lifted: openpyxl opening it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
COLUMNS = "ABCDEFGHIJK"
READER_SCENARIOS = (
    "hostile_default_limits",
    "hostile_dimension",
    "hostile_lying_dimension",
    "worst_within_limits",
    "texts_bomb",
    "texts_bomb_no_text_limit",
)
HEADERS = ["Material code", "Material name", "English name", "Specification", "Kind", "Unit"]


def build_hostile(path: Path, rows: int, dimension: str | None = None) -> dict:
    """Write the hostile workbook to `path`, streaming the sheet XML into the zip. `dimension` ""
    leaves the (optional) element out."""
    dimension = f"A1:K{rows + 1}" if dimension is None else dimension
    element = f'<dimension ref="{dimension}"/>' if dimension else ""
    started = time.perf_counter()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                + f"{element}<sheetData>".encode()
            )
            header = "".join(
                f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
                for c, h in zip(COLUMNS, HEADERS, strict=False)
            )
            sheet.write(f'<row r="1">{header}</row>'.encode())
            # Rows and cells without their (optional) `r` references: every row the same bytes,
            # so the sheet compresses some 300:1, as the file did.
            # 94 bytes a row, as in the file: five numbers and two empty cells.
            row = b"<row>" + b"<c><v>1</v></c>" * 5 + b"<c/>" * 2 + b"</row>"
            block = row * 5000
            for _ in range(rows // 5000):
                sheet.write(block)
            sheet.write(row * (rows % 5000) + b"</sheetData></worksheet>")
    with zipfile.ZipFile(path) as archive:
        unpacked = sum(i.file_size for i in archive.infolist())
    return {
        "file_bytes": path.stat().st_size,
        "unpacked_bytes": unpacked,
        "build_seconds": round(time.perf_counter() - started, 2),
    }


def build_texts_bomb(path: Path, unpacked: int = 49 * 2**20) -> dict:
    """A workbook of one cell whose shared strings are millions of tiny texts (`unpacked` bytes)."""
    rels = WORKBOOK_RELS.replace(
        "</Relationships>",
        '<Relationship Id="rId2" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        "</Relationships>",
    )
    types = CONTENT_TYPES.replace(
        "</Types>",
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    text = b"<si><t>a</t></si>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(unpacked // len(text) // 10000):
                part.write(text * 10000)
            part.write(b"</sst>")
    return {"file_bytes": path.stat().st_size, "texts": unpacked // len(text) // 10000 * 10000}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return peak_rss_mb()


def child(scenario: str, file: str, rows: int) -> dict:
    """One scenario, in this (fresh) process, on a copy of the database the parent migrated: nothing
    heavy runs here before the scenario, so the peak RSS is the scenario's."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ.setdefault("GENDAN_HTTPS", "0")
    django.setup()
    if scenario == "migrate":
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
        return {"name": scenario}
    from django.conf import settings
    from django.utils import translation

    translation.activate("en")
    data = Path(file).read_bytes() if file else b""
    baseline = rss_mb()
    outcome = ""
    started = time.perf_counter()
    if scenario in READER_SCENARIOS:
        from gendan.core.excel import SheetRejected, read_rows

        if scenario in ("hostile_dimension", "hostile_lying_dimension"):
            settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10**12
        if scenario == "texts_bomb_no_text_limit":
            settings.IMPORT_MAX_SHARED_STRINGS = 10**9
        try:
            read_rows(data)
            outcome = "accepted"
        except SheetRejected as exc:
            outcome = "rejected: " + exc.errors[0].message
    elif scenario == "hostile_upload_page":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from gendan.core.excel import SheetRejected
        from gendan.core.excel.limits import check_upload_workbook

        try:
            check_upload_workbook(SimpleUploadedFile("hostile.xlsx", data))
            outcome = "accepted"
        except SheetRejected as exc:
            outcome = "rejected: " + exc.errors[0].message
    elif scenario == "hostile_worker_job":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from gendan.accounts.demo import build_people
        from gendan.core.models import ImportJob
        from gendan.core.tasks import import_job_run

        admin = build_people().provides["users"]["admin"]
        job = ImportJob(kind="materials", original_name="hostile.xlsx", created_by=admin, language="en")
        job.file.save("hostile.xlsx", SimpleUploadedFile("hostile.xlsx", data), save=False)
        job.save()
        path = Path(job.file.path)
        baseline = rss_mb()
        started = time.perf_counter()
        job = import_job_run(job_id=job.pk)
        outcome = f"{job.status}: {job.errors[0]['message']}; file left: {path.exists()}"
    elif scenario == "accepted_10000":
        from import_master import material_headers, material_rows, sheet

        from gendan.accounts.demo import build_people
        from gendan.core.excel import import_workbook
        from gendan.masterdata.imports import MATERIALS

        admin = build_people().provides["users"]["admin"]
        built = sheet(material_headers(), material_rows(rows))
        baseline = rss_mb()
        started = time.perf_counter()
        result = import_workbook(MATERIALS, built, actor=admin)
        outcome = f"ok={result.ok} created={result.created}"
    elif scenario == "before_full_read":
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        body = list(wb.worksheets[0].iter_rows(values_only=True))
        outcome = f"read {len(body)} rows (then rejected by the old code)"
    seconds = time.perf_counter() - started
    return {
        "name": scenario,
        "seconds": round(seconds, 3),
        "rss_before_mb": round(baseline, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "peak_rss_growth_mb": round(peak_rss_mb() - baseline, 1),
        "outcome": outcome[:160],
    }


def run_child(scenario: str, file: Path | None, rows: int, data_dir: Path) -> dict:
    command = [sys.executable, __file__, "--child", scenario, "--rows", str(rows)]
    if file:
        command += ["--file", str(file)]
    copy = data_dir.with_name(f"data-{scenario}")
    if scenario != "migrate":
        shutil.copytree(data_dir, copy)
    env = os.environ | {"GENDAN_DATA_DIR": str(data_dir if scenario == "migrate" else copy)}
    out = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    if out.returncode:
        raise SystemExit(f"{scenario} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="rows of the hostile sheet (default 1000000)"
    )
    parser.add_argument("--accepted-rows", type=int, default=10_000, help="rows of the accepted import")
    parser.add_argument("--json", metavar="FILE", help="write the results as JSON to FILE")
    parser.add_argument("--before", action="store_true", help="also time the old reader's full read")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.file or "", args.rows)))
        return 0

    os.environ.setdefault("GENDAN_TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
    results: dict = {"scenarios": []}
    with tempfile.TemporaryDirectory(prefix="gendan-bench-hostile-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        run_child("migrate", None, 0, data_dir)
        hostile, lying, worst = (Path(tmp) / f"{n}.xlsx" for n in ("hostile", "lying", "worst"))
        results["hostile_file"] = build_hostile(hostile, args.rows)
        build_hostile(lying, args.rows, dimension="A1:K2")
        results["worst_file"] = build_hostile(worst, (50 * 2**20 - 4096) // 94, dimension="")
        texts = Path(tmp) / "texts.xlsx"
        results["texts_file"] = build_texts_bomb(texts)
        info = results["hostile_file"]
        print(
            f"hostile file: {args.rows} rows, {info['file_bytes'] / 1024:.0f} KB on disk, "
            f"{info['unpacked_bytes'] / 2**20:.1f} MB unpacked, built in {info['build_seconds']} s",
            flush=True,
        )
        plan = [
            ("hostile_default_limits", hostile, args.rows),
            ("hostile_dimension", hostile, args.rows),
            ("hostile_lying_dimension", lying, args.rows),
            ("worst_within_limits", worst, args.rows),
            ("texts_bomb", texts, args.rows),
            ("hostile_upload_page", hostile, args.rows),
            ("hostile_worker_job", hostile, args.rows),
            ("accepted_10000", None, args.accepted_rows),
        ]
        if args.before:
            plan.append(("before_full_read", hostile, args.rows))
            plan.append(("texts_bomb_no_text_limit", texts, args.rows))
        for scenario, file, rows in plan:
            line = run_child(scenario, file, rows, data_dir)
            results["scenarios"].append(line)
            print(
                f"{line['name']:24s} {line['seconds']:8.3f} s  peak RSS +{line['peak_rss_growth_mb']:7.1f} MB"
                f"   {line['outcome']}",
                flush=True,
            )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

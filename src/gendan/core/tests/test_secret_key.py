"""SECRET_KEY (issue 14, item 2): never a key from the source; generated once into the data folder
when the environment gives none; a known or short key is an error of the system checks."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from django.core.checks import run_checks
from django.test import override_settings

import gendan.settings
from gendan.core import secret_key

OLD_KEY = "insecure-dev-key-set-SECRET_KEY-in-production-0123456789abcdef"


def _start(data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment |= {
        "GENDAN_DATA_DIR": str(data_dir),
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "gendan.settings",
    }
    environment |= env
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )


def test_without_a_key_one_is_generated_once_into_the_data_folder_readable_by_its_owner_only(tmp_path):
    first = _start(tmp_path)
    key_file = tmp_path / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = first.stdout.strip()
    assert key == key_file.read_text().strip()
    assert not secret_key.is_known(key) and not secret_key.is_weak(key)
    assert "Generated a SECRET_KEY" in first.stderr and "已生成 SECRET_KEY" in first.stderr

    second = _start(tmp_path)
    assert second.stdout.strip() == key  # sessions survive a restart
    assert "Generated" not in second.stderr


def test_a_key_from_the_environment_is_used_and_nothing_is_written(tmp_path):
    given = "k" * 30 + "0123456789abcdefghijklmnopqrstuvwxyz"
    assert _start(tmp_path, SECRET_KEY=given).stdout.strip() == given
    assert not (tmp_path / "secret_key").exists()


def test_the_source_holds_no_fallback_key():
    assert OLD_KEY not in Path(gendan.settings.__file__).read_text()


def _secret_key_messages():
    return {m.id: m for m in run_checks(tags=["security"]) if m.id.startswith("gendan.")}


def test_the_old_published_key_stops_the_server():
    with override_settings(SECRET_KEY=OLD_KEY, DEBUG=False):
        messages = _secret_key_messages()
    assert "gendan.E010" in messages and messages["gendan.E010"].is_serious()


def test_a_known_prefix_and_a_short_key_are_flagged():
    with override_settings(SECRET_KEY="django-insecure-" + "x1y2z3" * 10, DEBUG=False):
        assert "gendan.E010" in _secret_key_messages()
    with override_settings(SECRET_KEY="a-short-key-0123456789", DEBUG=False):
        assert "gendan.E011" in _secret_key_messages()


def test_the_generated_key_passes(tmp_path):
    with override_settings(SECRET_KEY=secret_key.load_or_create(tmp_path), DEBUG=False):
        assert _secret_key_messages() == {}


def test_a_data_folder_that_cannot_be_written_stops_the_start_with_a_clear_message(tmp_path):
    if os.geteuid() == 0:
        blocked = tmp_path / "file-not-folder"
        blocked.write_text("")
        data_dir = blocked / "data"  # a folder under a file: even root cannot create it
    else:
        data_dir = tmp_path / "ro"
        data_dir.mkdir(mode=0o500)
    environment = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    environment |= {"GENDAN_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "gendan.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.SECRET_KEY"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "Cannot write the SECRET_KEY" in result.stderr and "Traceback" not in result.stderr

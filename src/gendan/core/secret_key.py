"""The SECRET_KEY: from the environment, or generated once into the data folder and kept there.

Read by settings.py before Django starts, so this module imports nothing of Django.
"""

import os
import secrets
import sys
import time
from pathlib import Path

FILE_NAME = "secret_key"
# Django's own minimum (django.core.checks.security.base): 50 characters, 5 different ones.
MIN_LENGTH = 50
MIN_UNIQUE = 5
# Keys that were published (in Gendan's source before, in examples and tutorials): signing with
# one of them lets anyone forge sessions and password-reset links.
KNOWN_KEYS = frozenset(
    {
        "insecure-dev-key-set-SECRET_KEY-in-production-0123456789abcdef",
        "changeme",
        "change-me",
        "secret",
        "secret-key",
        "your-secret-key",
    }
)
KNOWN_PREFIXES = ("insecure-dev-key", "django-insecure-", "csp-test-key", "change-me", "changeme")


def is_known(key: str) -> bool:
    return key in KNOWN_KEYS or key.lower().startswith(KNOWN_PREFIXES)


def is_weak(key: str) -> bool:
    return len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE


def load_or_create(data_dir: Path) -> str:
    """The key kept in `data_dir`, generated (mode 0600) and announced the first time.

    Several server processes may start at once: the file is written under a temporary name and
    linked into place, so exactly one key wins and every process reads that one."""
    path = Path(data_dir) / FILE_NAME
    if not path.exists():
        temporary = path.with_name(f".{FILE_NAME}.{os.getpid()}")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as exc:
            raise SystemExit(
                f"无法把 SECRET_KEY 写入 {path}（{exc.strerror}）：请设置环境变量 SECRET_KEY，或让数据目录可写。\n"
                f"Cannot write the SECRET_KEY to {path} ({exc.strerror}): set SECRET_KEY in the "
                "environment, or make the data folder writable."
            ) from exc
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
        try:
            os.link(temporary, path)
            print(
                f"已生成 SECRET_KEY 并保存到 {path}（仅本用户可读），以后启动沿用它。\n"
                f"Generated a SECRET_KEY into {path} (readable by this user only); later starts reuse it.",
                file=sys.stderr,
            )
        except FileExistsError:
            pass  # another process was first: use its key
        finally:
            temporary.unlink(missing_ok=True)
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.1)
    raise RuntimeError(f"{path} is empty: delete it, or set SECRET_KEY in the environment.")

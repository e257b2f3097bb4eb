"""Fixtures of the notification tests: people in two languages, departments, and a fake chat server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gendan.accounts.choices import DepartmentKind, Role
from gendan.accounts.models import Department, User

BASE_URL = "https://gendan.example.com"


@pytest.fixture(autouse=True)
def _notification_settings(settings, monkeypatch):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.GENDAN_BASE_URL = BASE_URL
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The fake chat server listens on 127.0.0.1 (test_webhook_addresses.py turns this off).
    settings.GENDAN_WEBHOOK_ALLOW_PRIVATE = True
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def production(db):
    return Department.objects.create(code="PRD", name="生产部", kind=DepartmentKind.PRODUCTION)


@pytest.fixture
def purchasing(db):
    return Department.objects.create(code="PUR", name="采购部", kind=DepartmentKind.PURCHASING)


def _user(username, *, language="zh-hans", email=None, role=Role.MERCHANDISER, department=None):
    return User.objects.create_user(
        username=username,
        password="pw-for-tests-1",
        email=f"{username}@example.com" if email is None else email,
        language=language,
        role=role,
        department=department,
    )


@pytest.fixture
def wang(production):
    """A planner who reads Chinese."""
    return _user("wang", role=Role.PRODUCTION, department=production)


@pytest.fixture
def anna(production):
    """A merchandiser who reads English."""
    return _user("anna", language="en", department=production)


@pytest.fixture
def nomail(production):
    return _user("nomail", email="", department=production)


@pytest.fixture
def admin_user(db):
    return _user("admin", role=Role.ADMIN, language="en")  # reads the pages in English


@pytest.fixture
def client_wang(client, wang):
    client.force_login(wang)
    return client


@pytest.fixture
def client_admin(client, admin_user):
    client.force_login(admin_user)
    return client


class RobotServer:
    """A chat server on 127.0.0.1 that records every request and answers as told."""

    def __init__(self):
        self.requests: list[dict] = []
        self.replies: dict[str, list[tuple[int, dict]]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                path, _, query = self.path.partition("?")
                server.requests.append(
                    {
                        "path": path,
                        "query": query,
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(raw.decode("utf-8")),
                    }
                )
                queue = server.replies.get(path)
                if queue:
                    status, answer = queue.pop(0)
                elif path.startswith("/feishu"):
                    status, answer = 200, {"code": 0, "msg": "success"}
                else:
                    status, answer = 200, {"errcode": 0, "errmsg": "ok"}
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def reply(self, path: str, status: int, answer: dict) -> None:
        self.replies.setdefault(path, []).append((status, answer))

    def to(self, path: str) -> list[dict]:
        return [r for r in self.requests if r["path"] == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def robots():
    server = RobotServer()
    yield server
    server.close()

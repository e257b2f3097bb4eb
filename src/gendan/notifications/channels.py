"""How each chat robot wants its message, how DingTalk and Feishu sign it, and the HTTP post.

Formats, from the robots' own documentation:
- WeCom group robot: POST {"msgtype": "markdown", "markdown": {"content": ...}} to the robot's URL
  (its key is in the URL); the answer is {"errcode": 0, "errmsg": "ok"}. Content ≤ 4096 bytes.
- DingTalk custom robot: POST {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}};
  with a secret, `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(key=secret,
  msg="{timestamp}\\n{secret}"))) go into the query string. Answer {"errcode": 0, ...}.
- Feishu / Lark custom bot: POST {"msg_type": "text", "content": {"text": ...}}; with a secret,
  "timestamp" (seconds, a string) and "sign" = base64(HMAC-SHA256(key="{timestamp}\\n{secret}",
  msg=b"")) go into the JSON body. Answer {"code": 0, "msg": "success"}.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .addresses import AddressRefused, checked_addresses, guarded_create_connection, host_allowed_anywhere
from .choices import WebhookKind

TIMEOUT_SECONDS = 5
WECOM_MAX_BYTES = 4096
DINGTALK_MAX_CHARS = 5000
FEISHU_MAX_CHARS = 4000


class DeliveryError(Exception):
    """The message was not accepted; the worker tries again later."""


class AddressNotAllowed(DeliveryError):
    """The robot's host is internal (addresses.py): trying again later will not help."""


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    link: str = ""  # absolute URL, or empty
    link_text: str = ""


def _truncate_bytes(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[: limit - 3].decode("utf-8", errors="ignore") + "…"


def _truncate(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def build_payload(kind: str, message: Message) -> dict:
    """The robot's JSON message (unsigned)."""
    if kind == WebhookKind.WECOM:
        parts = [f"**{message.title}**"]
        if message.body:
            parts.append(message.body)
        if message.link:
            parts.append(f"[{message.link_text or message.link}]({message.link})")
        return {
            "msgtype": "markdown",
            "markdown": {"content": _truncate_bytes("\n".join(parts), WECOM_MAX_BYTES)},
        }
    if kind == WebhookKind.DINGTALK:
        # DingTalk's markdown needs a blank line to break a line.
        parts = [f"#### {message.title}"]
        parts += [line for line in message.body.splitlines() if line.strip()]
        if message.link:
            parts.append(f"[{message.link_text or message.link}]({message.link})")
        text = _truncate("\n\n".join(parts), DINGTALK_MAX_CHARS)
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}
    if kind == WebhookKind.FEISHU:
        parts = [message.title]
        if message.body:
            parts.append(message.body)
        if message.link:
            parts.append(message.link)
        return {"msg_type": "text", "content": {"text": _truncate("\n".join(parts), FEISHU_MAX_CHARS)}}
    raise ValueError(f"unknown webhook kind {kind!r}")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def feishu_sign(secret: str, timestamp_s: int) -> str:
    string_to_sign = f"{timestamp_s}\n{secret}"
    digest = hmac.new(string_to_sign.encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_request(kind: str, url: str, secret: str, payload: dict, *, now: float | None = None):
    """The URL and JSON body to post, with the signature when the robot has a secret."""
    now = time.time() if now is None else now
    body = dict(payload)
    if secret and kind == WebhookKind.DINGTALK:
        timestamp = int(now * 1000)
        query = urllib.parse.urlencode({"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)})
        url = f"{url}{'&' if '?' in url else '?'}{query}"
    elif secret and kind == WebhookKind.FEISHU:
        timestamp = int(now)
        body = {"timestamp": str(timestamp), "sign": feishu_sign(secret, timestamp), **body}
    return url, body


def _check_answer(kind: str, answer: dict) -> None:
    if kind == WebhookKind.FEISHU:
        # Current bots answer {"code": 0}; older ones {"StatusCode": 0}.
        code = answer.get("code", answer.get("StatusCode", 0))
        message = answer.get("msg") or answer.get("StatusMessage") or ""
    else:
        code = answer.get("errcode", 0)
        message = answer.get("errmsg") or ""
    if code not in (0, "0"):
        raise DeliveryError(f"robot answered code {code}: {message}"[:500])


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_create_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = guarded_create_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


def _opener(url: str) -> urllib.request.OpenerDirector:
    """An opener that connects only to allowed addresses (addresses.py), redirects included.
    Through a proxy the connection is to the proxy, which resolves the robot's name itself: the
    name is checked here, as far as this machine can resolve it."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if host_allowed_anywhere(host):
        return urllib.request.build_opener()
    if parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(host):
        checked_addresses(host, parts.port, unresolved_ok=True)
        return urllib.request.build_opener()
    return urllib.request.build_opener(_GuardedHTTPHandler, _GuardedHTTPSHandler)


def post_webhook(
    kind: str, url: str, secret: str, payload: dict, *, timeout: float = TIMEOUT_SECONDS
) -> None:
    """Post one message; raise DeliveryError unless the robot accepted it."""
    url, body = signed_request(kind, url, secret, payload)
    request = urllib.request.Request(
        url,
        data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        # A fresh opener each time, so proxy settings from the environment are read as they are now.
        opener = _opener(url)
        with opener.open(request, timeout=timeout) as response:
            raw = response.read(65536)
    except AddressRefused as exc:
        raise AddressNotAllowed(str(exc)) from exc
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"cannot reach the robot: {getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw.decode("utf-8")) if raw.strip() else {}
    except (UnicodeDecodeError, ValueError) as exc:
        raise DeliveryError(f"the robot's answer is not JSON: {raw[:200]!r}") from exc
    if isinstance(answer, dict):
        _check_answer(kind, answer)

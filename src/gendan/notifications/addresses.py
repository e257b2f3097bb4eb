"""Where a chat robot may post: public hosts only, unless the administrator says otherwise.

A robot's address is typed by an administrator, but a mistaken or hostile one would make the
worker post to this machine's own services or the internal network (a database console, a cloud
metadata service). So the host, by number or by every address its name resolves to, must be public
(not loopback, link-local, private, multicast, reserved or unspecified) when the robot is saved,
and again when each message goes out: a name can resolve elsewhere by then ("DNS rebinding"), so
the connection itself is made only to an address that was just checked.

Settings: GENDAN_WEBHOOK_ALLOW_PRIVATE (env, "1") allows every host (an on-premises chat server);
GENDAN_WEBHOOK_ALLOWED_HOSTS (env, comma-separated names or numbers) allows those hosts only.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class AddressRefused(Exception):
    """The host is, or resolves to, an address robots may not post to."""


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_link_local
        or ip.is_private
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def host_allowed_anywhere(host: str) -> bool:
    """The administrator's settings let this host be anything, internal included."""
    if getattr(settings, "GENDAN_WEBHOOK_ALLOW_PRIVATE", False):
        return True
    allowed = {h.strip().lower().strip("[]") for h in getattr(settings, "GENDAN_WEBHOOK_ALLOWED_HOSTS", [])}
    return host.lower().strip("[]") in allowed


def checked_addresses(host: str, port: int | None, *, unresolved_ok: bool = False) -> list[tuple]:
    """getaddrinfo(host, port) with every address checked: AddressRefused when any is internal.

    A name that does not resolve gives [] when `unresolved_ok` (saving a robot while the chat
    service's name is unknown here: sending checks again), else socket.gaierror."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        if unresolved_ok:
            return []
        raise
    if host_allowed_anywhere(host):
        return infos
    for info in infos:
        address = info[4][0].split("%")[0]  # an IPv6 scope ("fe80::1%eth0") is not part of the number
        if _refused(ipaddress.ip_address(address)):
            raise AddressRefused(
                _(
                    "%(host)s is an address of this machine or of the internal network (%(address)s): "
                    "robots may post to public addresses only. An administrator can allow it with the "
                    "setting GENDAN_WEBHOOK_ALLOW_PRIVATE or GENDAN_WEBHOOK_ALLOWED_HOSTS."
                )
                % {"host": host, "address": address}
            )
    return infos


def url_problem(url: str) -> str | None:
    """Why a robot may not post to `url` (a message for the form or the API), or None."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"}:
        return _("The address must start with https://.")
    host = parts.hostname
    if not host:
        return _("The address has no host name.")
    if host_allowed_anywhere(host):
        return None
    try:
        checked_addresses(host, parts.port, unresolved_ok=True)
    except AddressRefused as exc:
        return str(exc)
    except ValueError:  # a port out of range, a malformed number
        return _("The address is not valid.")
    return None


def guarded_create_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
    """socket.create_connection, connecting only to addresses checked just now (the resolution the
    connection uses is the one that was checked)."""
    host, port = address[0], address[1]
    last_error: OSError | None = None
    for family, kind, proto, _name, sockaddr in checked_addresses(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            last_error = exc
            sock.close()
    raise last_error or OSError(f"no address for {host}")

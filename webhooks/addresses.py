"""Where a webhook may send: not into our own network (SSRF).

A hook's URL is chosen by a workspace PM, and the app POSTs to it from inside the server's
network, so an address on that network (loopback, private, link-local — the cloud metadata
service at 169.254.169.254 among them —, multicast, reserved, unspecified) is refused:

- at save (form and API), for a URL whose host is such an address or ``localhost``: a clear
  error on the URL field. A name is not resolved at save (what it resolves to can change);
- at each delivery, after resolving the name: every address it resolves to must be public, and
  the request connects to the address that was checked (``pinned_connection``), so a DNS answer
  that changes between the check and the connection (DNS rebinding) cannot reach inside. No
  proxy and no redirect is followed either.

``WEBHOOK_ALLOW_PRIVATE_HOSTS`` (env, default off) allows private and loopback receivers: for
tests, ``make run`` and on-premise installs whose partners are on the same network. The metadata
address, multicast and unspecified addresses stay refused even then.
"""
import http.client
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

SCHEMES = ("http", "https")
METADATA = ipaddress.ip_address("169.254.169.254")
LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
# Stored in the delivery log untranslated (a worker has no user's language) and translated
# when the log is shown (templates/webhooks/detail.html).
REFUSED = gettext_noop("Not sent: the receiver's address is inside the server's network "
                       "(loopback, private, link-local or reserved), which webhooks may not reach.")
UNRESOLVED = gettext_noop("Not sent: the receiver's host name does not resolve.")


class Refused(Exception):
    pass


def _literal(host):
    """The IP address written in ``host`` (also the legacy forms 2130706433 or 0x7f.1), or None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        pass
    try:
        return ipaddress.ip_address(socket.inet_aton(host))
    except (OSError, ValueError):
        return None


def refused(ip):
    """Whether a webhook may not be sent to ``ip`` (an ipaddress address)."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip == METADATA or ip.is_multicast or ip.is_unspecified:
        return True
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return False
    return not ip.is_global or ip.is_reserved


def validate_webhook_url(url):
    """The save-time check (a model field validator): the scheme, and a host that is not, as
    written, an address inside the server's network."""
    parts = urlsplit(url or "")
    if parts.scheme.lower() not in SCHEMES:
        raise ValidationError(_("Use an http:// or https:// address."), code="scheme")
    host = (parts.hostname or "").rstrip(".").lower()
    ip = _literal(host)
    local_name = host in LOCAL_NAMES or host.endswith(".localhost")
    if (ip is not None and refused(ip)) or (local_name and not settings.WEBHOOK_ALLOW_PRIVATE_HOSTS):
        raise ValidationError(
            _("This address is inside the server's network (loopback, private, link-local or the cloud "
              "metadata service): webhooks can only be sent to a receiver on the internet."), code="private")


def resolve(host, port):
    """The first address ``host`` resolves to, when every address it resolves to may be reached."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise Refused(UNRESOLVED) from error
    addresses = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    if not addresses or any(refused(ip) for ip in addresses):
        raise Refused(REFUSED)
    return str(addresses[0])


def pinned_connection(url, timeout):
    """(an http.client connection to the checked address of ``url``'s host, the path to POST to).

    The Host header, TLS SNI and certificate check still use the name in the URL."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES or not parts.hostname:
        raise Refused(REFUSED)
    port = parts.port or (443 if scheme == "https" else 80)
    address = resolve(parts.hostname, port)
    kind = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname, port, timeout=timeout)

    def connect_to_checked_address(_address, *args, **kwargs):
        return socket.create_connection((address, port), *args, **kwargs)
    connection._create_connection = connect_to_checked_address
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return connection, path

"""Outbound HTTP: fetch JSON from another API without becoming a proxy into our own network.

Every request a client can steer (a URL in a request body) goes through `fetch_json`, which
refuses non-http(s) schemes, resolves the host itself and refuses link-local and cloud-metadata
addresses always and loopback/private ranges unless `outbound_allow_private` is set, connects to
the address it checked (so a second DNS answer cannot point elsewhere), follows no redirect
without checking it the same way, and stops at a time and size limit.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import socket
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import anyio
import httpx

from mijnzaken.core import clock
from mijnzaken.core.errors import InvalidParam, ValidationFailed
from mijnzaken.core.settings import Settings

MAX_BYTES = 1024 * 1024
MAX_REDIRECTS = 3

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Refused whatever the settings say: link-local (which holds most metadata services) and the
# metadata addresses of clouds that put theirs elsewhere.
_ALWAYS_REFUSED = (
    ipaddress.ip_network("169.254.0.0/16"),
    ipaddress.ip_network("fe80::/10"),
    ipaddress.ip_network("fd00:ec2::254/128"),  # AWS IMDS over IPv6
    ipaddress.ip_network("100.100.100.200/32"),  # Alibaba Cloud
    ipaddress.ip_network("192.0.0.192/32"),  # Oracle Cloud
    ipaddress.ip_network("0.0.0.0/8"),
    ipaddress.ip_network("::/128"),
)
# Refused unless `outbound_allow_private` (development, tests, an intranet selectielijst).
_PRIVATE = (
    ipaddress.ip_network("127.0.0.0/8"),
    ipaddress.ip_network("::1/128"),
    ipaddress.ip_network("10.0.0.0/8"),
    ipaddress.ip_network("172.16.0.0/12"),
    ipaddress.ip_network("192.168.0.0/16"),
    ipaddress.ip_network("100.64.0.0/10"),
    ipaddress.ip_network("fc00::/7"),
)


class OutboundError(Exception):
    """A remote resource could not be fetched safely; `code` and `reason` go to invalidParams."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason
        super().__init__(f"{code}: {reason}")

    def invalid(self, field: str) -> ValidationFailed:
        """The 400 that names the request field whose URL failed."""
        return ValidationFailed([InvalidParam(field, self.code, self.reason)])


def check_address(address: IPAddress, *, allow_private: bool) -> None:
    """Refuse an address we must never connect to on a client's behalf."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in net for net in _ALWAYS_REFUSED) or address.is_link_local:
        raise OutboundError("forbidden-address", "De URL verwijst naar een verboden adres.")
    if allow_private:
        return
    if (
        any(address in net for net in _PRIVATE)
        or address.is_private
        or address.is_loopback
        or address.is_reserved
        or address.is_multicast
        or address.is_unspecified
    ):
        raise OutboundError("forbidden-address", "De URL verwijst naar een intern adres.")


async def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OutboundError("bad-url", "De host van de URL is onbekend.") from exc
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        addr = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if addr not in addresses:
            addresses.append(addr)
    if not addresses:
        raise OutboundError("bad-url", "De host van de URL is onbekend.")
    return addresses


async def _checked_target(url: str, settings: Settings) -> tuple[str, str, str]:
    """(URL with the checked IP as host, Host header, TLS server name) for `url`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise OutboundError("bad-url", "Voer een geldige URL in.") from exc
    if parts.scheme not in ("http", "https"):
        raise OutboundError("bad-url", "Alleen http- en https-URL's zijn toegestaan.")
    host = parts.hostname
    if not host or parts.username or parts.password:
        raise OutboundError("bad-url", "Voer een geldige URL in.")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = await _resolve(host, port)
    for address in addresses:  # every answer: the resolver may hand out another one later
        check_address(address, allow_private=settings.outbound_allow_private)
    address = addresses[0]
    ip_host = f"[{address}]" if address.version == 6 else str(address)
    netloc = f"{ip_host}:{parts.port}" if parts.port else ip_host
    host_header = parts.netloc.rsplit("@", 1)[-1]
    pinned = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    return pinned, host_header, host


async def _get(client: httpx.AsyncClient, url: str, settings: Settings) -> tuple[int, str, bytes]:
    pinned, host_header, server_name = await _checked_target(url, settings)
    request = client.build_request(
        "GET",
        pinned,
        headers={"Host": host_header, "Accept": "application/json"},
        extensions={"sni_hostname": server_name},
    )
    response = await client.send(request, stream=True)
    try:
        if response.is_redirect:
            return response.status_code, response.headers.get("location", ""), b""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > MAX_BYTES:
                raise OutboundError("too-large", "Het antwoord van de URL is te groot.")
            chunks.append(chunk)
        return response.status_code, "", b"".join(chunks)
    finally:
        await response.aclose()


async def _fetch(url: str, settings: Settings) -> Any:
    timeout = httpx.Timeout(settings.outbound_timeout)
    # No compression: the size limit counts the bytes we would have to hold.
    headers = {"Accept-Encoding": "identity", "User-Agent": "MijnZaken"}
    async with httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, trust_env=False, headers=headers
    ) as client:
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            status, location, body = await _get(client, current, settings)
            if location:
                current = urljoin(current, location)
                continue
            if status == 404:
                raise OutboundError("bad-url", "De URL verwijst naar een onbestaande resource.")
            if status != 200:
                raise OutboundError("bad-url", f"De URL gaf een onverwacht antwoord ({status}).")
            try:
                return json.loads(body)
            except (ValueError, UnicodeDecodeError) as exc:
                raise OutboundError(
                    "invalid-resource", "De URL gaf geen geldige JSON terug."
                ) from exc
        raise OutboundError("bad-url", "De URL stuurt te vaak door.")


async def fetch_json(url: str, *, settings: Settings) -> Any:
    """GET `url` and parse its JSON body, within the SSRF, time and size limits."""
    try:
        # The httpx timeouts hold per read; this one bounds the whole exchange (slow drip).
        return await asyncio.wait_for(_fetch(url, settings), timeout=settings.outbound_timeout)
    except TimeoutError as exc:
        raise OutboundError("bad-url", "De URL antwoordde niet op tijd.") from exc
    except httpx.HTTPError as exc:
        raise OutboundError("bad-url", "De URL kon niet opgehaald worden.") from exc


# --- POSTs to URLs a client registered (webhooks) ------------------------------------------
#
# Deliveries run at a thousand or more per second per process, so they use aiohttp's pooled,
# keep-alive client (docs/adr/0004). The SSRF rules are the same as above: a resolver that
# checks every address it hands the connector (so the connection goes to a checked address and
# TLS still verifies the host name), IP literals checked before the request, no redirects,
# a time limit on the whole exchange and a size limit on what is read back.

RESPONSE_LIMIT = 64 * 1024
STREAM_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Answer:
    """What a webhook answered."""

    status: int
    latency_ms: int


@dataclass(frozen=True)
class Reply:
    """What a remote API answered to `Sender.exchange`: the status and the body (at most
    RESPONSE_LIMIT bytes)."""

    status: int
    body: bytes
    latency_ms: int

    def json(self) -> Any:
        """The body as JSON; raises OutboundError when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise OutboundError("invalid-resource", "Het antwoord is geen geldige JSON.") from exc


class _CheckingResolver:
    """aiohttp resolver that refuses hosts resolving to addresses we must not call."""

    def __init__(self, allow_private: bool) -> None:
        import aiohttp

        self.allow_private = allow_private
        self.inner = aiohttp.ThreadedResolver()

    async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> Any:
        infos = await self.inner.resolve(host, port, socket.AddressFamily(family))
        for info in infos:
            check_address(ipaddress.ip_address(info["host"]), allow_private=self.allow_private)
        return infos

    async def close(self) -> None:
        await self.inner.close()


def check_url(url: str, *, allow_private: bool) -> str:
    """Refuse a webhook URL by its form: http(s), a host, no credentials, no forbidden IP
    literal. Returns the host (a name is checked when it is resolved)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise OutboundError("bad-url", "Voer een geldige URL in.") from exc
    if parts.scheme not in ("http", "https"):
        raise OutboundError("bad-url", "Alleen http- en https-URL's zijn toegestaan.")
    host = parts.hostname
    if not host or parts.username or parts.password:
        raise OutboundError("bad-url", "Voer een geldige URL in.")
    try:
        literal = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return host
    check_address(literal, allow_private=allow_private)
    return host


async def check_host(url: str, *, allow_private: bool) -> None:
    """`check_url` plus the resolution of a host name: for refusing a webhook at registration."""
    host = check_url(url, allow_private=allow_private)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    for address in await _resolve(host, port):
        check_address(address, allow_private=allow_private)


class Sender:
    """Pooled POSTs within the SSRF, time and size limits; one per dispatcher process.

    `trusted` is for the URL an operator configured (a remote Notificaties API on the
    intranet): no address checks there, the limits still hold."""

    def __init__(
        self, settings: Settings, *, trusted: bool = False, connections: int = 100
    ) -> None:
        self.settings = settings
        self.trusted = trusted
        self.connections = connections
        self._session: Any = None
        self._allowed: set[str] = set()  # URLs whose form passed check_url

    def _client(self) -> Any:
        import aiohttp

        if self._session is None or self._session.closed:
            allow = self.settings.outbound_allow_private
            connector = aiohttp.TCPConnector(
                limit=self.connections,
                limit_per_host=self.connections,
                ttl_dns_cache=30,
                resolver=None if self.trusted else _CheckingResolver(allow),  # type: ignore[arg-type]
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                timeout=aiohttp.ClientTimeout(total=self.settings.outbound_timeout),
                headers={"User-Agent": "MijnZaken", "Accept-Encoding": "identity"},
                auto_decompress=False,
                trust_env=False,
            )
        return self._session

    async def post(self, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        """POST `body` to `url`; raises OutboundError when it cannot be sent or answered."""
        return await self.send("POST", url, body, headers)

    async def delete(self, url: str, headers: dict[str, str]) -> Answer:
        """DELETE `url`; raises OutboundError when it cannot be sent or answered."""
        return await self.send("DELETE", url, None, headers)

    async def send(
        self, method: str, url: str, body: bytes | None, headers: dict[str, str]
    ) -> Answer:
        """Send one request and read (at most RESPONSE_LIMIT of) its answer; raises
        OutboundError when it cannot be sent or answered."""

        if not self.trusted and url not in self._allowed:
            check_url(url, allow_private=self.settings.outbound_allow_private)
            if len(self._allowed) > 10_000:
                self._allowed.clear()
            self._allowed.add(url)
        started = clock.started()
        with _failures():
            async with self._client().request(
                method, url, data=body, headers=headers, allow_redirects=False
            ) as response:
                data = await response.content.read(RESPONSE_LIMIT + 1)
                if len(data) > RESPONSE_LIMIT:
                    response.close()  # do not reuse a connection with unread data
                return Answer(response.status, clock.ms_since(started))

    async def exchange(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None = None
    ) -> Reply:
        """One request of any method to a remote API, within the same SSRF, time and size
        limits as `post`; returns the status and the body whatever the status. Raises
        OutboundError when it cannot be sent, answered, or the answer is too large."""

        if not self.trusted:
            check_url(url, allow_private=self.settings.outbound_allow_private)
        started = clock.started()
        with _failures():
            async with self._client().request(
                method, url, data=body, headers=headers, allow_redirects=False
            ) as response:
                data = await _body(response, RESPONSE_LIMIT)
                return Reply(response.status, data, clock.ms_since(started))

    async def get_json(self, url: str, headers: dict[str, str]) -> Any:
        """GET `url` and parse its JSON (at most MAX_BYTES); raises OutboundError."""

        if not self.trusted:
            check_url(url, allow_private=self.settings.outbound_allow_private)
        with _failures():
            async with self._client().get(url, headers=headers, allow_redirects=False) as response:
                data = await _body(response, MAX_BYTES)
                if response.status != 200:
                    raise OutboundError("bad-url", f"Onverwacht antwoord ({response.status}).")
                return json.loads(data)

    async def get_json_unless(
        self, url: str, headers: dict[str, str], etag: str | None
    ) -> tuple[Any | None, str | None]:
        """GET `url` as `get_json`, asking If-None-Match `etag` when one is given: the body
        (None when the remote answered 304 Not Modified: what it gave under `etag` holds)
        and the answer's ETag (None when it sent none). Raises OutboundError."""

        if not self.trusted:
            check_url(url, allow_private=self.settings.outbound_allow_private)
        if etag is not None:
            headers = {**headers, "If-None-Match": etag}
        with _failures():
            async with self._client().get(url, headers=headers, allow_redirects=False) as response:
                data = await _body(response, MAX_BYTES)
                given = response.headers.get("ETag")
                if response.status == 304 and etag is not None:
                    return None, given or etag
                if response.status != 200:
                    raise OutboundError("bad-url", f"Onverwacht antwoord ({response.status}).")
                return json.loads(data), given

    async def stream(
        self, url: str, headers: dict[str, str], *, close_sender: bool = False
    ) -> Stream:
        """GET `url` and hand back its answer unread, to be passed on chunk by chunk (a
        document's content: no size limit, so the time limit holds per connect and per read,
        not for the whole body). A non-200 answer raises OutboundError (`bad-url`), as does
        one that cannot be sent. `close_sender`: the stream closes this sender when it ends."""
        import aiohttp

        if not self.trusted:
            check_url(url, allow_private=self.settings.outbound_allow_private)
        limit = self.settings.outbound_timeout
        timeout = aiohttp.ClientTimeout(total=None, connect=limit, sock_read=limit)
        with _failures():
            response = await self._client().get(
                url, headers=headers, allow_redirects=False, timeout=timeout
            )
        if response.status != 200:
            response.close()
            raise OutboundError("bad-url", f"Onverwacht antwoord ({response.status}).")
        return Stream(response, self if close_sender else None)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


@contextlib.contextmanager
def _failures() -> Iterator[None]:
    """Whatever goes wrong while sending, as an OutboundError: a timeout, an address the
    resolver refused (with its own code), a connection that could not be made or broke."""
    import aiohttp

    try:
        yield
    except OutboundError:
        raise
    except TimeoutError as exc:
        raise OutboundError("timeout", "Geen antwoord binnen de tijdslimiet.") from exc
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, OutboundError):
            raise exc.os_error from exc
        raise OutboundError("unreachable", "Verbinding geweigerd of onbereikbaar.") from exc
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        raise OutboundError("unreachable", f"Verbinding mislukt ({type(exc).__name__}).") from exc


async def _body(response: Any, limit: int) -> bytes:
    """The whole body of an aiohttp response, refused (too-large) past `limit` bytes;
    read(n) returns what has arrived, not n bytes, so it is read to the end or the limit."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > limit:
            response.close()  # do not reuse a connection with unread data
            raise OutboundError("too-large", "Het antwoord van de URL is te groot.")
        chunks.append(chunk)
    return b"".join(chunks)


class Stream:
    """An answer of `Sender.stream`, read chunk by chunk (flat memory). `chunks` releases the
    connection when it ends, fails or is abandoned; `close` does so for one not read."""

    def __init__(self, response: Any, sender: Sender | None) -> None:
        self.status: int = response.status
        self.length: int | None = response.content_length
        self._response = response
        self._sender = sender

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body, chunk by chunk; an error on the way propagates (the receiver must not
        take a cut-off body for the whole)."""
        try:
            async for chunk in self._response.content.iter_chunked(STREAM_CHUNK):
                yield chunk
        finally:
            await self.close()

    async def close(self) -> None:
        self._response.close()
        sender, self._sender = self._sender, None
        if sender is not None:
            # also when the receiver went away and the task is being cancelled
            with anyio.CancelScope(shield=True):
                await sender.close()

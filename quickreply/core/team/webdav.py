"""The WebDAV drop: day files on any WebDAV server (nginx or Apache dav, Nextcloud ...).

Stdlib http.client on one kept-alive connection. Every request has a total deadline: the socket
timeout is set to what is left of it before each blocking step, so a server that trickles bytes
cannot hold a publish or a report longer than `timeout_s`. A file is written whole or not at all:
PUT to a temp name, then MOVE onto the day's name; a server without MOVE gets a PUT guarded by
If-Match (the ETag we just saw) or If-None-Match: * (no file yet).

Listing is one PROPFIND Depth: infinity where the server allows it (WsgiDAV, Nextcloud), else
PROPFIND Depth 1 on every agent folder, several at once. Each thread has its own kept-alive
connection, so a report's readers GET files in parallel.
"""

from __future__ import annotations

import base64
import http.client
import secrets
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, unquote, urlsplit

from quickreply.core.team.drop import AGENT_ID, DayRef, DropError, parse_day

DAV = "{DAV:}"
_PROPFIND_BODY = (
    b'<?xml version="1.0" encoding="utf-8"?>'
    b'<propfind xmlns="DAV:"><prop><resourcetype/><getcontentlength/><getetag/>'
    b"<getlastmodified/></prop></propfind>"
)
_NO_MOVE = (403, 405, 501)
LIST_WORKERS = 8  # agent folders listed at once when Depth: infinity is refused


@dataclass(frozen=True)
class Member:
    """One member of a collection in a PROPFIND answer."""

    path: str  # below the drop's root, e.g. "<agent-id>/2026-12-01.jsonl"
    is_folder: bool
    size: int | None
    stamp: str  # the ETag, else last-modified and size; "" when the server tells neither


class HttpError(DropError):
    """The server answered, with a status the request does not accept."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class _StaleConnection(Exception):
    """The server had closed the kept-alive connection before this request."""


class WebDavDrop:
    """A team drop on a WebDAV server, at the collection `url`."""

    def __init__(
        self, url: str, user: str = "", password: str | None = None, timeout_s: float = 20.0
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise DropError(f"'{url}' is not an http(s) URL")
        self.location = url
        self.timeout_s = timeout_s
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._base = parts.path.rstrip("/") + "/"
        self._headers = {"User-Agent": "QuickReply team drop"}
        if user:
            token = base64.b64encode(f"{user}:{password or ''}".encode()).decode("ascii")
            self._headers["Authorization"] = f"Basic {token}"
        self._local = threading.local()  # one kept-alive connection per thread

    @property
    def _conn(self) -> http.client.HTTPConnection | None:
        conn: http.client.HTTPConnection | None = getattr(self._local, "conn", None)
        return conn

    @_conn.setter
    def _conn(self, conn: http.client.HTTPConnection | None) -> None:
        self._local.conn = conn

    # -- the drop protocol -------------------------------------------------------------------

    def put(self, agent_id: str, day: date, data: bytes) -> None:
        """Publish one day file whole: PUT to a temp name + MOVE (or a guarded PUT)."""
        folder = self._base + quote(agent_id) + "/"
        final = folder + f"{day.isoformat()}.jsonl"
        temp = folder + f".{day.isoformat()}.jsonl.{secrets.token_hex(4)}.tmp"
        status = self._request("PUT", temp, data, ok=(201, 204, 409))[0]
        if status == 409:  # the agent's folder does not exist yet
            self._request("MKCOL", folder, ok=(201, 405))
            self._request("PUT", temp, data, ok=(201, 204))
        status = self._request(
            "MOVE",
            temp,
            headers={"Destination": self._url(final), "Overwrite": "T"},
            ok=(201, 204, *_NO_MOVE),
        )[0]
        if status in _NO_MOVE:
            self._request("DELETE", temp, ok=(200, 204, 404))
            self._guarded_put(final, data)

    def list_days(self) -> Iterator[DayRef]:
        """Yield every day file, agent folder by agent folder (sorted, so reports are stable)."""
        try:
            members = self._propfind(self._base, "infinity")
        except HttpError as exc:
            if exc.status in (401, 407):
                raise  # a refused password is refused at any depth
            members = None  # refused (Apache's default, nginx dav_ext): one folder at a time
        if members is None:
            yield from self._list_by_folder()
            return
        by_agent: dict[str, list[Member]] = {}
        for member in members:
            agent_id, _, name = member.path.partition("/")
            if not member.is_folder and AGENT_ID.match(agent_id) and "/" not in name:
                by_agent.setdefault(agent_id, []).append(member)
        for agent_id in sorted(by_agent):
            yield from self._day_refs(agent_id, by_agent[agent_id])

    def probe(self) -> int:
        """Return how many agent folders the drop holds (one PROPFIND Depth 1); raise DropError."""
        return len(self._agents())

    def _agents(self) -> list[str]:
        return sorted(
            m.path for m in self._propfind(self._base) if m.is_folder and AGENT_ID.match(m.path)
        )

    def _list_by_folder(self) -> Iterator[DayRef]:
        agents = self._agents()

        def listing(agent_id: str) -> list[Member]:
            try:
                return self._propfind(self._base + quote(agent_id) + "/")
            except DropError:
                return []  # a folder removed while we read

        with ThreadPoolExecutor(LIST_WORKERS, thread_name_prefix="team-list") as pool:
            for agent_id, members in zip(agents, pool.map(listing, agents)):
                yield from self._day_refs(agent_id, members)

    def _day_refs(self, agent_id: str, members: list[Member]) -> Iterator[DayRef]:
        folder = self._base + quote(agent_id) + "/"
        for member in sorted(members, key=lambda m: m.path):
            name = member.path.rsplit("/", 1)[-1]
            day = None if member.is_folder else parse_day(name)
            if day is not None:
                yield DayRef(agent_id, day, folder + quote(name), member.size, member.stamp)

    def read(self, ref: DayRef, limit: int | None = None) -> bytes:
        """GET one day file (its first `limit` bytes with a Range request)."""
        if limit is None:
            return self._request("GET", ref.ref, ok=(200,))[2]
        headers = {"Range": f"bytes=0-{limit - 1}"}
        return self._request("GET", ref.ref, headers=headers, ok=(200, 206))[2][:limit]

    # -- HTTP ----------------------------------------------------------------------------------

    def _guarded_put(self, path: str, data: bytes) -> None:
        for _attempt in range(3):
            status, headers, _ = self._request("HEAD", path, ok=(200, 404))
            etag = headers.get("etag")
            guard = {"If-Match": etag} if status == 200 and etag else {"If-None-Match": "*"}
            if self._request("PUT", path, data, headers=guard, ok=(200, 201, 204, 412))[0] != 412:
                return
        raise DropError(f"{self._url(path)}: changed by someone else during every try")

    def _propfind(self, path: str, depth: str = "1") -> list[Member]:
        """Return the members of the collection at `path` (all below it for Depth infinity)."""
        body = self._request(
            "PROPFIND",
            path,
            _PROPFIND_BODY,
            headers={"Depth": depth, "Content-Type": "application/xml; charset=utf-8"},
            ok=(207,),
        )[2]
        try:
            root = ET.fromstring(body)
        except ET.ParseError as exc:
            raise DropError(f"{self._url(path)}: the server's listing is not XML ({exc})") from exc
        own = unquote(path).rstrip("/")
        base = unquote(self._base)
        members = []
        for response in root.iter(f"{DAV}response"):
            href = unquote(urlsplit(response.findtext(f"{DAV}href") or "").path).rstrip("/")
            if not href or href == own or not href.startswith(base):
                continue
            is_folder = response.find(f".//{DAV}resourcetype/{DAV}collection") is not None
            length = (response.findtext(f".//{DAV}getcontentlength") or "").strip()
            size = int(length) if length.isdigit() else None
            etag = (response.findtext(f".//{DAV}getetag") or "").strip()
            modified = (response.findtext(f".//{DAV}getlastmodified") or "").strip()
            stamp = etag or (f"{modified}|{size}" if modified else "")
            members.append(Member(href[len(base) :], is_folder, size, stamp))
        return members

    def _url(self, path: str) -> str:
        port = f":{self._port}" if self._port else ""
        return f"{'https' if self._https else 'http'}://{self._host}{port}{path}"

    def _connection(self, timeout: float) -> http.client.HTTPConnection:
        if self._conn is None:
            kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            self._conn = kind(self._host, self._port, timeout=timeout)
        return self._conn

    def _request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        ok: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], bytes]:
        """Send one request within the total deadline; return (status, headers, body).

        A kept-alive connection the server closed while idle is noticed on its next use: that
        request is sent once more on a new connection.
        """
        if self._conn is not None:
            try:
                return self._exchange(method, path, body, headers, ok)
            except _StaleConnection:
                pass
        return self._exchange(method, path, body, headers, ok)

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str] | None,
        ok: tuple[int, ...],
    ) -> tuple[int, dict[str, str], bytes]:
        reused = self._conn is not None
        deadline = time.monotonic() + self.timeout_s

        def left() -> float:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer within {self.timeout_s:g} s")
            return remaining

        try:
            conn = self._connection(left())
            if conn.sock is not None:
                conn.sock.settimeout(left())
            try:
                conn.request(method, path, body, {**self._headers, **(headers or {})})
                if conn.sock is not None:
                    conn.sock.settimeout(left())
                response = conn.getresponse()
            except (BrokenPipeError, ConnectionResetError, http.client.RemoteDisconnected):
                if not reused:
                    raise
                self._close()
                raise _StaleConnection() from None
            chunks = []
            while True:
                if conn.sock is not None:
                    conn.sock.settimeout(left())
                chunk = response.read(65536)
                if not chunk:
                    break
                chunks.append(chunk)
            status = response.status
            reply_headers = {k.lower(): v for k, v in response.getheaders()}
            if response.will_close:
                self._close()
        except (OSError, http.client.HTTPException) as exc:
            self._close()
            raise DropError(f"{method} {self._url(path)}: {exc or type(exc).__name__}") from exc
        if status not in ok:
            hint = " (user name or password refused)" if status in (401, 403) else ""
            raise HttpError(
                f"{method} {self._url(path)}: HTTP {status} {response.reason}{hint}", status
            )
        return status, reply_headers, b"".join(chunks)

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

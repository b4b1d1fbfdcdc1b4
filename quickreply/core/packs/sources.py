"""Where packs come from: an http(s) URL, or a file on this computer or a shared network drive.

A fetch sends what it learnt last time (ETag and Last-Modified for URLs; size and modification
time for files), so an unchanged pack costs one small request and is never downloaded again.
"""

from __future__ import annotations

import http.client
import os
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from quickreply import __version__
from quickreply.core.errors import QuickReplyError, ValidationError
from quickreply.core.packs.deadline import (
    DEFAULT_DEADLINE_S,
    DeadlineWatch,
    read_capped,
    watched_opener,
)

HTTP_TIMEOUT_S = 20.0
USER_AGENT = f"QuickReply/{__version__} (pack subscription)"


class SourceError(QuickReplyError):
    """A pack source that cannot be read. `offline` is true for network or share outages
    (the installed version simply keeps working) and false for a definite answer such as 404.
    """

    def __init__(self, message: str, *, offline: bool) -> None:
        self.offline = offline
        super().__init__(message)


@dataclass(frozen=True)
class Validators:
    """What a source said about its content last time; sent back to learn whether it changed."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """The result of a fetch: unchanged (no data), or the new bytes and their validators."""

    changed: bool
    data: bytes
    validators: Validators


def is_url(location: str) -> bool:
    """Return whether `location` is an http(s) URL (anything else is a path)."""
    return urllib.parse.urlsplit(location).scheme.lower() in ("http", "https")


def is_shared_path(location: str) -> bool:
    """Return whether `location` names a network share (``\\\\server\\share`` or ``//server/share``)
    or a ``file://`` URL: such sources are subscriptions, like URLs.
    """
    return location.startswith(("\\\\", "//", "file://"))


def normalize(location: str) -> str:
    """Return the form a source is remembered by: URLs as given, paths made absolute."""
    if is_url(location):
        return location
    return os.path.abspath(_path_of(location))


def _path_of(location: str) -> Path:
    if location.startswith("file://"):
        parsed = urllib.parse.urlsplit(location)
        host = f"//{parsed.netloc}" if parsed.netloc not in ("", "localhost") else ""
        return Path(urllib.request.url2pathname(host + parsed.path))
    return Path(location)


def fetch(
    location: str,
    validators: Validators | None = None,
    *,
    max_bytes: int,
    timeout: float = HTTP_TIMEOUT_S,
    deadline: float = DEFAULT_DEADLINE_S,
) -> Fetched:
    """Read `location` unless it is unchanged since `validators`; at most `max_bytes` bytes,
    within `deadline` seconds in all (`timeout` bounds each single read).

    Raises SourceError (offline, too slow, a malformed answer or a definite refusal) and
    ValidationError (too large).
    """
    if is_url(location):
        return _fetch_url(location, validators, max_bytes, min(timeout, deadline), deadline)
    return _fetch_path(_path_of(location), validators, max_bytes)


def _fetch_url(
    url: str, validators: Validators | None, max_bytes: int, timeout: float, deadline: float
) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if validators and validators.etag:
        request.add_header("If-None-Match", validators.etag)
    if validators and validators.last_modified:
        request.add_header("If-Modified-Since", validators.last_modified)
    watch: DeadlineWatch | None = None
    try:
        with (
            watched_opener(deadline) as (opener, watch),
            opener.open(request, timeout=timeout) as response,
        ):
            data = read_capped(response, max_bytes)
            found = Validators(
                _header(response.headers.get("ETag")),
                _header(response.headers.get("Last-Modified")),
            )
        if watch.expired:
            raise TimeoutError("deadline")
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return Fetched(False, b"", validators or Validators())
        raise SourceError(
            f"{url} answered HTTP {exc.code} {exc.reason}", offline=exc.code >= 500
        ) from exc
    except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:
        if watch is not None and watch.expired:
            raise SourceError(
                f"{url} did not finish within {deadline:.0f} s (setting download_deadline_s); "
                "nothing was changed",
                offline=True,
            ) from exc
        if isinstance(exc, http.client.HTTPException):
            raise SourceError(
                f"{url} sent a malformed HTTP answer ({_http_problem(exc)})", offline=False
            ) from exc
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"{url} is unreachable ({reason})", offline=True) from exc
    if len(data) > max_bytes:
        raise ValidationError(f"{url} is larger than the {max_bytes // 1_048_576} MB pack limit")
    return Fetched(True, data, found)


def _header(value: str | None) -> str | None:
    """A validator header worth sending back: short, printable text (else forgotten)."""
    if value is None or len(value) > 512 or not value.isprintable():
        return None
    return value


def _http_problem(exc: http.client.HTTPException) -> str:
    name = type(exc).__name__
    text = "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in str(exc)[:80])
    described = {
        "BadStatusLine": "not an HTTP status line",
        "RemoteDisconnected": "the server closed the connection without answering",
        "LineTooLong": "a header line is too long",
        "IncompleteRead": "the body ended early",
    }.get(name)
    if "more than" in text and "headers" in text:
        described = "too many header lines"
    return f"{described}: {text}" if described and text else (described or f"{name}: {text}")


def _fetch_path(path: Path, validators: Validators | None, max_bytes: int) -> Fetched:
    try:
        stat = path.stat()
        stamp = f"{stat.st_mtime_ns}-{stat.st_size}"
        if validators and validators.etag == stamp:
            return Fetched(False, b"", validators)
        if stat.st_size > max_bytes:
            raise ValidationError(
                f"{path} is larger than the {max_bytes // 1_048_576} MB pack limit"
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        # a missing file on an unmounted share looks the same as a deleted one: keep the pack
        raise SourceError(f"{path} is not there (share offline, or moved?)", offline=True) from exc
    except OSError as exc:
        raise SourceError(f"cannot read {path}: {exc.strerror or exc}", offline=True) from exc
    return Fetched(True, data, Validators(etag=stamp))


def resolve(base: str, relative: str) -> str:
    """Return the location of `relative` (a file named in an index) next to the index at `base`.

    Raises ValidationError for a name that climbs out of the index's folder.
    """
    parts = relative.replace("\\", "/").split("/")
    if is_url(relative):
        return relative
    if relative.startswith(("/", "\\")) or ".." in parts or ":" in relative:
        raise ValidationError(f"index entry '{relative}' points outside the index's folder")
    if is_url(base):
        return urllib.parse.urljoin(base, urllib.parse.quote(relative))
    return str(_path_of(base).parent / Path(*parts))

"""Giving memory back to the operating system after start-up's one-off work.

PySide6's import hook (shibokensupport's `feature_imported`) reads the source of every module
imported after PySide6 with `inspect.getsource`, which leaves all of it in `linecache`: about
8 MB of text nobody reads again (a traceback re-reads what it needs). Building the search index
makes many short-lived objects; glibc's allocator keeps their freed pages in the process, and
`malloc_trim(0)` hands them back (elsewhere: Windows, macOS, musl, nothing to do).
"""

from __future__ import annotations

import ctypes
import gc
import linecache
import sys


def release_free_memory() -> None:
    """Drop cached source lines, collect garbage and return free heap pages to the system."""
    linecache.clearcache()
    gc.collect()
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim(0)

"""``gc_paused``: the cyclic garbage collector paused while trees and findings are built."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the section; nested and concurrent
    sections (in any thread) share one pause, which ends with the last of them.

    Why: trees are many small objects without reference cycles, and the collector's
    passes over the growing heap made a full parse several times slower."""
    global _paused, _was_enabled
    with _pause_lock:  # threads (the workspace reader) pause it together
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pause_lock:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()


_pause_lock = threading.Lock()
_paused = 0  # sections open, in all threads
_was_enabled = True

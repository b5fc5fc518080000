"""Time and memory budgets for readers and fetchers: a hostile input costs at most its budget.

Two layers. Inside a reader, every decompression and decoding is capped (:meth:`Budget.cap`) and the
deadline is checked at record, page and chunk boundaries (:meth:`Budget.check`), so a bomb ends in a clean
:class:`OverBudget` naming what ran over. Around readers whose parsing is third-party code (HTML, PDF,
WARC) and around every fetch, :func:`isolated` runs the work in a child process with a limit on the memory
it may add, and kills it at the deadline: even a pathological loop inside a C extension cannot hold the
command or the other inputs. Children are forked from a small fork server (started once, with the readers
preloaded) rather than from the command itself, which runs threads.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")
# Imported once by the fork server, so each child starts with the parsers loaded.
_PRELOAD = ["hague.evidence.readers", "hague.evidence.capture", "trafilatura", "pypdf", "warcio"]
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(_PRELOAD)


class OverBudget(Exception):
    """The input needs more time or memory than its budget; the message says which."""


class ChildFailed(Exception):
    """The isolated work raised something that could not be carried back as is; the message names it."""


@dataclass(frozen=True)
class Budget:
    """What one input may cost: seconds (wall clock), memory a child may add, bytes any stream may expand to."""

    seconds: float
    memory: int
    expanded: int
    started: float = field(default_factory=time.monotonic)

    def remaining(self) -> float:
        return self.seconds - (time.monotonic() - self.started)

    def check(self, what: str = "reading") -> None:
        if self.remaining() <= 0:
            raise OverBudget(f"{what} took longer than the budget of {self.seconds:g} s")

    def cap(self, size: int, what: str) -> None:
        """Raise when ``size`` bytes of ``what`` are more than any stream may expand to."""
        if size > self.expanded:
            raise OverBudget(f"{what} expands past the budget of {self.expanded:,} bytes")

    def restarted(self) -> Budget:
        """The same budget, its clock starting now (a child's clock starts when it runs)."""
        return Budget(self.seconds, self.memory, self.expanded)


_slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))  # children at once: one per core


def isolated(fn: Callable[..., T], *args: Any, budget: Budget, what: str = "reading") -> T:
    """``fn(*args, budget)`` in a child process held to ``budget``; its result or exception comes back here.

    Raises :class:`OverBudget` when the child runs past the deadline (it is killed) or out of memory, the
    child's own exception when it can be sent back, else :class:`ChildFailed` naming it.
    """
    with _slots:
        recv, send = _CONTEXT.Pipe(duplex=False)
        child = _CONTEXT.Process(target=_child, args=(fn, args, budget, what, send), daemon=True)
        child.start()
        send.close()
        try:
            if not recv.poll(max(0.0, budget.remaining())):
                raise OverBudget(f"{what} took longer than the budget of {budget.seconds:g} s and was stopped")
            try:
                status, value = recv.recv()
            except EOFError:
                child.join(5)
                if child.exitcode is not None and child.exitcode < 0:  # killed by a signal: CPU or memory limit
                    raise OverBudget(f"{what} ran out of its budget ({budget.seconds:g} s, {budget.memory:,} bytes "
                                     "of memory) and was stopped") from None
                raise ChildFailed(f"{what} died (exit code {child.exitcode})") from None
        finally:
            recv.close()
            if child.is_alive():
                child.kill()
            child.join()
    if status == "ok":
        return value  # type: ignore[no-any-return]
    raise value


def _child(fn: Callable[..., Any], args: tuple[Any, ...], budget: Budget, what: str, send: Any) -> None:
    _limit_memory(budget.memory)
    cpu = int(budget.seconds) + 2  # a backstop; the parent's deadline is the real limit
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    try:
        result: tuple[str, Any] = ("ok", fn(*args, budget.restarted()))
    except MemoryError:
        result = ("error", OverBudget(f"{what} needed more than the budget of {budget.memory:,} bytes of memory"))
    except BaseException as exc:  # everything goes back to the parent, which decides
        result = ("error", exc)
    try:
        send.send(result)
    except Exception as exc:  # the exception (or result) does not pickle: send its name and message
        send.send(("error", ChildFailed(f"{type(result[1]).__name__}: {result[1]}"[:500] if result[0] == "error"
                                        else f"result could not be returned: {exc}")))
    finally:
        send.close()


def _limit_memory(extra: int) -> None:
    """Cap the address space at what the child already maps plus ``extra`` bytes."""
    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # no /proc: cap the data segment instead
        resource.setrlimit(resource.RLIMIT_DATA, (extra, extra))
        return
    resource.setrlimit(resource.RLIMIT_AS, (mapped + extra, mapped + extra))

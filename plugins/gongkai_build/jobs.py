"""Background jobs of one build: work forked onto the other core while Pelican renders pages.

Two jobs use it: the search index (gongkai_search) and the column downloads (gongkai_columns).
A job is a forked process; what it returns comes back through a pipe; `wait` joins it and turns
a failure into a GongkaiError with the job's Chinese message; a build that fails for any other
reason stops every job still running (`Build.active`), so no process outlives its build. Where
fork is not available or there is one core, `can_fork()` is False and the caller does the work
itself.
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import logging
import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from gongkai_core.errors import GongkaiError


class JobFailed(GongkaiError):
    """A background job of the build failed; its error went to stderr."""


def record_text(record: logging.LogRecord) -> str:
    """A log record's message as the build reports it, with its exception's text (the build's error
    count and the records a forked process sends back say it the same way)."""
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        message = str(record.msg)
    if record.exc_info and record.exc_info[1] is not None:
        message = f"{message}: {record.exc_info[1]}"
    return message


def can_fork() -> bool:
    return (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods()


def _run(target: Callable, args: tuple, send) -> None:
    try:
        result = target(*args)
        send.send(result)
    finally:
        send.close()


@dataclass
class _Job:
    process: multiprocessing.Process
    receive: object
    failure: str  # what the build says when the job fails


@dataclass
class Jobs:
    running: dict[str, _Job] = field(default_factory=dict)
    frozen: bool = False  # the heap was frozen before a fork (see start)

    def start(self, name: str, target: Callable, args: tuple, failure: str) -> None:
        """Run `target(*args)` in a forked process; `failure` is the message when it fails."""
        self.stop(name)
        # What the build holds now is shared with the job until either side writes to it. A full
        # collection would write to every object (gc.freeze's documentation): the build's process
        # would copy its whole heap, page by page, and spend seconds walking it. Kept out of
        # collections until the build ends (`release`).
        gc.freeze()
        self.frozen = True
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_run, args=(target, args, send), daemon=True)
        process.start()
        send.close()
        self.running[name] = _Job(process, receive, failure)

    def __contains__(self, name: str) -> bool:
        return name in self.running

    def wait(self, name: str):
        """What the job `name` returned (None when no such job runs); JobFailed when it failed."""
        job = self.running.pop(name, None)
        if job is None:
            return None
        result = None
        try:
            result = job.receive.recv()
        except (EOFError, OSError):
            pass  # it failed before sending: its exit code says so below
        finally:
            job.receive.close()
        job.process.join()
        if job.process.exitcode != 0:
            raise JobFailed(f"{job.failure}（进程退出码 {job.process.exitcode}），构建已停止")
        return result

    def stop(self, name: str) -> None:
        job = self.running.pop(name, None)
        if job is not None:
            job.process.terminate()
            job.process.join()
            job.receive.close()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)

    def release(self) -> None:
        """The build is over: what it froze is collected again like anything else (inside
        `frozen_until_done`: once that block ends)."""
        if self.frozen:
            if not _HOLD.get():
                gc.unfreeze()
            self.frozen = False


_HOLD = contextvars.ContextVar("gongkai_hold_frozen", default=False)


@contextlib.contextmanager
def frozen_until_done() -> Iterator[None]:
    """A build ended inside this block leaves its heap frozen until the block ends: a publish's last
    steps (the check of the output, the record) allocate enough for a full collection, which would
    walk the whole heap of a 10k build (~0.7 s) just before the process is done with it."""
    token = _HOLD.set(True)
    try:
        yield
    finally:
        _HOLD.reset(token)
        if not _HOLD.get() and gc.get_freeze_count():
            gc.unfreeze()

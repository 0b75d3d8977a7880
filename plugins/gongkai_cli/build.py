"""Run a Pelican build the Gongkai way: every plugin loaded, every logged error fatal,
and for the public build, atomic: the new site is built aside and swapped in complete."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

from gongkai_build import jobs, staging
from gongkai_build.build import Build
from gongkai_build.record import BuildRecord
from gongkai_build.result import BuildResult
from gongkai_build.staging import DISK_ERRORS, disk_reason
from gongkai_core.errors import ContentError, GongkaiError, PublishAborted


class BuildFailed(GongkaiError):
    """Pelican reported errors; the messages say which."""


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        from gongkai_build.jobs import record_text

        self.messages.append(record_text(record))


def _settings(settings_file: str, output: Path, overrides: dict | None):
    from pelican.settings import read_settings

    override = {"OUTPUT_PATH": str(output)}
    override.update(overrides or {})
    return read_settings(settings_file, override=override)


def run_pelican(
    settings_file: str,
    output: Path,
    overrides: dict | None = None,
    quiet: bool = False,
    *,
    final_output: Path | None = None,
    previous_output: Path | None = None,
    previous_record: BuildRecord | None = None,
    only: list[str] | None = None,
) -> BuildResult:
    """Build into `output`. Raises GongkaiError on any failure (content, config, plugin, Pelican).

    `final_output`: the output this build will replace (page keys are computed for its record);
    `previous_output`: unchanged files are hard-linked from there; `previous_record`: that output's
    record (gongkai_build.record), whose unchanged entry pages are linked without rendering; `only`:
    read just these entries (content-relative paths, a fast rebuild). They make the run's `Build`,
    which the plugins read."""
    from pelican import Pelican

    start = time.monotonic()
    build = Build(
        Path(output),
        final_output=final_output,
        previous_output=previous_output,
        previous_record=previous_record,
        only=only,
    )
    counter = _ErrorCounter()
    root = logging.getLogger()
    root.addHandler(counter)
    # Warnings (problems of entries left out of a local build) are shown as they are: path:line: …
    from gongkai_core import termsafe

    shown = logging.StreamHandler(termsafe.wrap(sys.stderr))  # control characters shown, never sent
    shown.setLevel(logging.ERROR + 1 if quiet else logging.WARNING)
    shown.setFormatter(logging.Formatter("%(message)s"))
    # ours only (path:line: …); Pelican's own notes, such as one slug in two columns, are no news to editors
    shown.addFilter(lambda record: record.name.startswith("gongkai"))
    root.addHandler(shown)
    try:
        settings = _settings(settings_file, output, overrides)
        wanted = [p if isinstance(p, str) else p.__name__ for p in settings.get("PLUGINS") or []]
        with build.active():
            pelican = Pelican(settings)  # the gate reads and decides all content here
            loaded = set(pelican.settings["PLUGINS"])
            missing = [p for p in wanted if p not in loaded]
            if not (missing or counter.messages or build.read):
                raise BuildFailed("发布闸门插件 gongkai_gate 未加载：拒绝读取任何条目，构建已停止")
            if missing or counter.messages:
                raise BuildFailed(
                    "插件加载失败，构建已停止（闸门等插件缺失时绝不发布）："
                    + "、".join(missing or wanted)
                    + ("\n" + "\n".join(counter.messages) if counter.messages else "")
                )
            from pelican.log import console

            was_quiet, console.quiet = console.quiet, True  # Pelican's English “Done: Processed …”;
            try:  # our Chinese summary (完成：…) follows
                pelican.run()
                build.pages_written()  # (the sitemap waited for them already, when it was written)
            finally:
                console.quiet = was_quiet
        if counter.messages:
            raise BuildFailed("构建过程中出现错误：\n" + "\n".join(counter.messages))
        check_output(output, build, pelican.settings)
        site = build.site
        published = len(site.published())
        return BuildResult(
            output,
            time.monotonic() - start,
            published,
            len(site.entries) - published,
            len(site.problems),
            build.stats.linked,
            build.stats.skipped,
            build,
        )
    finally:
        root.removeHandler(counter)
        root.removeHandler(shown)


class UnplannedOutput(GongkaiError):
    """The finished tree holds a file the output plan does not list: nothing is published."""


def check_output(output: Path, state, settings) -> None:
    """The last step of every build: the finished tree against its allow-list (gongkai_core.outputplan)."""
    from gongkai_core.outputplan import check_tree
    from gongkai_gate.plan import output_plan

    files: dict[str, tuple[int, int, int]] = {}
    extra = check_tree(Path(output), output_plan(state, settings), stats=files)
    state.output_files = None if extra else files
    if extra:
        raise UnplannedOutput(
            "构建结果中有不在发布清单上的文件，为防止泄露未公开的内容，本次构建作废：\n  "
            + "\n  ".join(extra)
        )


def build(
    settings_file: str = "pelicanconf.py", output: str | Path = "output", overrides: dict | None = None
) -> BuildResult:
    """Local build: the same gate and the same build-aside-and-swap as publish, so a page of an
    entry that is no longer published never survives from an earlier build."""
    return publish(settings_file, output, overrides)


def publish(
    settings_file: str = "publishconf.py", output: str | Path = "output", overrides: dict | None = None
) -> BuildResult:
    """Build aside, then swap in. Whatever fails, the previous output stays exactly as it was.

    When only the bodies of some entries changed since the last complete build, only those are
    rendered (gongkai_build.fastrebuild); the result is the same site either way."""
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    # one build of an output at a time (`invoke serve` rebuilding while someone runs `invoke build`):
    # the next one waits, instead of removing the running one's staging folder as a leftover
    with staging.lock(output), jobs.frozen_until_done():
        return _publish(settings_file, output, overrides)


def _publish(settings_file: str, output: Path, overrides: dict | None) -> BuildResult:
    from gongkai_build import fastrebuild as incremental
    from gongkai_build import record as record_io

    staging.recover(output)
    overrides = dict(overrides or {})
    # unchanged files are hard-linked from the current output (gongkai_output), never written into it
    previous = output if output.is_dir() else None
    settings = _settings(settings_file, output, overrides)
    record_file = None
    previous_record = (
        None  # the one record of the output (page keys, stats): without it every page is rendered
    )
    if settings.get("GONGKAI_CACHE", True):
        content = Path(settings["PATH"])
        record_file = record_io.record_path(content.parent / ".gongkai" / "cache", output)
        previous_record = record_io.load(record_file, output) if previous is not None else None
        frame = incremental.frame_key(settings)
        fast = incremental.fast_publish(
            settings_file, settings, output, overrides, frame, record_file, run_pelican, previous_record
        )
        if fast is not None:
            fast.fast = True
            return fast
        if previous_record is not None:
            previous_record = previous_record.pages_only()  # all the complete build's writer needs
        taken_ns = time.time_ns()
        before = (record_io.content_stats(content), taken_ns)
    try:
        with staging.staged(output) as folder:  # swapped in complete, or removed and the output untouched
            result = _run_staged(settings_file, folder, overrides, output, previous, previous_record)
            if record_file is not None:
                record_io.forget(record_file)  # it describes the output about to be replaced
    except OSError as exc:
        if exc.errno not in DISK_ERRORS:
            raise
        raise PublishAborted(disk_message(exc, output.parent)) from exc
    result.output = output
    if record_file is not None:
        try:
            record = incremental.new_record(frame, result.build, output, before)
            record_io.save(record, record_file)
        except OSError:
            record_io.forget(record_file)  # no record: the next build is complete, nothing else
    return result


def disk_message(exc: OSError, folder: Path) -> str:
    """What an editor reads when the disk refuses a write."""
    return f"{disk_reason(exc, folder)}。\n公开发布已中止，原有网站内容未改动，未留下半成品。"


def _run_staged(
    settings_file: str,
    folder: Path,
    overrides: dict,
    output: Path,
    previous: Path | None,
    previous_record: BuildRecord | None = None,
) -> BuildResult:
    """run_pelican into the staging `folder` (to replace `output`), its failures said as a publish that stopped."""
    try:
        return run_pelican(
            settings_file,
            folder,
            overrides,
            final_output=output,
            previous_output=previous,
            previous_record=previous_record,
        )
    except ContentError:
        raise
    except GongkaiError as exc:
        raise PublishAborted(f"{exc}\n公开发布已中止，原有网站内容未改动。") from exc

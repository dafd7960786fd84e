"""Command line (click): ``handbook build|check|serve|new|report``. The only module that
prints or exits.

Exit codes: 0 success; 1 the input has errors (or warnings under --strict); 2 usage
errors and refused operations (unsafe --out); 3 the environment failed (disk full,
permissions, another build holds the lock) or handbook-gen itself failed: an unexpected
exception is a bug, reported in one line as an internal error (HB403) with its type;
HANDBOOK_DEBUG=1 prints the traceback too. Everything printed goes through
report.visible, so no control character from the input reaches the terminal.
"""
from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from pathlib import Path

import click

from handbook_gen import __version__

from handbook_gen.build import pipeline

from handbook_gen.core import report
from handbook_gen.build.cache import default_cache_dir
from handbook_gen.core.diagnostics import Diagnostic, Severity
from handbook_gen.build.output import OutputFailed, OutputRefused, UnsafeOutputPath


def _src_arg(f):
    return click.argument("src", required=False, type=click.Path(path_type=Path))(f)


def _common(f):
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(f)
    f = click.option("--drafts", is_flag=True, help="Include draft policies in the output.")(f)
    f = click.option("--format", "fmt", type=click.Choice(report.FORMATS), default="text",
                     show_default=True, help="Diagnostic format (json: one object per line).")(f)
    f = click.option("--jobs", "-j", type=int, default=0,
                     help="Parser processes (default: one per CPU).")(f)
    f = click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")(f)
    f = click.option("--timings", is_flag=True, help="Print the time spent in each stage.")(f)
    return f


def _check_today(ctx, param, value):
    """--today wins; otherwise a SOURCE_DATE_EPOCH that is set must be valid."""
    if value is not None:
        return value.date()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        from handbook_gen.assemble.lifecycle import epoch_date
        try:
            epoch_date(epoch)
        except ValueError as exc:
            raise click.BadParameter(report.visible(str(exc)),
                                     param_hint="SOURCE_DATE_EPOCH") from None
    return None


def _today_option(f):
    return click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
                        callback=_check_today,
                        help="Build date for policy states, YYYY-MM-DD (default: "
                        "SOURCE_DATE_EPOCH, else today).")(f)


def _resolve_src(src: Path | None) -> Path:
    src = src or Path("policies")
    if not src.is_dir():
        raise click.BadParameter(f"source directory '{report.visible(str(src))}' does not exist",
                                 param_hint="SRC")
    return src


def _options(src: Path, strict: bool, drafts: bool, jobs: int, no_cache: bool):
    cache = None if no_cache else default_cache_dir(src)
    return pipeline.BuildOptions(strict=strict, include_drafts=drafts, cache_dir=cache, jobs=jobs)


class _Progress:
    """A one-line progress note on stderr, only on a terminal and only for slow builds."""

    def __init__(self):
        self.enabled = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        frames = "|/-\\"
        i = 0
        while not self.stop_event.wait(0.15):
            if time.perf_counter() - self.start > 0.5:
                sys.stderr.write(f"\r{frames[i % 4]} building… {time.perf_counter() - self.start:4.1f}s")
                sys.stderr.flush()
                i += 1

    def __enter__(self):
        if self.enabled:
            self.thread.start()
        return self

    def __exit__(self, *exc):
        if self.enabled:
            self.stop_event.set()
            self.thread.join()
            sys.stderr.write("\r\033[K")


def _report(result: pipeline.BuildResult, fmt: str, base: Path) -> None:
    diags = result.diagnostics.sorted()
    if diags:
        text = report.render(diags, fmt, base, color=fmt == "text" and sys.stderr.isatty())
        click.echo(text, err=fmt == "text")
        if fmt == "text":
            click.echo("", err=True)


def _print_timings(result: pipeline.BuildResult) -> None:
    for stage, seconds in result.timings.items():
        click.echo(f"  {stage:<10} {seconds:7.3f} s", err=True)


def _summary(result: pipeline.BuildResult, seconds: float, verb: str, extra: str = "") -> str:
    d = result.diagnostics
    errors, warnings = d.count(Severity.ERROR), d.count(Severity.WARNING)
    pages = result.counters.get("pages_rendered")
    if result.counters.get("up_to_date"):
        what = "site is up to date, "
    elif pages is not None:
        policies, policy_pages = result.counters["policies"], result.counters["policy_pages"]
        what = (f"{policies} polic{'y' if policies == 1 else 'ies'} → {policy_pages} "
                f"policy page{'s' * (policy_pages != 1)}, {pages} pages, ")
    else:
        what = f"{result.counters.get('sources', 0)} sources, "
    return (f"{verb}: {what}{errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}, {seconds:.2f} s{extra}")


def _fail(message: str, code: int):
    click.echo(report.visible(message), err=True)
    sys.exit(code)


class _Main(click.Group):
    """Turns what escapes a command into a one-line message and an exit code: an
    OSError (or OutputFailed, MemoryError) is the environment (3); any other exception
    is a bug, an internal error (HB403, exit 3)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OutputFailed as exc:
            _fail(f"error: {exc}", 3)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(f"error: {where}{exc.strerror or exc}", 3)
        except MemoryError:
            _fail("error: out of memory", 3)
        except Exception as exc:  # noqa: BLE001 - the last resort: a bug
            debug = os.environ.get("HANDBOOK_DEBUG") == "1"
            if debug:
                traceback.print_exc()
            _fail(f"internal error (HB403): {type(exc).__name__}: {str(exc)[:200]}; this is a "
                  "bug in handbook-gen, please report it with the command you ran"
                  + ("" if debug else " (HANDBOOK_DEBUG=1 prints the traceback)"), 3)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handbook")
def main():
    """Build a Chinese policy handbook (制度汇编) into a static website."""


@main.command()
@_src_arg
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Output directory (default: site/ beside SRC).")
@_common
@_today_option
@click.option("--no-history", is_flag=True, help="Do not read revision history from git.")
@click.option("--no-search", is_flag=True,
              help="Leave out the search index and search box (a quicker build).")
def build(src, out, strict, drafts, fmt, jobs, no_cache, timings, today, no_history, no_search):
    """Build SRC (default: ./policies) into a static site."""
    src = _resolve_src(src)
    out = out or src.resolve().parent / "site"
    started = time.perf_counter()
    options = _options(src, strict, drafts, jobs, no_cache)
    options.today, options.history, options.search = today, not no_history, not no_search
    try:
        with _Progress():
            result = pipeline.build(src, out, options)
    except OutputRefused as exc:
        _fail(f"error: {exc}", 2)
    except OutputFailed as exc:
        _fail(f"error: {exc}", 3)
    except UnsafeOutputPath as exc:  # from the content, past validation: an input error
        diag = Diagnostic("HB401", Severity.ERROR, str(exc), hint=exc.hint)
        click.echo(report.render([diag], fmt, src.resolve().parent), err=fmt == "text")
        click.echo("build failed: the site was not published; nothing was written", err=True)
        sys.exit(1)
    _report(result, fmt, src.resolve().parent)
    elapsed = time.perf_counter() - started
    if timings:
        _print_timings(result)
    if result.ok:
        click.echo(_summary(result, elapsed, "built", f" → {report.visible(str(out))}"),
                   err=True)
    else:
        click.echo(_summary(result, elapsed, "build failed") +
                   "; nothing was written", err=True)
        sys.exit(1)


@main.command()
@_src_arg
@_common
@_today_option
def check(src, strict, drafts, fmt, jobs, no_cache, timings, today):
    """Check SRC for errors without writing anything."""
    src = _resolve_src(src)
    started = time.perf_counter()
    options = _options(src, strict, drafts, jobs, no_cache)
    options.save_cache, options.today = False, today
    result = pipeline.check(src, options)
    _report(result, fmt, src.resolve().parent)
    if timings:
        _print_timings(result)
    click.echo(_summary(result, time.perf_counter() - started, "checked"), err=True)
    sys.exit(0 if result.ok else 1)


@main.command()
@_src_arg
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--open", "open_browser", is_flag=True, help="Open the site in a browser.")
@click.option("--drafts/--no-drafts", default=True, show_default=True,
              help="Show draft policies in the preview.")
@click.option("--poll", is_flag=True, help="Poll for changes instead of inotify.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors, as build --strict does.")
@click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")
@click.option("--no-history", is_flag=True, help="Do not read revision history from git.")
def serve(src, host, port, open_browser, drafts, poll, strict, no_cache, no_history):
    """Preview SRC with live reload; rebuilds on every save."""
    from handbook_gen.serve import server as devserver
    src = _resolve_src(src)
    options = _options(src, strict, drafts, 0, no_cache)
    options.history = not no_history
    if host in ("0.0.0.0", "::"):
        click.echo("warning: serving on all interfaces: anyone on the network can read "
                   "the preview (use --host 127.0.0.1 to keep it local)", err=True)
    try:
        server, collector, observer, note = devserver.start(
            src, host, port, options, poll=poll)
    except OSError as exc:
        _fail(f"error: cannot listen on {host}:{port}: {exc.strerror}", 2)
    if note:
        click.echo(report.visible(f"note: {note}"), err=True)
    site = server.site
    state = "ok" if site.ok else f"failed ({len(site.diagnostics)} problems, see the page)"
    click.echo(report.visible(f"serving {src} at {server.url}  [build {state}]  "
                              "(Ctrl+C to stop)"), err=True)
    if not site.ok:
        _report_list(site.diagnostics, src.resolve().parent)
    if open_browser:
        import webbrowser
        webbrowser.open(server.url)
    last = server.epoch
    try:
        while True:
            epoch = server.wait_for_epoch(last, 1.0)
            if epoch != last:
                last = epoch
                status = "ok" if site.ok else "failed"
                click.echo(f"rebuilt in {server.last_rebuild_seconds * 1000:.0f} ms: {status}",
                           err=True)
                if not site.ok:
                    _report_list(site.diagnostics, src.resolve().parent)
    except KeyboardInterrupt:
        pass
    finally:
        collector.stop()
        observer.stop()
        server.shutdown()


def _report_list(diags, base: Path) -> None:
    click.echo(report.render(diags, "text", base, color=sys.stderr.isatty()), err=True)


@main.group()
def new():
    """Create a new policy or chapter from a valid skeleton."""


@new.command("policy")
@_src_arg
@click.option("--chapter", required=True, help="Chapter folder, slug or title.")
@click.option("--title", required=True, help="Policy title, e.g. 差旅管理办法.")
@click.option("--id", "policy_id", help="Policy id (default: next free id of the chapter).")
@click.option("--owner", help="Owning department id (default: the chapter's usual owner).")
def new_policy(src, chapter, title, policy_id, owner):
    """Write a draft policy skeleton into a chapter."""
    from handbook_gen.scaffold import ScaffoldRefused, new_policy as make
    src = _resolve_src(src)
    try:
        path = make(src, chapter, title, policy_id, owner)
    except ScaffoldRefused as exc:
        _fail(f"error: {exc}", 2)
    click.echo(report.visible(f"created {path}"))


@new.command("chapter")
@_src_arg
@click.option("--title", required=True, help="Chapter title, e.g. 财务管理.")
@click.option("--slug", required=True, help="Folder slug, e.g. finance.")
def new_chapter(src, title, slug):
    """Create a chapter folder with its _chapter.md."""
    from handbook_gen.scaffold import ScaffoldRefused, new_chapter as make
    src = _resolve_src(src)
    try:
        path = make(src, title, slug)
    except ScaffoldRefused as exc:
        _fail(f"error: {exc}", 2)
    click.echo(report.visible(f"created {path}"))


@main.command("report")
@_src_arg
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people (a weekly mail), json for programs.")
@click.option("--within", type=click.IntRange(0, 3660), default=60, show_default=True,
              help="Days ahead that count as upcoming.")
@click.option("--fail-on-overdue", is_flag=True, help="Exit with 1 when a review is overdue.")
@_today_option
def report_cmd(src, fmt, within, fail_on_overdue, today):
    """Print overdue and upcoming policy reviews (and policies about to take effect)."""
    from handbook_gen.governance.catalogue import report_json, report_text, review_report
    from handbook_gen.assemble.lifecycle import Lifecycle, build_date
    src = _resolve_src(src)
    options = _options(src, False, False, 0, False)
    options.save_cache, options.today = False, today
    result = pipeline.check(src, options)
    if not result.ok:
        _report(result, "text", src.resolve().parent)
        click.echo("report: the handbook has errors; fix them first (handbook check)", err=True)
        sys.exit(1)
    data = review_report(result.handbook, Lifecycle(result.handbook, build_date(today)), within)
    click.echo(report.visible_json(report_json(data)) if fmt == "json"
               else report.visible(report_text(data), lines=True), nl=False)
    sys.exit(1 if fail_on_overdue and data["overdue"] else 0)

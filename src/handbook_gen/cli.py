"""Command line (click): ``handbook build|check|serve|report|fix|pdf|init|new|import|
export``. The only module that prints or exits.

Exit codes: 0 success; 1 the input has errors (or warnings under --strict); 2 usage
errors and refused operations (unsafe --out); 3 the environment failed (disk full,
permissions, another build holds the lock) or handbook-gen itself failed: an unexpected
exception is a bug, reported in one line as an internal error (HB403) with its type;
HANDBOOK_DEBUG=1 prints the traceback too. Everything printed goes through
report.visible, so no control character from the input reaches the terminal.

Language: diagnostics and the CLI's own messages are written in Chinese or English
(report.language: ``--lang``, then HANDBOOK_LANG, then the handbook's ``language:``);
the English text of every message is its key in core/messages_zh.py (``_say``).
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
from handbook_gen.core.diagnostics import Severity, TemplateError, diagnostic
from handbook_gen.build.output import OutputFailed, OutputRefused, UnsafeOutputPath
from handbook_gen.source.reader import CONFIG_NAME


def _src_arg(f):
    return click.argument("src", required=False, type=click.Path(path_type=Path))(f)


def _set_lang(ctx, param, value):
    if value:
        ctx.find_root().meta["handbook.lang"] = value
    return value


def _lang_option(f):
    return click.option("--lang", type=click.Choice(report.LANGUAGES), expose_value=False,
                        callback=_set_lang, is_eager=True,
                        help="Language of diagnostics and messages (default: the "
                        "handbook's language, Chinese for zh-*; or HANDBOOK_LANG).")(f)


def _lang() -> str:
    """The language of this command's output (see report.language), decided once."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx else {}
    if "handbook.lang.chosen" not in meta:
        src = meta.get("handbook.src")
        configured = None
        if src is not None and not meta.get("handbook.lang") \
                and not os.environ.get("HANDBOOK_LANG"):
            from handbook_gen.source.config import configured_language
            try:
                configured = configured_language(src)
            except (OSError, ValueError):
                configured = None
        chosen = report.language(meta.get("handbook.lang"), os.environ.get("HANDBOOK_LANG"),
                                 configured)
        if not ctx:
            return chosen
        meta["handbook.lang.chosen"] = chosen
    return meta["handbook.lang.chosen"]


def _say(template: str, **params) -> str:
    """A message of the CLI in the output language (the English template is the key)."""
    return report.say(template, _lang(), **params)


def _style(base: Path) -> report.Style:
    """How diagnostics with paths relative to `base` are written: the output language,
    paths relative to the repository root."""
    return report.Style(_lang(), report.repo_prefix(base))


def _common(f):
    f = click.option("--strict", is_flag=True, help="Treat warnings as errors.")(f)
    f = click.option("--drafts", is_flag=True, help="Include draft policies in the output.")(f)
    f = click.option("--format", "fmt", type=click.Choice(report.FORMATS), default="text",
                     show_default=True, help="Diagnostic format (json: one object per line).")(f)
    f = click.option("--jobs", "-j", type=int, default=0,
                     help="Parser processes (default: one per CPU).")(f)
    f = click.option("--no-cache", is_flag=True, help="Do not use the parse and page caches.")(f)
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
        raise click.BadParameter(_say("source directory '{src}' does not exist",
                                      src=report.visible(str(src))), param_hint="SRC")
    ctx = click.get_current_context(silent=True)
    if ctx:
        ctx.find_root().meta["handbook.src"] = src
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
                sys.stderr.write(f"\r{frames[i % 4]} " + _say(
                    "building… {seconds}s", seconds=f"{time.perf_counter() - self.start:4.1f}"))
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
        text = report.render(diags, fmt, base, color=fmt == "text" and sys.stderr.isatty(),
                             style=_style(base))
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
    plural = {"_ies": "y" if result.counters.get("policies") == 1 else "ies",
              "_s": "" if result.counters.get("policy_pages") == 1 else "s",
              "_es": "" if errors == 1 else "s", "_ws": "" if warnings == 1 else "s"}
    if result.counters.get("up_to_date"):
        what = _say("site is up to date, ")
    elif pages is not None:
        what = _say("{policies} polic{_ies} → {policy_pages} policy page{_s}, {pages} pages, ",
                    policies=result.counters["policies"], policy_pages=result.counters[
                        "policy_pages"], pages=pages, **plural)
    else:
        what = _say("{sources} sources, ", sources=result.counters.get("sources", 0))
    return _say("{verb}: {what}{errors} error{_es}, {warnings} warning{_ws}, {seconds} s{extra}",
                verb=_say(verb), what=what, errors=errors, warnings=warnings,
                seconds=f"{seconds:.2f}", extra=extra, **plural)


def _error(exc: Exception) -> str:
    """``error: …`` for a refusal or failure; an exception that carries an English
    template and its parameters (a TemplateError) is written in the
    output language."""
    text = (report.say(exc.template, _lang(), **exc.params) if isinstance(exc, TemplateError)
            else str(exc))
    return _say("error: {problem}", problem=text)


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
            _fail(_error(exc), 3)
        except OSError as exc:
            where = f"{exc.filename}: " if exc.filename else ""
            _fail(_say("error: {problem}", problem=f"{where}{exc.strerror or exc}"), 3)
        except MemoryError:
            _fail(_say("error: out of memory"), 3)
        except Exception as exc:  # noqa: BLE001 - the last resort: a bug
            debug = os.environ.get("HANDBOOK_DEBUG") == "1"
            if debug:
                traceback.print_exc()
            _fail(_say("internal error (HB403): {kind}: {text}; this is a bug in "
                       "handbook-gen, please report it with the command you ran", kind=
                       type(exc).__name__, text=str(exc)[:200])
                  + ("" if debug else _say(" (HANDBOOK_DEBUG=1 prints the traceback)")), 3)


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handbook")
@_lang_option
def main():
    """Build a Chinese policy handbook (制度汇编) into a static website."""


@main.command()
@_src_arg
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="Output directory (default: site/ beside SRC).")
@_common
@_today_option
@_lang_option
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
        _fail(_error(exc), 2)
    except OutputFailed as exc:
        _fail(_error(exc), 3)
    except UnsafeOutputPath as exc:  # from the content, past validation: an input error
        base = src.resolve().parent
        diag = diagnostic("HB401", exc.template, hint=exc.hint, **exc.params)
        click.echo(report.render([diag], fmt, base, style=_style(base)), err=fmt == "text")
        click.echo(_say("build failed: the site was not published; nothing was written"),
                   err=True)
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
                   _say("; nothing was written"), err=True)
        sys.exit(1)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[SRC | FILE...]")
@_common
@_today_option
@_lang_option
@click.option("--no-history", is_flag=True,
              help="Do not read git history (no citation drift check).")
def check(paths, strict, drafts, fmt, jobs, no_cache, timings, today, no_history):
    """Check SRC (default: ./policies) for errors without writing anything.

    Given files instead (a pre-commit hook passes the changed ones), the handbook holding
    them is checked as a whole, and the report lists everything in those files and the
    errors anywhere else (what would fail the build); files outside a handbook are
    ignored."""
    failed = False
    for src, only in _check_targets(paths):
        started = time.perf_counter()
        options = _options(src, strict, drafts, jobs, no_cache)
        options.save_cache, options.today = False, today
        options.history = not no_history and _in_git(src)
        result = pipeline.check(src, options)
        if only is not None:
            base = src.resolve().parent
            result.diagnostics.items[:] = [
                d for d in result.diagnostics.items if d.severity == Severity.ERROR or
                d.location is not None and (base / d.location.path).resolve() in only]
        _report(result, fmt, src.resolve().parent)
        if timings:
            _print_timings(result)
        click.echo(_summary(result, time.perf_counter() - started, "checked"), err=True)
        failed = failed or not result.ok
    sys.exit(1 if failed else 0)


def _in_git(src: Path) -> bool:
    """Whether `src` is in a git work tree: check and fix read history (for the citation
    drift check) only there, and say nothing about history elsewhere."""
    from handbook_gen.governance.history import git_dir
    return git_dir(src) is not None


def _check_targets(paths: tuple[Path, ...]) -> list[tuple[Path, set[Path] | None]]:
    """(source root, the files to report on or None for all) for each handbook to check:
    the one folder given (default ./policies), or the handbooks holding the files given,
    each found as the nearest folder above a file with a _handbook.yaml."""
    if len(paths) <= 1 and not any(p.is_file() for p in paths):
        return [(_resolve_src(paths[0] if paths else None), None)]
    roots: dict[Path, set[Path]] = {}
    for path in paths:
        if not path.is_file():
            raise click.BadParameter(_say("'{path}' is not a file; give one source folder "
                                          "or any number of files",
                                          path=report.visible(str(path))), param_hint="FILE")
        resolved = path.resolve()
        root = next((d for d in resolved.parents if (d / CONFIG_NAME).is_file()), None)
        if root is not None:
            roots.setdefault(root, set()).add(resolved)
    if not roots:
        click.echo(_say("checked: none of the files is part of a handbook"), err=True)
    return [(_resolve_src(root), only) for root, only in sorted(roots.items())]


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
@_lang_option
def serve(src, host, port, open_browser, drafts, poll, strict, no_cache, no_history):
    """Preview SRC with live reload; rebuilds on every save."""
    from handbook_gen.serve import server as devserver
    src = _resolve_src(src)
    options = _options(src, strict, drafts, 0, no_cache)
    options.history = not no_history
    if host in ("0.0.0.0", "::"):
        click.echo(_say("warning: serving on all interfaces: anyone on the network can read "
                        "the preview (use --host 127.0.0.1 to keep it local)"), err=True)
    try:
        server, collector, observer, note = devserver.start(
            src, host, port, options, poll=poll, style=_style(src.resolve().parent))
    except OSError as exc:
        _fail(_say("error: cannot listen on {host}:{port}: {problem}", host=host, port=port,
                   problem=exc.strerror), 2)
    if note:
        click.echo(report.visible(_say("note: {note}", note=note)), err=True)
    site = server.site
    state = (_say("ok") if site.ok else
             _say("failed ({n} problems, see the page)", n=len(site.diagnostics)))
    click.echo(report.visible(_say("serving {src} at {url}  [build {state}]  (Ctrl+C to stop)",
                                   src=src, url=server.url, state=state)), err=True)
    if not site.ok:
        _report_list(site.diagnostics, src.resolve().parent)
    warned = server.warnings()  # (printed again only when they change)
    if warned:
        _report_list(warned, src.resolve().parent)
    if open_browser:
        import webbrowser
        webbrowser.open(server.url)
    last = server.epoch
    try:
        while True:
            epoch = server.wait_for_epoch(last, 1.0)
            if epoch != last:
                last = epoch
                click.echo(_say("rebuilt in {ms} ms: {status}",
                                ms=f"{server.last_rebuild_seconds * 1000:.0f}",
                                status=_say("ok" if site.ok else "failed")), err=True)
                if not site.ok:
                    _report_list(site.diagnostics, src.resolve().parent)
                elif server.warnings() != warned:
                    warned = server.warnings()
                    if warned:
                        _report_list(warned, src.resolve().parent)
    except KeyboardInterrupt:
        pass
    finally:
        collector.stop()
        observer.stop()
        server.shutdown()


def _report_list(diags, base: Path) -> None:
    click.echo(report.render(diags, "text", base, color=sys.stderr.isatty(),
                             style=_style(base)), err=True)


@main.command()
@click.argument("directory", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--title", help="Site title (default: <company>运营管理制度汇编).")
@click.option("--company", help="Company name written into the starter policies.")
@click.option("--force", is_flag=True,
              help="Write into a non-empty folder (existing files are still never overwritten).")
@_lang_option
def init(directory, title, company, force):
    """Start a handbook in DIRECTORY (default: here): policies/, README, CI files."""
    from handbook_gen.scaffold import ScaffoldRefused, init_handbook
    try:
        result = init_handbook(directory, title, company, force)
    except ScaffoldRefused as exc:
        _fail(_error(exc), 2)
    for path in result.written:
        click.echo(report.visible(_say("created {path}", path=str(path))))
    for path in result.skipped:
        click.echo(report.visible(_say("skipped {path}: it already exists", path=str(path))),
                   err=True)
    if directory.resolve() == Path.cwd().resolve():
        click.echo(_say("next: handbook serve (preview) or handbook build (the site in site/)"),
                   err=True)
    else:
        click.echo(report.visible(_say(
            "next: cd {dir} && handbook serve (preview) or handbook build (the site in site/)",
            dir=str(directory))), err=True)


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
        _fail(_error(exc), 2)
    click.echo(report.visible(_say("created {path}", path=path)))


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
        _fail(_error(exc), 2)
    click.echo(report.visible(_say("created {path}", path=path)))


@main.command("report")
@_src_arg
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people (a weekly mail), json for programs.")
@click.option("--within", type=click.IntRange(0, 3660), default=60, show_default=True,
              help="Days ahead that count as upcoming.")
@click.option("--fail-on-overdue", is_flag=True, help="Exit with 1 when a review is overdue.")
@click.option("--impact", "impact_id", metavar="ID",
              help="Instead: what changed in policy ID and every article elsewhere citing "
              "it or a changed article (dependent changes).")
@click.option("--since", metavar="REV",
              help="With --impact: compare with the policy at git revision REV (default: "
              "the last commit if the working tree changed it, else the previous version).")
@_today_option
@_lang_option
def report_cmd(src, fmt, within, fail_on_overdue, impact_id, since, today):
    """Print overdue and upcoming policy reviews (and policies about to take effect),
    or with --impact the dependent changes of a revision."""
    from handbook_gen.governance.catalogue import report_json, report_text, review_report
    from handbook_gen.assemble.lifecycle import Lifecycle, build_date
    if since and not impact_id:
        raise click.UsageError(_say("--since goes with --impact ID"))
    src = _resolve_src(src)
    options = _options(src, False, False, 0, False)
    options.save_cache, options.today = False, today
    options.history = bool(impact_id) and _in_git(src)
    result = pipeline.check(src, options)
    if not result.ok:
        _report(result, "text", src.resolve().parent)
        click.echo(_say("report: the handbook has errors; fix them first (handbook check)"),
                   err=True)
        sys.exit(1)
    if impact_id:
        _impact_report(src, result, impact_id, since, fmt)
        return
    data = review_report(result.handbook, Lifecycle(result.handbook, build_date(today)), within)
    click.echo(report.visible_json(report_json(data)) if fmt == "json"
               else report.visible(report_text(data), lines=True), nl=False)
    sys.exit(1 if fail_on_overdue and data["overdue"] else 0)


def _impact_report(src: Path, result: pipeline.BuildResult, pid: str, since: str | None,
                   fmt: str) -> None:
    """handbook report --impact: prints the report; exits 2 for an unknown id or revision."""
    import json
    from handbook_gen.core.diagnostics import closest
    from handbook_gen.governance.history import blob_id, reachable
    from handbook_gen.core.model import ParsedBody
    from handbook_gen.governance.impact import baseline, impact, impact_text
    from handbook_gen.governance.versions import documents, from_git
    from handbook_gen.markdown.document import parse_document
    hb, history = result.handbook, result.history
    target = hb.policies.get(pid)
    if target is None:
        guess = closest(pid, hb.policies)
        _fail(_say("error: unknown policy '{id}'", id=pid) +
              (_say(" (did you mean {guess}?)", guess=guess) if guess else ""), 2)
    if history is None or not history.available:
        _fail(_say("error: report --impact needs the handbook's git history"), 2)
    limit = None
    if since:
        limit = reachable(src.resolve(), since)
        if limit is None:
            _fail(_say("error: unknown git revision '{rev}'", rev=since), 2)
    now = (src.resolve().parent / target.path).read_bytes()
    old, named = baseline(history, target, blob_id(now), limit)
    body = target.body
    if old is not None:
        documents(history, [old], from_git(history, lambda items: [parse_document(*i)
                                                                for i in items]))
        doc = history.documents.get(old.blob)
        body = doc.body if doc is not None and doc.body is not None else ParsedBody(
            "", (), (), (), "")
    data = impact(hb, result.links, target, body, named, history.drifts)
    click.echo(report.visible_json(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
               if fmt == "json" else report.visible(impact_text(data), lines=True), nl=False)


@main.command("fix")
@_src_arg
@click.option("--citations", is_flag=True,
              help="Rewrite citations by article number (《…》第九条, 本办法第九条) into label "
              "references ([[ID#label]]), pointing drifted ones at the article they meant.")
@click.option("--write", is_flag=True, help="Write the files (without it: only show the diff).")
@_lang_option
def fix_cmd(src, citations, write):
    """Show (and with --write make) mechanical fixes to the sources: SRC is the handbook
    folder (default ./policies) or a file or folder inside it to limit the fix to."""
    import difflib
    from handbook_gen.governance import drift
    if not citations:
        raise click.UsageError(_say("say what to fix: --citations"))
    only = None
    if src is not None and (src.is_file() or (src.is_dir() and not (src / CONFIG_NAME).is_file())):
        resolved = src.resolve()
        root = next((d for d in [resolved, *resolved.parents] if (d / CONFIG_NAME).is_file()), None)
        if root is None:
            _fail(_say("error: '{path}' is not in a handbook", path=str(src)), 2)
        only = resolved.relative_to(root.parent).as_posix()
        src = root
    src = _resolve_src(src)
    options = _options(src, False, False, 0, False)
    options.save_cache, options.history = False, _in_git(src)
    result = pipeline.check(src, options)
    base = src.resolve().parent
    if not result.ok:
        _report(result, "text", base)
        click.echo(_say("fix: the handbook has errors; fix them first (handbook check)"),
                   err=True)
        sys.exit(1)
    hb = result.handbook
    drifts = result.history.drifts if result.history else []
    raw = {p.path: (base / p.path).read_bytes() for p in hb.policies.values()}
    texts = {path: data.decode("utf-8") for path, data in raw.items()}
    new, edits, skipped = drift.rewrite(hb, drifts, texts, only)
    for path in sorted(new):
        diff = difflib.unified_diff(texts[path].splitlines(keepends=True),
                                    new[path].splitlines(keepends=True),
                                    f"a/{path}", f"b/{path}")
        click.echo(report.visible("".join(diff), lines=True), nl=False)
    for s in skipped:
        click.echo(report.visible(f"{s.location}: {s.raw}: " + _say(s.why, **s.params)),
                   err=True)
    files = len(new)
    if not write:
        click.echo(_say("fix: {n} citations in {files} files would be rewritten; nothing was "
                        "written (add --write to write them)", n=len(edits), files=files),
                   err=True)
        return
    changed = [path for path in sorted(new) if not drift.write_text(
        str(base / path), new[path], raw[path])]
    for path in changed:
        click.echo(_say("error: {path} changed while fixing; it was not written", path=path),
                   err=True)
    click.echo(_say("fix: {n} citations rewritten in {files} files", n=len(edits),
                    files=files - len(changed)), err=True)
    sys.exit(1 if changed else 0)


@main.command("export")
@click.argument("ids", nargs=-1)
@click.option("--src", "src", type=click.Path(path_type=Path),
              help="Source directory (default: ./policies).")
@click.option("--docx", "docx", is_flag=True, required=True,
              help="Write Word files (.docx), the one format so far.")
@click.option("--compiled", is_flag=True,
              help="The compiled edition (every policy in force) as one file.")
@click.option("--revision", is_flag=False, flag_value="", default=None, metavar="[VERSION]",
              help="The 修订对照表 of the revision that made VERSION of the policy "
              "(default: its newest version), from the git history.")
@click.option("--out", "-o", type=click.Path(path_type=Path), default=Path("export"),
              show_default=True, help="Folder to write into.")
@click.option("--issuer", help="发文机关标志 on the first page, e.g. 华衡科技有限公司文件.")
@click.option("--to", "recipients", help="主送机关, e.g. 公司各部门.")
@_today_option
def export_cmd(ids, src, docx, compiled, revision, out, issuer, recipients, today):
    """Write official copies as .docx: the given policies (one file each), --compiled, or
    a policy's --revision table (修订对照表)."""
    if revision is not None and len(ids) != 1:
        raise click.UsageError(_say("--revision needs exactly one policy id"))
    if not ids and not compiled:
        raise click.UsageError(_say("name the policies to export (e.g. OP-011), or give "
                                    "--compiled"))
    try:
        from handbook_gen.word.export import (ExportOptions, ExportRefused, export_compiled,
                                              export_policies, export_revision)
    except ImportError:
        _fail(_say("error: {problem}", problem=_say(
            "exporting Word files needs python-docx: pip install 'handbook-gen[word]'")), 3)
    src = _resolve_src(src)
    options = ExportOptions(out, issuer, recipients, today)
    try:
        if revision is not None:
            result, written = export_revision(src, ids[0], revision or None, options)
        elif compiled:
            result, written = export_compiled(src, options)
        else:
            result, written = export_policies(src, list(ids), options)
    except ExportRefused as exc:
        _fail(_error(exc), 2)
    if not result.ok:
        _report(result, "text", src.resolve().parent)
        click.echo(_say("export: the handbook has errors; fix them first (handbook check)"),
                   err=True)
        sys.exit(1)
    for path in written:
        click.echo(report.visible(_say("written {path}", path=str(path))))


@main.command("import")
@click.argument("sources", nargs=-1, required=True,
                type=click.Path(exists=True, path_type=Path))
@click.option("--chapter", required=True, help="Chapter folder, slug or title to import into.")
@click.option("--id-prefix", help="Id prefix of the new policies, e.g. FIN- (default: the "
              "chapter's usual prefix).")
@click.option("--owner", help="Owning department id (default: the department the document "
              "says interprets it, else the chapter's usual owner).")
@click.option("--src", "src", type=click.Path(path_type=Path),
              help="The handbook's source directory (default: ./policies).")
@click.option("--dry-run", is_flag=True, help="Report what would be written; write nothing.")
@click.option("--force", is_flag=True, help="Replace an existing policy of the same title or file.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="The conversion report for people or programs.")
@_today_option
@_lang_option
def import_cmd(sources, chapter, id_prefix, owner, src, dry_run, force, fmt, today):
    """Import Word (.docx; .doc/.wps via LibreOffice) and text (.txt/.md) policies into a
    chapter: numbering, structure, front matter and citations recognised, with a
    conversion report per file."""
    from handbook_gen.word.importer import ImportEnvironment, ImportRefused, Options, run_import
    from handbook_gen.word.importer import severity_counts
    from handbook_gen.word.report import json_report, text_report
    src = _resolve_src(src)
    options = Options(chapter, id_prefix, owner, dry_run, force, today)
    try:
        results = run_import(src, list(sources), options)
    except ImportEnvironment as exc:
        _fail(_error(exc), 3)
    except ImportRefused as exc:
        _fail(_error(exc), 2)
    lang = _lang()
    text = json_report(results, lang, dry_run) if fmt == "json" else text_report(results, lang)
    click.echo(report.visible_json(text) if fmt == "json" else report.visible(text, lines=True),
               nl=False)
    errors, warnings = severity_counts(results)
    refused = sum(1 for r in results if r.refused)
    click.echo(_say("import: {files} file(s), {written} written, {refused} refused; {errors} "
                    "error(s), {warnings} warning(s) in the imported policies",
                    files=len(results), written=sum(r.written for r in results),
                    refused=refused, errors=errors, warnings=warnings), err=True)
    if refused:
        click.echo(_say("nothing was written: fix or leave out the refused files, or give "
                        "--force"), err=True)
        sys.exit(2)
    if dry_run:
        click.echo(_say("dry run: nothing was written"), err=True)
    sys.exit(1 if errors else 0)


@main.command("pdf")
@_src_arg
@click.option("--out", "-o", type=click.Path(path_type=Path),
              help="PDF file to write (default: compiled.pdf beside SRC).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--no-cache", is_flag=True, help="Do not use the parse cache.")
@_today_option
@_lang_option
def pdf_cmd(src, out, strict, no_cache, today):
    """Print the compiled edition (制度汇编) of SRC to a PDF with page numbers in its
    contents and bookmarks, using headless Chromium."""
    from handbook_gen.build.pdf import PdfUnavailable, compiled_pdf
    src = _resolve_src(src)
    out = (out or src.resolve().parent / "compiled.pdf").resolve()
    if out.is_dir() or out.is_relative_to(src.resolve()):
        _fail(_say("error: {problem}", problem=_say(
            "refusing to write the PDF to '{out}': it is a folder or inside the sources",
            out=str(out))), 2)
    started = time.perf_counter()
    options = _options(src, strict, False, 0, no_cache)
    options.today = today
    try:
        with _Progress():
            result, pages = compiled_pdf(src, out, options)
    except PdfUnavailable as exc:
        _fail(_error(exc), 3)
    _report(result, "text", src.resolve().parent)
    if not result.ok:
        click.echo(_summary(result, time.perf_counter() - started, "build failed") +
                   _say("; nothing was written"), err=True)
        sys.exit(1)
    click.echo(_say("written {out}: {pages} pages, {seconds} s", out=report.visible(str(out)),
                    pages=pages, seconds=f"{time.perf_counter() - started:.1f}"), err=True)

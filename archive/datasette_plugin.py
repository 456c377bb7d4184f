"""The datasette plugin xxgk installs.

On every connection datasette opens to an archive: the Chinese full-text search tokenizer
(archive.search); a bound on what one SQL call may build (a string or blob of at most
LENGTH_LIMIT bytes, and SQLite's heap at most HEAP_LIMIT in all); printf() and format() that
refuse a width or precision over MAX_FORMAT_WIDTH (SQLite would loop that many times inside one
call, past any time limit: printf('%.*c', 1000000000, 'x') held a gigabyte for 15 s); and an
authorizer that refuses DENIED_FUNCTIONS (fts3_tokenizer() hands out a pointer).

In front of every request: only GET and HEAD (the archive is read-only, anything else is 405 at
once); the reports table opens with its columns in a researcher's order, internal keys left out.
Report ids in views and canned queries link to their reports; in section_texts, search hits show
the words found, marked. A page that takes a metric (canned queries, the dashboard) says when the
archive does not know it, naming the nearest known metrics or categories (archive/compare.py);
the dashboard's metric choices carry their Chinese names; asked for as JSON, such a page answers
400 with the same words instead of an empty list. The home page lists the researcher's
views before the archive's tables. A query stopped at datasette's time limit (sql_time_limit_ms)
says so in words a researcher can act on, in the page or the JSON it asked for."""

from __future__ import annotations

import contextvars
import html
import json
import re
import sqlite3
import urllib.parse

from datasette import hookimpl
from markupsafe import Markup
from sqlite_utils import Database

from .compare import CompareError, check_metrics, split_metric
from .labels import METRICS
from .search import register

LENGTH_LIMIT = 128 * 2**20       # above any report's text (50 MB of input at most)
HEAP_LIMIT = 2**30
MAX_FORMAT_WIDTH = 100_000
_FORMAT_SPEC = re.compile(r"%[-+ 0#,!]*(\*|\d+)?(?:\.(\*|\d+))?(?:ll|l)?([a-zA-Z%])")
DENIED_FUNCTIONS = {"fts3_tokenizer"}
METHODS = ("GET", "HEAD")
REPORT_COLUMNS = {"report_id", "previous_report_id"}      # a report's id, in a view or query result
CRAWL_TABLES = {"documents", "fetch_failures", "frontier", "changes", "off_site_links"}   # their URLs in full
LINKED_SCHEMES = ("http", "https", "file")
CONTEXT = 40                     # characters shown either side of a search hit
HITS = 3                         # hits shown per cell

_search_terms: contextvars.ContextVar[list[str]] = contextvars.ContextVar("xxgk_search_terms", default=[])


@hookimpl
def prepare_connection(conn):
    register(conn)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LENGTH_LIMIT)
    conn.execute(f"pragma hard_heap_limit = {HEAP_LIMIT}")
    printf = _bounded_printf(sqlite3.connect(":memory:", check_same_thread=False))
    for name in ("printf", "format"):
        conn.create_function(name, -1, printf, deterministic=True)
    conn.set_authorizer(_authorize)


def _bounded_printf(builtin: sqlite3.Connection):
    """SQLite's printf (run on `builtin`, a connection of its own), NULL when a width or precision
    is over MAX_FORMAT_WIDTH, as SQLite itself gives NULL for a result over its length limit."""
    def printf(form, *args):
        if form is not None and _widest(str(form), list(args)) > MAX_FORMAT_WIDTH:
            return None
        marks = ", ".join("?" * (1 + len(args)))
        return builtin.execute(f"select printf({marks})", (form, *args)).fetchone()[0]
    return printf


def _widest(form: str, args: list) -> int:
    """The largest width or precision a printf format asks for (`*` taking it from `args`)."""
    widest = 0
    for spec in _FORMAT_SPEC.finditer(form):
        for part in spec.group(1, 2):
            if part == "*":
                part = args.pop(0) if args else 0
            try:
                widest = max(widest, abs(int(float(part or 0))))
            except (TypeError, ValueError):
                pass
        if spec.group(3) != "%" and args:
            args.pop(0)
    return widest


def _authorize(action, name, function, database, trigger):
    if action == sqlite3.SQLITE_FUNCTION and (function or "").lower() in DENIED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


@hookimpl
def asgi_wrapper(datasette):
    from .serve import DATABASE, METRIC_PAGES, REPORT_COLUMNS

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope["type"] != "http":
                return await app(scope, receive, send)
            if scope["method"] not in METHODS:
                return await _answer(send, 405, {"ok": False, "error": "the archive is read-only: only GET and HEAD"},
                                     [(b"allow", ", ".join(METHODS).encode())])
            query = urllib.parse.parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
            names = {name for name, _ in query}
            if scope["path"] == f"/{DATABASE}/reports" and not names & {"_col", "_nocol"}:
                columns = urllib.parse.urlencode([("_col", c) for c in REPORT_COLUMNS] + query)
                return await _answer(send, 302, None, [(b"location", f"/{DATABASE}/reports?{columns}".encode())])
            metric = next((value for name, value in query if name == "metric"), None)
            if metric is not None and scope["path"].endswith(".json") and scope["path"][:-5] in METRIC_PAGES:
                problem = await datasette.get_database(DATABASE).execute_fn(lambda conn: metric_problem(conn, metric))
                if problem:         # the JSON says so too, instead of an empty list of rows
                    return await _answer(send, 400, {"ok": False, "error": problem, "status": 400}, [])
            terms = [t for name, value in query if name == "_search" for t in value.replace('"', " ").split()]
            token = _search_terms.set(terms)
            try:
                return await app(scope, receive, send)
            finally:
                _search_terms.reset(token)
        return guarded
    return wrap


async def _answer(send, status: int, body: dict | None, headers: list[tuple[bytes, bytes]]) -> None:
    data = json.dumps(body).encode() if body is not None else b""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": data})


@hookimpl
def extra_template_vars(template, request, datasette):
    from .serve import DATABASE, METRIC_PAGES, RESEARCHER_VIEWS

    if template == "index.html":
        return {"researcher_views": RESEARCHER_VIEWS}
    metric = request.args.get("metric") if request is not None else None
    if metric is None or request.path not in METRIC_PAGES:
        return {}

    async def name_the_nearest():
        # a message of datasette's own, shown on this very page (it is added before the page is drawn)
        problem = await datasette.get_database(DATABASE).execute_fn(lambda conn: metric_problem(conn, metric))
        if problem:
            datasette.add_message(request, problem, datasette.ERROR)
        return {}
    return name_the_nearest


def metric_problem(conn: sqlite3.Connection, metric: str) -> str | None:
    """What is wrong with a metric parameter (`requests.received`, `requests.by_channel:网上`),
    naming the nearest known metrics or categories; None when the archive knows it."""
    try:
        check_metrics(Database(conn, recursive_triggers=False, execute_plugins=False), [split_metric(metric)])
    except CompareError as error:
        return str(error)
    return None


@hookimpl
def handle_exception(datasette, request, exception):
    from datasette.handle_exception import handle_exception as datasette_handles
    from datasette.views.base import DatasetteError

    if not (isinstance(exception, DatasetteError) and exception.title == "SQL Interrupted"):
        return None
    seconds = datasette.setting("sql_time_limit_ms") / 1000
    return datasette_handles(datasette, request, DatasetteError(time_limit_message(seconds), status=400,
                                                                title="查询超时 / query stopped"))


def time_limit_message(seconds: float) -> str:
    """What a researcher reads when a query ran past the time limit."""
    return (f"查询超过{seconds:g}秒，已停止。/ This query took longer than the archive's limit of {seconds:g} s "
            "and was stopped. Narrow it (one metric, a year, a region, a longer search phrase) or run it on the "
            "archive file itself: xxgk compare, or sqlite3 on xxgk.db.")


@hookimpl
def extra_body_script(template):
    if template != "dashboard_view.html":
        return None
    # the metric choices as `requests.received 收到申请数` (the plugin's select shows the bare value)
    names = json.dumps({key: zh for key, (zh, _) in METRICS.items()}, ensure_ascii=False)
    return (f"const names = {names};\n"
            "for (const option of document.querySelectorAll('select#metric option')) {\n"
            "  const [key, ...category] = option.value.split(':');\n"
            "  if (names[key]) option.textContent = `${option.value} ${names[key]}${category.length ? '·' + "
            "category.join(':') : ''}`;\n}")


@hookimpl
def render_cell(value, column, table, database):
    from .schema import TABLES

    # views and queries have no foreign keys for datasette to link by; report ids are stable, so
    # a link to one stays good across reextraction
    is_report = column in REPORT_COLUMNS or (table == "report_list" and column == "id")
    if is_report and table not in TABLES and isinstance(value, int):
        return Markup(f'<a href="/{html.escape(database)}/reports/{value}">{value}</a>')
    if column == "url" and table not in CRAWL_TABLES and isinstance(value, str) \
            and urllib.parse.urlsplit(value).scheme in LINKED_SCHEMES:
        return Markup(short_link(value))
    terms = _search_terms.get()
    if table == "section_texts" and column in ("title", "body") and terms and isinstance(value, str):
        return Markup(marked(value, terms, whole=column == "title"))
    return None


def short_link(url: str) -> str:
    """A report's source URL as a link that leaves its row's title room: host/…/name (a file's
    name alone), the whole URL in its tooltip."""
    parts = urllib.parse.urlsplit(url)
    name = urllib.parse.unquote(parts.path.rstrip("/").rsplit("/", 1)[-1])
    text = name if parts.scheme == "file" else \
        f"{parts.netloc}/…/{name}" if parts.path.strip("/").count("/") else parts.netloc + parts.path
    return f'<a href="{html.escape(url)}" title="{html.escape(url)}">{html.escape(text or url)}</a>'


def marked(text: str, terms: list[str], *, whole: bool = False) -> str:
    """`text` as HTML with each of `terms` in <mark>: all of it (`whole`), or the first HITS hits
    with CONTEXT characters either side."""
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    hits = list(pattern.finditer(text))
    if whole or not hits:
        spans = [(0, len(text))] if whole or len(text) <= 2 * CONTEXT else [(0, 2 * CONTEXT)]
    else:
        spans = []
        for hit in hits[:HITS]:
            start, end = max(0, hit.start() - CONTEXT), min(len(text), hit.end() + CONTEXT)
            if spans and start <= spans[-1][1]:
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    pieces = []
    for start, end in spans:
        piece, last = [], start
        for hit in pattern.finditer(text, start, end):
            piece += [html.escape(text[last:hit.start()]), f"<mark>{html.escape(hit.group())}</mark>"]
            last = hit.end()
        piece.append(html.escape(text[last:end]))
        pieces.append(("…" if start > 0 else "") + "".join(piece) + ("…" if end < len(text) else ""))
    return " ".join(pieces)

"""Benchmark: how much a browser transfers for each page of the demo, and the heaviest.

The script

1. builds a throwaway SQLite database in a temporary JIXIAO_HOME with the demo (荔湾区
   2023, loaded by ``jixiao demo``'s own function) and the demo accounts;
2. collects the static files as production does (hashed, with the gzipped copies that
   whitenoise serves to a browser which accepts gzip);
3. signs in as 财务科, 业务科室 and 财政局 with Django's test client, follows every link from
   each one's 首页 (one URL per kind of page: per view and set of query keys), and for
   each page requests it and every stylesheet, script, image and font it names, with
   ``Accept-Encoding: gzip``, as a browser with an empty cache would;
4. prints per page the bytes transferred (HTML as served — the app does not compress
   pages, so a CSRF token never sits in a compressed body — plus the static files as
   served, gzipped where whitenoise has a gzipped copy), and the heaviest page;
   the target is under 500 KB; the exit status is 1 when the heaviest page is over it.

With ``--paint`` it also opens each page in Debian's Chromium (``/usr/bin/chromium``,
through Playwright; skipped with a note when either is missing), served by a WSGI server
in this process on 127.0.0.1, and prints the first contentful paint the browser reports
and, within it, the wait for the first byte (the server's share). Twice: with the
server's kept page parts and sums cleared (cold, as the first visit after a change to
the data), then with them kept (warm); the browser is cold both times (a fresh context,
nothing cached). Target: cold ≤ 1 s. The machine's load is printed with it.

Usage::

    python benchmarks/page_weight.py
    python benchmarks/page_weight.py --paint
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlparse

TARGET_BYTES = 500 * 1024
TARGET_PAINT_MS = 1000
LIMIT = 600
SKIPPED = ("/logout/", "/static/", "/i18n/", "/api/")
PERSONAS = ("demo-finance", "demo-office", "demo-bureau")
ASSET = re.compile(
    r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="(/static/[^"]+)"|url\((/static/[^)]+)\)'
)
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class Weight:
    url: str
    html: int
    assets: dict[str, int]

    @property
    def total(self) -> int:
        return self.html + sum(self.assets.values())


def _setup(home: Path) -> None:
    os.environ["JIXIAO_HOME"] = str(home)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from jixiao.cli import cmd_demo
    from jixiao.web.accounts import create_demo_accounts

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    with contextlib.redirect_stdout(io.StringIO()):
        cmd_demo(argparse.Namespace(out=str(home / "demo-report"), city=None))
        call_command("collectstatic", interactive=False, verbosity=0)
    create_demo_accounts("liwan-ghzy")


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _links(base: str, html: str) -> Iterator[str]:
    for href in re.findall(r'href="([^"]+)"', html):
        url = urldefrag(urljoin(base, unescape(href))).url
        parsed = urlparse(url)
        if (
            not parsed.netloc
            and parsed.path.startswith("/")
            and not parsed.path.startswith(SKIPPED)
        ):
            yield url


def _kind(url: str) -> tuple[str, ...]:
    from django.urls import resolve

    parsed = urlparse(url)
    return (resolve(parsed.path).view_name, *sorted(re.findall(r"(\w+)=", parsed.query)))


def pages_of(client: Any) -> list[str]:
    """One URL per kind of HTML page reachable by links from the 首页."""
    seen: set[str] = set()
    kinds: dict[tuple[str, ...], str] = {}
    queue = ["/"]
    while queue and len(seen) < LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        kind = _kind(url)
        if kind in kinds:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        kinds[kind] = url
        queue.extend(_links(url, _body(response).decode("utf-8", "replace")))
    return list(kinds.values())


def weigh(client: Any, url: str) -> Weight:
    """What a browser with an empty cache transfers for ``url``."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    html = _body(response)
    assets: dict[str, int] = {}
    pending = [a or b for a, b in ASSET.findall(html.decode("utf-8", "replace"))]
    while pending:
        asset = unescape(pending.pop())
        if asset in assets:
            continue
        served = client.get(asset, HTTP_ACCEPT_ENCODING="gzip")
        body = _body(served)
        assets[asset] = len(body)
        if served["Content-Type"].startswith("text/css"):
            text = body.decode("utf-8", "replace") if not served.get("Content-Encoding") else ""
            pending += [a or b for a, b in ASSET.findall(text)]
    return Weight(url, len(html), assets)


def _signed_in(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _kb(size: int) -> str:
    return f"{size / 1024:,.1f} KB"


Timing = tuple[float, float]
"""First contentful paint and, within it, the wait for the page's first byte (ms)."""
Paint = dict[tuple[str, str], tuple[Timing, Timing]]
FCP = """() => new Promise((resolve) => {
  const first = performance.getEntriesByType("navigation")[0].responseStart;
  new PerformanceObserver((list) => {
    const found = list.getEntries().find((e) => e.name === "first-contentful-paint");
    if (found) { resolve([found.startTime, first]); }
  }).observe({type: "paint", buffered: true});
})"""


def _first_paint(browser: Any, base: str, session: str, url: str) -> Timing:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
    page = context.new_page()
    page.goto(base + url, wait_until="load")
    painted, first_byte = page.evaluate(FCP)
    context.close()
    return float(painted), float(first_byte)


def _paint_times(weights: dict[str, list[Weight]]) -> Paint | None:
    """First contentful paint (ms) of every page in Chromium, with the server's kept
    parts cleared and then kept; None when there is no browser."""
    if importlib.util.find_spec("playwright") is None or not CHROMIUM.exists():
        print("首屏时间：未测（需要 playwright 和 /usr/bin/chromium）")
        return None
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    from django.core.cache import cache
    from django.core.wsgi import get_wsgi_application
    from playwright.sync_api import sync_playwright

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    times: Paint = {}
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM beside Playwright's loop
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            for username, pages in weights.items():
                session = _signed_in(username).cookies["sessionid"].value
                for weight in pages:
                    cache.clear()
                    cold = _first_paint(browser, base, session, weight.url)
                    warm = _first_paint(browser, base, session, weight.url)
                    times[username, weight.url] = (cold, warm)
            browser.close()
    finally:
        server.shutdown()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--paint", action="store_true", help="首屏时间 (Chromium)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    with tempfile.TemporaryDirectory(prefix="jixiao-page-weight-") as folder:
        _setup(Path(folder))
        weights = {
            username: [weigh(_signed_in(username), url) for url in pages_of(_signed_in(username))]
            for username in PERSONAS
        }
        paint = _paint_times(weights) if args.paint else None
    heaviest = max((w for pages in weights.values() for w in pages), key=lambda w: w.total)
    for username, pages in weights.items():
        print(f"\n{username}：{len(pages)} 种页面（HTML 按原样传输，静态文件按 gzip）")
        if paint is not None:
            print("  首屏（其中等待首字节）：服务器端无缓存 / 已缓存")
        for weight in sorted(pages, key=lambda w: -w.total):
            painted = ""
            if paint is not None:
                cold, warm = paint[username, weight.url]
                painted = (
                    f"  首屏 {cold[0]:5.0f}（首字节 {cold[1]:5.0f}）"
                    f" / {warm[0]:5.0f}（{warm[1]:5.0f}）ms"
                )
            print(
                f"  {_kb(weight.total):>10}  HTML {_kb(weight.html):>9}"
                f"  静态 {_kb(weight.total - weight.html):>9}{painted}  {weight.url}"
            )
    print(f"\n最重的页面：{heaviest.url} {_kb(heaviest.total)}（目标 < {_kb(TARGET_BYTES)}）")
    for asset, size in sorted(heaviest.assets.items()):
        print(f"  {_kb(size):>10}  {asset}")
    failed = heaviest.total >= TARGET_BYTES
    if paint:
        (_user, url), (cold, warm) = max(paint.items(), key=lambda item: item[1][0][0])
        print(
            f"最慢首屏：{url} 服务器端无缓存 {cold[0]:.0f} ms（首字节 {cold[1]:.0f} ms），"
            f"已缓存 {warm[0]:.0f} ms（首字节 {warm[1]:.0f} ms）（目标 ≤ {TARGET_PAINT_MS} ms）"
        )
        print(f"本机负载（1 分钟平均）：{os.getloadavg()[0]:.1f}，{os.cpu_count()} 个 CPU")
        failed = failed or cold[0] > TARGET_PAINT_MS
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""`make serve` as an editor sees it: the open tab reloads after a save and shows a failed build
on the page, in German, with nothing the site's CSP would block."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from test_preview import article, settings
from waiting import poll

from checks.server import free_port
from pipeline.dev_server import DevServer, PreviewState
from pipeline.preview import Preview

pytestmark = pytest.mark.slow  # the preview server and a real browser


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stamp = time.time() + 5
    os.utime(path, (stamp, stamp))


def shows(page, text: str, seconds: float = 20) -> bool:
    """Poll what the page shows (the site's CSP forbids evaluating strings in the page)."""
    def showing() -> bool:
        try:
            return text in page.inner_text("body")
        except Exception:  # the tab is reloading right now
            return False

    return bool(poll(showing, seconds))


def test_the_open_tab_reloads_after_a_save_and_shows_a_failed_build(tmp_path: Path, good_content: Path,
                                                                     browser) -> None:
    output = tmp_path / "output"
    preview = Preview(settings(tmp_path), output, str(good_content))
    state = PreviewState()
    first = preview.build()
    state.built(first.ok, first.report())
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch,
                               args=(lambda _line, result: state.built(result is None or result.ok,
                                                                       result.report() if result else ""),
                                     stop), daemon=True)
    post = good_content / "posts" / "2023-06-01-ausblick.md"
    original = post.read_text(encoding="utf-8")
    page_path = article(output).relative_to(output).parent.as_posix()
    with DevServer(output, state, port=free_port()) as base:
        watcher.start()
        context = browser.new_context(locale="de-DE")
        page = context.new_page()
        blocked: list[str] = []
        page.on("console", lambda message: blocked.append(message.text)
                if "Content Security Policy" in message.text else None)
        with page.expect_request(lambda request: request.url.endswith("/_preview/state"), timeout=20000):
            page.goto(f"{base}/{page_path}/")  # the page knows the build it shows

        save(post, original + "\nNeu: Lesecafé im Newsroom.\n")
        reloaded = shows(page, "Lesecafé im Newsroom")

        save(post, original.replace("measure: [mach-mit, wue-app]", "measure: [mach-mt]"))
        page.wait_for_selector("#sls-preview-error", timeout=20000)
        banner = page.inner_text("#sls-preview-error")
        context.close()
        stop.set()
    assert reloaded
    assert "Der Build ist fehlgeschlagen" in banner and "unbekannte Maßnahme „mach-mt“" in banner
    assert blocked == []


def test_an_svg_is_served_as_on_the_real_hosts_without_script(tmp_path: Path) -> None:
    import urllib.request

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "bild.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>',
                                                  encoding="utf-8")
    with DevServer(tmp_path, PreviewState(), port=free_port()) as base, \
            urllib.request.urlopen(base + "/images/bild.svg", timeout=10) as answer:
        policy = answer.headers["Content-Security-Policy"]
    assert policy is not None and "default-src 'none'" in policy and "script" not in policy

"""Rendering Markdown gives its memory back: a live preview and a parsing worker render
thousands of bodies, and cmark-gfm's own wrapper kept every document tree and every HTML it
rendered (about six times the body's size per call)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    sys.path.insert(0, sys.argv[1])
    from plugins.programme.commonmark import to_html

    def resident_mib():
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * 4096 / 2**20

    section = ("## Werkstatt im Quartier\\n\\nDie **Werkstatt** ist offen, siehe [Termine](https://example.org/)"
               " und die Fußnote.[^1]\\n\\n- erstens\\n- zweitens\\n\\n"
               "| Jahr | Zahl |\\n|---|--:|\\n| 2024 | 12 |\\n\\n"
               "> Ein Zitat ~~mit~~ Text.\\n\\n[^1]: Eine Fußnote.\\n\\n")
    body = section * 160  # about 50 KB, a 6,000-word post
    for _ in range(5):
        to_html(body, source_positions=True)
    before = resident_mib()
    for _ in range(100):
        assert "<table>" in to_html(body)
        to_html(body, hard_breaks=True, source_positions=True)
    print(resident_mib() - before)
""")


def test_rendering_a_long_body_again_and_again_keeps_no_memory() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    grown = float(done.stdout)
    assert grown < 8, f"200 renders of a 50 KB body kept {grown:.0f} MiB"  # cmark-gfm's wrapper: about 60


def test_a_footnote_cmark_cuts_in_the_middle_of_a_character_renders_with_a_replacement() -> None:
    from plugins.programme.commonmark import to_html

    # cmark-gfm writes the first byte of "ä" alone here; the page shows U+FFFD instead of the
    # build stopping on bytes that are no UTF-8.
    html = to_html("[^2]:[^[]ä\n-->\t2][^2]")
    assert "\ufffd" in html and 'id="fn-2"' in html


def test_renders_in_several_threads_give_the_html_of_one_at_a_time() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from plugins.programme.commonmark import to_html

    bodies = [f"## Teil {n}\n\n| A | B |\n|---|---|\n| {n} | ~~x~~ |\n\nText[^{n}] mit https://example.org/{n}\n\n"
              f"[^{n}]: Fußnote {n}.\n" * (1 + n % 7) for n in range(60)]
    alone = [to_html(body, source_positions=n % 2 == 0) for n, body in enumerate(bodies)]
    with ThreadPoolExecutor(6) as threads:
        together = list(threads.map(lambda n: to_html(bodies[n], source_positions=n % 2 == 0),
                                    [n for _ in range(5) for n in range(60)]))
    assert together == alone * 5

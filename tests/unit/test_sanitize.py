"""The backstop after Markdown: what no rule names is removed, what Markdown writes is kept."""

from __future__ import annotations

from plugins.programme.html_policy import html_findings
from plugins.programme.sanitize import sanitize


def test_markdown_output_passes_unchanged() -> None:
    html = ('<h2 id="ziel">Ziel</h2><p><a href="{filename}a.md">a</a> <abbr title="Open Data">OD</abbr></p>'
            '<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>'
            '<div class="footnote"><ol><li id="fn:1"><p>x <a class="footnote-backref" href="#fnref:1">↩</a>'
            "</p></li></ol></div>")
    assert sanitize(html) == html


def test_script_handlers_styles_and_remote_loading_are_removed() -> None:
    dirty = ('<p onclick="x()" style="color:red">T</p><script>x()</script><img src="https://t.example/p.gif" '
             'alt="p"><a href="javascript:x()">j</a><video poster="//t.example/p.jpg" src="/videos/a.mp4">'
             "</video>")
    assert sanitize(dirty) == '<p>T</p><img alt="p"><a>j</a><video src="/videos/a.mp4"></video>'


def test_a_reference_style_remote_image_is_refused_but_a_remote_link_is_not() -> None:
    body = "Ein ![Zähler][p] und ein [Link][q].\n\n[p]: https://tracker.example/x.gif\n[q]: https://ok.example/"
    assert [(f.line, f.message) for f in html_findings(body)] == [
        (3, "Bild „https://tracker.example/x.gif“ lädt von einem fremden Server")]


def test_table_alignment_survives_as_a_class() -> None:
    html = '<table><tbody><tr><td style="text-align: right;">2</td></tr></tbody></table>'
    assert sanitize(html) == '<table><tbody><tr><td class="sls-align-right">2</td></tr></tbody></table>'

"""The one Markdown parser setting: the renderer and the HTML policy read bodies the same way.

Bodies are CommonMark plus GitHub's tables, strikethrough, bare-address links and footnotes,
parsed by cmark-gfm. The HTML policy finds code blocks with the very parser the renderer uses:
with another setting (footnotes off, say) an indented line in a footnote would be code to one
and text, with its raw HTML, to the other.
"""

from __future__ import annotations

# No "tagfilter" (the HTML policy refuses <script> & co. with a message instead of showing
# them as text) and no "tasklist" (its check boxes would be form fields).
EXTENSIONS = ["table", "strikethrough", "autolink"]


def to_html(markdown: str, hard_breaks: bool = False, source_positions: bool = False) -> str:
    # Loaded where Markdown is read (in a cold build: the parsing pool's processes), never in
    # the processes that only write pages (a forked worker counts what its parent loaded).
    from cmarkgfm.cmark import Options, markdown_to_html_with_extensions

    # Raw HTML passes to the HTML policy and the sanitiser, which decide what stays.
    options = (Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_VALIDATE_UTF8
               | (Options.CMARK_OPT_HARDBREAKS if hard_breaks else 0)
               | (Options.CMARK_OPT_SOURCEPOS if source_positions else 0))
    return str(markdown_to_html_with_extensions(markdown, options, EXTENSIONS))

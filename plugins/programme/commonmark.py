"""The one Markdown parser setting: the renderer and the HTML policy read bodies the same way.

Bodies are CommonMark plus GitHub's tables, strikethrough, bare-address links and footnotes,
parsed by cmark-gfm. The HTML policy finds code blocks with the very parser the renderer uses:
with another setting (footnotes off, say) an indented line in a footnote would be code to one
and text, with its raw HTML, to the other.
"""

from __future__ import annotations

import functools
import threading
from typing import Any

# No "tagfilter" (the HTML policy refuses <script> & co. with a message instead of showing
# them as text) and no "tasklist" (its check boxes would be form fields).
EXTENSIONS = ["table", "strikethrough", "autolink"]


# cmark-gfm's functions as its header declares them (cmark-gfm.h, cmark-gfm-extension_api.h).
_DECLARATIONS = """
typedef struct cmark_node cmark_node;
typedef struct cmark_parser cmark_parser;
typedef struct cmark_syntax_extension cmark_syntax_extension;
typedef struct _cmark_llist cmark_llist;
void cmark_gfm_core_extensions_ensure_registered(void);
cmark_syntax_extension *cmark_find_syntax_extension(const char *name);
cmark_parser *cmark_parser_new(int options);
int cmark_parser_attach_syntax_extension(cmark_parser *parser, cmark_syntax_extension *extension);
void cmark_parser_feed(cmark_parser *parser, const char *buffer, size_t len);
cmark_node *cmark_parser_finish(cmark_parser *parser);
cmark_llist *cmark_parser_get_syntax_extensions(cmark_parser *parser);
char *cmark_render_html(cmark_node *root, int options, cmark_llist *extensions);
void cmark_node_free(cmark_node *node);
void cmark_parser_free(cmark_parser *parser);
void free(void *ptr);
"""


# cmark-gfm is not safe to call from two threads at once (its extensions share state): renders
# in two threads at once gave other HTML than one at a time. One at a time (a forked process has
# no other thread: plugins/programme/prefetch.workers_for).
_ONE_AT_A_TIME = threading.Lock()


@functools.cache
def _cmark() -> tuple[Any, Any, list[Any]]:
    """cmark-gfm as the pinned cmarkgfm package builds it, called directly. Its own
    ``markdown_to_html_with_extensions`` frees neither the document tree nor the HTML it renders
    (about six times a body's size per call: 200 MiB in a parsing worker of 500 long posts, and
    without end in a live preview); here both are freed."""
    # Loaded where Markdown is read (in a cold build: the parsing pool's processes), never in
    # the processes that only write pages (a forked worker counts what its parent loaded).
    from cffi import FFI
    from cmarkgfm import _cmark as compiled

    ffi = FFI()
    ffi.cdef(_DECLARATIONS)
    lib = ffi.dlopen(compiled.__file__)  # the library cmarkgfm loaded: the same code and registry
    lib.cmark_gfm_core_extensions_ensure_registered()
    extensions = [lib.cmark_find_syntax_extension(name.encode()) for name in EXTENSIONS]
    if any(extension == ffi.NULL for extension in extensions):
        raise RuntimeError(f"cmark-gfm lacks one of the extensions {EXTENSIONS}")
    return ffi, lib, extensions


def to_html(markdown: str, hard_breaks: bool = False, source_positions: bool = False) -> str:
    from cmarkgfm.cmark import Options

    # Raw HTML passes to the HTML policy and the sanitiser, which decide what stays.
    options = (Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_VALIDATE_UTF8
               | (Options.CMARK_OPT_HARDBREAKS if hard_breaks else 0)
               | (Options.CMARK_OPT_SOURCEPOS if source_positions else 0))
    data = markdown.encode("utf-8")
    with _ONE_AT_A_TIME:
        return _render(data, options)


def _render(data: bytes, options: int) -> str:
    ffi, lib, extensions = _cmark()
    parser = lib.cmark_parser_new(options)
    try:
        for extension in extensions:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        lib.cmark_parser_feed(parser, data, len(data))
        document = lib.cmark_parser_finish(parser)  # the caller's to free
        try:
            attached = lib.cmark_parser_get_syntax_extensions(parser)
            rendered = lib.cmark_render_html(document, options, attached)
            try:
                # cmark-gfm can cut a character in two (a footnote label ending in "ä"): U+FFFD there.
                return str(ffi.string(rendered).decode("utf-8", "replace"))
            finally:
                lib.free(rendered)
        finally:
            lib.cmark_node_free(document)
    finally:
        lib.cmark_parser_free(parser)

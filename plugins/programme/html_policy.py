"""What HTML an editor may write in Markdown, found on the source with its line numbers.

Markdown lets editors write raw HTML. The allowlist below is the one policy: anything outside
it (script, another host, an element, attribute, address scheme or comment the site does not
publish) is refused here, at the line where the editor wrote it. The sanitiser (``sanitize.py``)
enforces the same allowlist on the rendered HTML, so it never removes anything silently: what
it would remove was refused here first (a property test compares the two on generated input).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from .commonmark import to_html

# What the Markdown renderer writes (tables, footnotes, fenced code; markdown_body.py) and what
# editors may write on purpose (definition lists, abbreviations, details, the self-hosted video).
TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "source",
    "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time",
    "tr", "track", "u", "ul", "var", "video",
})
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang", "rel"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height", "loading", "srcset", "sizes"},
    "ol": {"start", "reversed", "type"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "video": {"src", "controls", "width", "height", "poster", "preload", "playsinline", "muted"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "details": {"open"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})  # relative addresses ({static}/…) too
# A table cell's alignment as Markdown writes it (align=) or HTML (style=): the sanitiser turns
# it into a class of the site's stylesheet, since the CSP blocks inline styles.
CELL_ALIGNMENT = re.compile(r"(?:text-align: ?)?(?:left|right|center);?")

# Refused with a message; the editor should know the page would not show them.
REFUSED_TAGS = {
    "script": "Skripte laufen auf dieser Website nicht",
    "style": "eigene Stile sind nicht möglich; die Website gestaltet Beiträge selbst",
    "link": "eingebundene Stylesheets oder Dateien sind nicht möglich",
    "iframe": "eingebettete fremde Seiten (z. B. Videos) laden von Dritten",
    "frame": "eingebettete fremde Seiten laden von Dritten",
    "object": "eingebettete Objekte sind nicht möglich",
    "embed": "eingebettete Objekte sind nicht möglich",
    "applet": "eingebettete Objekte sind nicht möglich",
    "form": "Formulare in Beiträgen sind nicht möglich",
    "input": "Formularfelder in Beiträgen sind nicht möglich",
    "button": "Formularfelder in Beiträgen sind nicht möglich",
    "meta": "Meta-Angaben gehören nicht in einen Beitrag",
    "base": "eine Basisadresse gehört nicht in einen Beitrag",
    "svg": "SVG direkt im Text ist nicht möglich",
    "math": "MathML direkt im Text ist nicht möglich",
}
# Attributes whose value is an address the browser follows or loads.
URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "action", "formaction", "data", "cite",
                  "background", "xlink:href", "longdesc", "ping"}
# Elements whose addresses are loaded with the page (not just followed when clicked).
LOADING = {"img", "video", "audio", "source", "track", "picture", "image", "input"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)
_URL_NOISE = re.compile(r"[\t\n\r]")  # a browser drops these anywhere in an address
_LEADING = re.compile(r"^[\x00-\x20]+")  # and C0 controls and spaces before it
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_BACKTICKS = re.compile(r"`+")
# Link text in brackets, one level of nested brackets allowed ("[a [b] c]"): a scan from one "["
# stops at the next "[[" or unclosed "[", so every scan below is linear in its input, whatever
# an editor (or an attacker) writes; an unbounded "[^]]*" would read to the end from every "[".
BRACKETED = r"\[(?:[^\[\]]|\[[^\[\]]*\])*\]"
# Markdown's own addresses: [text](url), ![alt](url), and reference definitions [id]: url.
MD_TARGET = re.compile(rf"(?P<image>!?){BRACKETED}\(\s*<?(?P<url>[^)\s>]*)")
MD_REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(?P<url>\S+?)>?(?:\s|$)")
# CommonMark's autolinks: <scheme:…> (a scheme of 2 to 32 characters) and <name@host>.
_MD_AUTOLINK = re.compile(r"<(?P<url>[a-z][a-z0-9+.-]{1,31}:[^<>\x00-\x20]*)>", re.IGNORECASE)
_MD_MAIL_AUTOLINK = re.compile(r"<[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
                               r"(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*>", re.IGNORECASE)

FIX_SCRIPT = "entferne es; Beiträge enthalten nur Text, Bilder und Links"
FIX_ALLOWLIST = "entferne es; welches HTML erlaubt ist, steht in der README unter „Was im Text erlaubt ist“"
FIX_SCHEME = "verlinke mit https://, mailto: oder tel: (oder eine Adresse dieser Website)"
FIX_REMOTE = ("lege die Datei unter content/images/ ab und binde sie mit {static} ein "
              "(für Videos: den selbst gehosteten Player, siehe Seite Gebärdensprache)")
FIX_INVALID = ("prüfe die Adresse (Leerzeichen, Schrägstriche, Port); am sichersten kopierst du sie "
               "aus dem Browser")
_BARE_ADDRESS = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'()\[\]]+", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


def unpublished_scheme(url: str) -> str | None:
    """The scheme of ``url`` if the site does not publish links with it (``None``: fine)."""
    found = _SCHEME.match(scheme_of(url))
    return found[1] if found and found[1] not in URL_SCHEMES else None


@functools.lru_cache(maxsize=4096)
def kept_by_sanitiser(href: str) -> bool:
    """Whether the sanitiser keeps the address ``href`` (as it stands in HTML, entities decoded):
    asked of the sanitiser's own URL parser, which drops what it cannot read ("https://a b/",
    a port above 65535, "https:%5C%5Chost")."""
    import nh3  # where content is read, as the sanitiser (plugins/programme/sanitize.py)

    probe = f'<a href="{html.escape(href)}">x</a>'
    return "href=" in nh3.clean(probe, tags={"a"}, attributes={"a": {"href"}}, url_schemes=set(URL_SCHEMES),
                                link_rel=None)


@functools.lru_cache(maxsize=4096)
def _markdown_href(url: str) -> str:
    """The address cmark writes for a Markdown link to ``url`` (it percent-encodes "\\", spaces…)."""
    found = re.search(r'href="([^"]*)"', to_html(f"[x](<{url}>)"))
    return html.unescape(found[1]) if found else url


@dataclass(frozen=True)
class HtmlFinding:
    line: int  # 1-based, within the body
    message: str
    fix: str


def loads_remote(url: str) -> bool:
    """Whether a browser loading ``url`` (relative to a page of this site) would contact another
    host. As the WHATWG URL parser reads it: entities decoded, tabs and line breaks dropped,
    leading spaces and controls trimmed, "\\" as "/" (so "/\\evil.example" and "https:\\\\…" are
    remote too); any scheme at all counts, since what the site loads is a path on its own host."""
    address = _LEADING.sub("", _URL_NOISE.sub("", html.unescape(url)))
    return bool(_REMOTE.match(address.replace("\\", "/")))


def scheme_of(url: str) -> str:
    """The scheme as a browser reads it: entities decoded, whitespace and controls removed."""
    return _CONTROL.sub("", html.unescape(url)).lower()


def blank_code_spans(line: str) -> str:
    """``line`` with its code spans as spaces. A span runs from a run of backticks to the next
    run of the same length (CommonMark); found in one pass over the runs, not by backtracking."""
    runs = [(found.start(), found.end()) for found in _BACKTICKS.finditer(line)]
    following: dict[int, int] = {}  # run index → the next run of the same length
    last: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        if length in last:
            following[index] = last[length]
        last[length] = index
    blanked, kept, index = [], 0, 0
    while index < len(runs):
        closing = following.get(index)
        if closing is None:
            index += 1
            continue
        start, end = runs[index][0], runs[closing][1]
        blanked += [line[kept:start], " " * (end - start)]
        kept, index = end, closing + 1
    return "".join([*blanked, line[kept:]])


# Code blocks as the Markdown parser itself finds them (fenced with any fence length or
# character, indented, inside lists and quotes): cmark marks each block's lines in its output.
_CODE_BLOCK = re.compile(r'<pre data-sourcepos="(\d+):\d+-(\d+):\d+"')


def _code_block_lines(body: str) -> set[int]:
    if "```" not in body and "~~~" not in body and "    " not in body and "\t" not in body:
        return set()
    rendered = to_html(body, source_positions=True)
    return {line for found in _CODE_BLOCK.finditer(rendered)
            for line in range(int(found[1]), int(found[2]) + 1)}


def prose(body: str) -> str:
    """The body with code blocks and code spans blanked (same lines), since they show as text."""
    code = _code_block_lines(body)
    lines = []
    for number, line in enumerate(body.split("\n"), 1):
        if number in code:
            lines.append("")
        elif "`" in line:
            lines.append(blank_code_spans(line))
        else:
            lines.append(line)
    return "\n".join(lines)


# Nesting a reader's browser (and this build) must follow: deeper is refused, not rendered.
MAX_NESTING = 64
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                   "track", "wbr"})
_TAG_NAME = re.compile(r"[a-z][a-z0-9-]*")  # what CommonMark takes for a tag (else it is text)
_QUOTES = re.compile(r"(?:[ ]{0,3}>)+")
# A line's container markers: quotes and list items ("> - > 1. text"), after its indentation.
_CONTAINERS = re.compile(r"(?P<indent>[ \t]*+)"
                         r"(?P<markers>(?:(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))[ \t]*+)++)")
# A list is two elements (list and item) on every level: the print editions' layout (WeasyPrint)
# runs out of stack below 64 levels of lists, so lists (alone or in quotes) nest half as deep.
MAX_LIST_NESTING = MAX_NESTING // 2
FIX_NESTING = f"verschachtle höchstens {MAX_NESTING} Ebenen; Texte lesen sich flacher ohnehin besser"


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[HtmlFinding] = []
        self.depth = 0
        self.too_deep = False

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)

    def _add(self, message: str, fix: str) -> None:
        self.findings.append(HtmlFinding(self.getpos()[0], message, fix))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not _TAG_NAME.fullmatch(tag):  # "<https:…" without its ">": Markdown shows it as text
            return
        written = self.get_starttag_text() or ""
        if tag not in _VOID and not written.endswith("/>"):
            self.depth += 1
            if self.depth > MAX_NESTING and not self.too_deep:
                self.too_deep = True
                self._add(f"HTML ist mehr als {MAX_NESTING} Ebenen tief verschachtelt", FIX_NESTING)
        if tag in REFUSED_TAGS:  # one cause, one message: its attributes go with it
            self._add(f"HTML-Element <{tag}> ist nicht erlaubt: {REFUSED_TAGS[tag]}", FIX_SCRIPT)
            return
        if tag not in TAGS:  # what it would load (the likelier intent) is said first, if anything
            before = len(self.findings)
            for name, value in attrs:
                if name in URL_ATTRIBUTES and value:
                    self._address(tag, name, value)
            if len(self.findings) == before:
                self._add(f"HTML-Element <{tag}> wird auf der Website nicht veröffentlicht", FIX_ALLOWLIST)
            return
        allowed = ATTRIBUTES["*"] | ATTRIBUTES.get(tag, set())
        seen: set[str] = set()
        for name, value in attrs:
            if name in seen and name in allowed:  # a browser keeps the first only
                self._add(f"HTML-Attribut „{_shown(name)}“ steht an <{tag}> mehrmals", "behalte eines davon")
                continue
            seen.add(name)
            if name.startswith("on"):
                self._add(f"HTML-Attribut „{_shown(name)}“ ist nicht erlaubt (führt Skript aus)", FIX_SCRIPT)
            elif name in URL_ATTRIBUTES and value and scheme_of(value).startswith(BAD_SCHEMES):
                self._address(tag, name, value)
            elif tag in ("td", "th") and name in ("align", "style") and CELL_ALIGNMENT.fullmatch(value or ""):
                continue
            elif name not in allowed:
                self._add(f"HTML-Attribut „{_shown(name)}“ an <{tag}> wird auf der Website nicht "
                          "veröffentlicht", FIX_ALLOWLIST)
            elif name in URL_ATTRIBUTES and value:
                self._address(tag, name, value)

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self._add("HTML-Kommentar wird nicht veröffentlicht (und in E-Mails nicht mitgeschickt)",
                  "entferne ihn; interne Notizen gehören nicht in den Text (sie stehen sonst im Repository)")

    def handle_decl(self, decl: str) -> None:
        self._add(f"HTML-Deklaration <!{_shown(decl)[:20]}> wird nicht veröffentlicht", FIX_ALLOWLIST)

    def unknown_decl(self, data: str) -> None:  # <![CDATA[…]]> and the like
        self.handle_decl(data)

    def handle_pi(self, data: str) -> None:
        self._add(f"Verarbeitungsanweisung <?{_shown(data)[:20]}> wird nicht veröffentlicht", FIX_ALLOWLIST)

    def _address(self, tag: str, name: str, value: str) -> None:
        for candidate in value.split(",") if name == "srcset" else [value]:
            url = candidate.strip().split(" ")[0]
            if scheme_of(url).startswith(BAD_SCHEMES):
                self._add(f"Adresse „{url[:40]}“ in <{tag} {name}> ist nicht erlaubt", FIX_SCRIPT)
            elif (tag in LOADING or name in ("src", "srcset", "poster", "background")) and loads_remote(url):
                self._add(f"<{tag}> lädt „{url[:60]}“ von einem fremden Server", FIX_REMOTE)
            elif unpublished_scheme(url):
                self._add(f"Adresse „{url[:40]}“ in <{tag} {name}> wird nicht veröffentlicht", FIX_SCHEME)
            elif _SCHEME.match(scheme_of(url)) and not kept_by_sanitiser(url):
                self._add(f"Adresse „{_shown(url)[:40]}“ in <{tag} {name}> ist ungültig und wird nicht "
                          "veröffentlicht", FIX_INVALID)


def _spaces(found: re.Match[str]) -> str:
    return " " * len(found[0])


def _shown(text: str) -> str:
    """A name from the source as a message shows it: printable, short."""
    return "".join(c if c.isprintable() else "?" for c in text[:40])


_MD_IMAGE_REFERENCE = re.compile(r"!\[(?P<alt>[^\[\]]*)\](?:\[(?P<id>[^\[\]]*)\])?")


def _markdown_findings(masked: str) -> Iterator[HtmlFinding]:
    # Reference-style images (![alt][id], ![alt][], ![alt]) load what the definition [id]: names.
    image_ids = {(m["id"] or m["alt"]).strip().lower() for m in _MD_IMAGE_REFERENCE.finditer(masked)
                 } if "![" in masked else set()
    for number, line in enumerate(masked.split("\n"), 1):
        if "[" not in line and "<" not in line and "://" not in line:  # most lines of prose
            continue
        targets = [(m["url"], bool(m["image"])) for m in MD_TARGET.finditer(line)]
        reference = MD_REFERENCE.match(line)
        if reference:
            used_by_image = line.strip()[1:].split("]", 1)[0].strip().lower() in image_ids
            targets.append((reference["url"], used_by_image))
        targets += [(m["url"], False) for m in _MD_AUTOLINK.finditer(line)]
        for url, image in targets:
            if scheme_of(url).startswith(BAD_SCHEMES):
                yield HtmlFinding(number, f"Link-Adresse „{url[:40]}“ ist nicht erlaubt", FIX_SCRIPT)
            elif image and loads_remote(url):
                yield HtmlFinding(number, f"Bild „{url[:60]}“ lädt von einem fremden Server", FIX_REMOTE)
            elif unpublished_scheme(url):
                yield HtmlFinding(number, f"Link-Adresse „{url[:40]}“ wird nicht veröffentlicht", FIX_SCHEME)
            elif _SCHEME.match(scheme_of(url)) and not kept_by_sanitiser(_markdown_href(url)):
                yield HtmlFinding(number, f"Link-Adresse „{_shown(url)[:40]}“ ist ungültig und wird nicht "
                                  "veröffentlicht", FIX_INVALID)
        if "://" not in line:
            continue
        written = {url for url, _ in targets}
        for found in _BARE_ADDRESS.finditer(line):  # GitHub's bare-address links
            url = found[0].rstrip("?!.,:*_~")
            if url in written:
                continue
            if url.lower().startswith("ftp:"):
                yield HtmlFinding(number, "Adresse mit „ftp://“ wird nicht als Link veröffentlicht",
                                  FIX_SCHEME)
            elif not kept_by_sanitiser(_markdown_href(url)):
                yield HtmlFinding(number, f"Adresse „{_shown(url)[:40]}“ ist ungültig und wird nicht als "
                                  "Link veröffentlicht", FIX_INVALID)


# Rows of one table: every page, feed, email and print edition shows all of them, and the print
# layout of a table of thousands of rows takes minutes (6,000 rows: 48 s, 235 pages).
MAX_TABLE_ROWS = 500
_TABLE_DELIMITER = re.compile(r"[ \t]*+\|?[ \t]*+:?-++:?[ \t]*+(?:\|[ \t]*+:?-++:?[ \t]*+)*+\|?[ \t]*+")
# A row as HTML's parser makes one: <tr> (also "<tr/>"), and a body, head or foot, which opens a
# row of its own for cells written without one.
_TABLE_ROW = re.compile(r"<(?:tr|tbody|thead|tfoot)[\s/>]", re.IGNORECASE)
_QUOTE_PREFIX = re.compile(r"[ \t]*+(?:>[ \t]?+)*+")
FIX_TABLE = (f"teile sie in Tabellen von höchstens {MAX_TABLE_ROWS} Zeilen, oder biete die Zahlen als "
             "Datei an (CSV, als Link)")


def _table_findings(masked: str) -> list[HtmlFinding]:
    """Tables (GitHub's Markdown tables and HTML's) of more than MAX_TABLE_ROWS rows in one text:
    each table too long on its own at its first line, else one finding where the rows of the
    text's tables together pass the limit (ten tables of 499 rows print as long as one of 5,000)."""
    tables: list[tuple[int, int]] = []  # (first line, rows)
    # A table in a quote is a table too: its lines without the quote markers.
    lines = [_QUOTE_PREFIX.sub("", line, count=1) if ">" in line else line for line in masked.split("\n")]
    number = 1
    while number < len(lines):
        if "|" in lines[number - 1] and "-" in lines[number] and _TABLE_DELIMITER.fullmatch(lines[number]):
            start, rows = number, 0
            number += 1
            while number < len(lines) and lines[number].strip():
                rows, number = rows + 1, number + 1
            tables.append((start, rows))
        number += 1
    if "<" in masked:
        for row in _TABLE_ROW.finditer(masked):
            tables.append((masked.count("\n", 0, row.start()) + 1, 1))
    found = [HtmlFinding(line, f"Tabelle hat {rows} Zeilen (höchstens {MAX_TABLE_ROWS})", FIX_TABLE)
             for line, rows in tables if rows > MAX_TABLE_ROWS]
    if found:
        return found
    total = 0
    for line, rows in sorted(tables):
        total += rows
        if total > MAX_TABLE_ROWS:
            whole = sum(rows for _line, rows in tables)
            return [HtmlFinding(line, f"Tabellen haben zusammen {whole} Zeilen (höchstens {MAX_TABLE_ROWS} "
                                "in einem Text)", FIX_TABLE)]
    return []


def _quote_findings(masked: str) -> list[HtmlFinding]:
    """Quotes nested deeper than MAX_NESTING, or lists (alone or in quotes) deeper than
    MAX_LIST_NESTING (a marker a level, and a level per two spaces of indentation): the first
    line that goes too deep."""
    for number, line in enumerate(masked.split("\n"), 1):
        if line.lstrip(" ").startswith(">"):
            found = _QUOTES.match(line)
            if found and found.group().count(">") > MAX_NESTING:
                return [HtmlFinding(number, f"Zitate sind mehr als {MAX_NESTING} Ebenen tief verschachtelt",
                                    FIX_NESTING)]
        containers = _CONTAINERS.match(line)
        if containers is None:
            continue
        markers = containers["markers"]
        quotes = markers.count(">")
        tokens = markers.split()
        # Indentation between the markers nests too ("> - a" then ">   - b"): what is left of the
        # prefix's whitespace after one space per marker, a level per two spaces.
        inner = len(markers.expandtabs(4)) - sum(map(len, tokens)) - len(tokens)
        levels = len(tokens) + (len(containers["indent"].expandtabs(4)) + max(0, inner)) // 2
        if levels - quotes and levels > MAX_LIST_NESTING:
            return [HtmlFinding(number, f"Listen und Zitate sind mehr als {MAX_LIST_NESTING} Ebenen tief "
                                "verschachtelt", f"verschachtle höchstens {MAX_LIST_NESTING} Ebenen; Texte "
                                "lesen sich flacher ohnehin besser")]
    return []


def html_findings(body: str) -> list[HtmlFinding]:
    """Every construct of ``body`` (Markdown with raw HTML) that the HTML policy refuses."""
    return findings_in_prose(prose(body))


def findings_in_prose(masked: str) -> list[HtmlFinding]:
    """``html_findings`` for a body already passed through ``prose``."""
    scanner = _Scanner()
    if "<" in masked:  # most posts hold no raw HTML: no need to parse them as HTML
        # A "<" after the last ">" can never open a tag; Python's HTML parser would read the rest
        # of the text again from each of them before taking it as text (quadratic): as text at once.
        end = masked.rfind(">") + 1
        html_only = masked[:end] + masked[end:].replace("<", "&lt;")
        if ":" in html_only or "@" in html_only:  # autolinks are Markdown's: checked as addresses
            html_only = _MD_MAIL_AUTOLINK.sub(_spaces, _MD_AUTOLINK.sub(_spaces, html_only))
        scanner.feed(html_only)
        scanner.close()
    found = {(f.line, f.message): f for f in [*scanner.findings, *_markdown_findings(masked),
                                              *_quote_findings(masked), *_table_findings(masked)]}
    return [found[key] for key in sorted(found)]

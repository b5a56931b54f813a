"""What HTML an editor may write in Markdown, found on the source with its line numbers.

Markdown lets editors write raw HTML. Anything that runs script, loads from another host or
changes the page around the post is refused here, at the line where the editor wrote it;
the sanitiser (``sanitize.py``) is only the backstop for what this does not name.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

from cmarkgfm.cmark import Options, markdown_to_html

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
_MD_AUTOLINK = re.compile(r"<(?P<url>(?:javascript|vbscript|data):[^<>\s]*)>", re.IGNORECASE)

FIX_SCRIPT = "entferne es; Beiträge enthalten nur Text, Bilder und Links"
FIX_REMOTE = ("lege die Datei unter content/images/ ab und binde sie mit {static} ein "
              "(für Videos: den selbst gehosteten Player, siehe Seite Gebärdensprache)")


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
    rendered = markdown_to_html(body, Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_UNSAFE)
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
_QUOTES = re.compile(r"(?:[ ]{0,3}>)+")
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
        written = self.get_starttag_text() or ""
        if tag not in _VOID and not written.endswith("/>"):
            self.depth += 1
            if self.depth > MAX_NESTING and not self.too_deep:
                self.too_deep = True
                self._add(f"HTML ist mehr als {MAX_NESTING} Ebenen tief verschachtelt", FIX_NESTING)
        if tag in REFUSED_TAGS:  # one cause, one message: its attributes go with it
            self._add(f"HTML-Element <{tag}> ist nicht erlaubt: {REFUSED_TAGS[tag]}", FIX_SCRIPT)
            return
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"HTML-Attribut „{name}“ ist nicht erlaubt (führt Skript aus)", FIX_SCRIPT)
            elif name in URL_ATTRIBUTES and value:
                self._address(tag, name, value)

    handle_startendtag = handle_starttag

    def _address(self, tag: str, name: str, value: str) -> None:
        for candidate in value.split(",") if name == "srcset" else [value]:
            url = candidate.strip().split(" ")[0]
            if scheme_of(url).startswith(BAD_SCHEMES):
                self._add(f"Adresse „{url[:40]}“ in <{tag} {name}> ist nicht erlaubt", FIX_SCRIPT)
            elif (tag in LOADING or name in ("src", "srcset", "poster", "background")) and loads_remote(url):
                self._add(f"<{tag}> lädt „{url[:60]}“ von einem fremden Server", FIX_REMOTE)


_MD_IMAGE_REFERENCE = re.compile(r"!\[(?P<alt>[^\[\]]*)\](?:\[(?P<id>[^\[\]]*)\])?")


def _markdown_findings(masked: str) -> Iterator[HtmlFinding]:
    # Reference-style images (![alt][id], ![alt][], ![alt]) load what the definition [id]: names.
    image_ids = {(m["id"] or m["alt"]).strip().lower() for m in _MD_IMAGE_REFERENCE.finditer(masked)
                 } if "![" in masked else set()
    for number, line in enumerate(masked.split("\n"), 1):
        if "[" not in line and "<" not in line:  # most lines of prose: no address in them
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


def _quote_findings(masked: str) -> list[HtmlFinding]:
    """Quotes nested deeper than MAX_NESTING: the first line that goes too deep."""
    for number, line in enumerate(masked.split("\n"), 1):
        if line.lstrip(" ").startswith(">"):
            found = _QUOTES.match(line)
            if found and found.group().count(">") > MAX_NESTING:
                return [HtmlFinding(number, f"Zitate sind mehr als {MAX_NESTING} Ebenen tief verschachtelt",
                                    FIX_NESTING)]
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
        scanner.feed(masked[:end] + masked[end:].replace("<", "&lt;"))
        scanner.close()
    found = {(f.line, f.message): f for f in [*scanner.findings, *_markdown_findings(masked),
                                              *_quote_findings(masked)]}
    return [found[key] for key in sorted(found)]

"""Each page links one stylesheet with exactly the parts its template names: a class a template,
partial or script can write must be in the stylesheet of every page that shows it."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from plugins.web.stylesheet import (
    DECLARED,
    StylesheetFor,
    UnknownStylePart,
    declared_parts,
    stylesheet,
    stylesheets,
)

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "theme"
TEMPLATES = THEME / "templates"
PARTS = THEME / "styles" / "parts"
CLASS = re.compile(r"\.(sls-[a-z0-9_-]+)")
USES = re.compile(r'{%-?\s*(?:include|import|from)\s+"([^"]+)"')
# Code that writes a part's classes into a page, and the part the pages showing it name.
EMITTERS = {"plugins/programme/charts.py": "charts", "plugins/search/search.js": "search"}
DESIGN = {"colors": {"light": {"primary": "#005a9c"}}}


def part_classes() -> dict[str, set[str]]:
    return {path.stem: set(CLASS.findall(path.read_text(encoding="utf-8"))) for path in PARTS.glob("*.css")}


def base_classes() -> set[str]:
    return {name for path in (THEME / "styles").glob("*.css")
            for name in CLASS.findall(path.read_text(encoding="utf-8"))}


@functools.cache
def template_uses() -> dict[str, tuple[str, set[str]]]:
    """Each template: its text and the templates it includes or imports."""
    texts = {path.relative_to(TEMPLATES).as_posix(): path.read_text(encoding="utf-8")
             for path in TEMPLATES.rglob("*.html")}
    return {name: (text, set(USES.findall(text))) for name, text in texts.items()}


def pages_showing(template: str) -> set[str]:
    """The page templates (those extending base.html) that include or import ``template``,
    directly or through other partials."""
    uses = template_uses()
    found, seen, todo = set(), {template}, [template]
    while todo:
        current = todo.pop()
        if '{% extends "base.html" %}' in uses.get(current, ("", set()))[0]:
            found.add(current)
            continue
        users = {name for name, (_text, used) in uses.items() if current in used} - seen
        seen |= users
        todo.extend(users)
    return found


def named_parts(template: str) -> set[str]:
    match = DECLARED.search((TEMPLATES / template).read_text(encoding="utf-8"))
    return set(match.group(1).split()) if match else set()


def test_a_part_s_classes_are_in_no_other_stylesheet_file() -> None:
    parts = part_classes()
    base = base_classes()
    for name, classes in parts.items():
        # Used in a part's rule only as context (".sls-newsletter-group .sls-card") is fine.
        own = {c for c in classes if c not in base}
        assert own, f"parts/{name}.css styles nothing of its own"
        for other, others in parts.items():
            if other != name:
                assert not own & others - base, (name, other, own & others)


def test_every_template_that_writes_a_part_s_class_names_the_part() -> None:
    parts = part_classes()
    base = base_classes()
    for path in sorted(TEMPLATES.rglob("*.html")):
        template = path.relative_to(TEMPLATES).as_posix()
        text = path.read_text(encoding="utf-8")
        for part, classes in parts.items():
            written = {c for c in classes - base if re.search(rf"\b{re.escape(c)}\b", text)}
            if not written:
                continue
            pages = pages_showing(template)
            assert pages, f"{template} writes {sorted(written)} but no page shows it"
            for page in pages:
                assert part in named_parts(page), (f"{page} shows {template}, which writes {sorted(written)} "
                                                   f"of parts/{part}.css: name {part!r} in its style_parts")


def test_code_that_writes_a_part_s_classes_is_known() -> None:
    parts = part_classes()
    base = base_classes()
    for path in sorted([*(ROOT / "plugins").rglob("*.py"), *(ROOT / "plugins").rglob("*.js")]):
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for part, classes in parts.items():
            if any(re.search(rf"\b{re.escape(c)}\b", text) for c in classes - base):
                assert EMITTERS.get(name) == part, f"{name} writes classes of parts/{part}.css"
    # And the pages those emitters write into name the part.
    assert "charts" in named_parts("measure.html") and "charts" in named_parts("impact.html")
    assert "search" in named_parts("search.html")


def test_each_combination_gets_one_sheet_with_its_parts_and_an_article_page_none() -> None:
    sheets = stylesheets(DESIGN, THEME, "theme")
    assert set(sheets) == {"", *declared_parts(TEMPLATES)}
    assert len({sheet.path for sheet in sheets.values()}) == len(sheets)  # one file each
    plain, search = sheets[""].text, sheets["search"].text
    assert ".sls-search__form" in search and ".sls-search__form" not in plain
    assert ".sls-chart" not in plain and ".sls-field" not in plain and ".sls-pagination ul" not in plain
    assert set(CLASS.findall(plain)) <= set(CLASS.findall(search))  # the parts come on top
    assert "--sls-color-primary:#005a9c" in plain


def test_an_unknown_part_stops_the_build_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "parts").mkdir()
    with pytest.raises(UnknownStylePart, match="'maps'"):
        stylesheet(DESIGN, tmp_path, "theme", "maps")
    with pytest.raises(UnknownStylePart, match=re.escape("'../x'")):
        stylesheet(DESIGN, tmp_path, "theme", "../x")
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text('{% block style_parts %}{{ "lists" }}{% endblock %}',
                                         encoding="utf-8")
    with pytest.raises(UnknownStylePart, match=re.escape("page.html: the block style_parts holds")):
        declared_parts(templates)


def test_the_most_derived_template_chooses_and_an_undeclared_choice_names_its_template() -> None:
    from jinja2 import DictLoader, Environment

    sheets = stylesheets(DESIGN, THEME, "theme")
    env = Environment(loader=DictLoader({
        "base.html": "{% if false %}{% block style_parts %}{% endblock %}{% endif %}"
                     "{{ stylesheet_for(self.style_parts()) }}",
        "measure.html": '{% extends "base.html" %}{% block style_parts %}charts{% endblock %}',
        "variant.html": '{% extends "measure.html" %}{% block style_parts %}\n lists \n{% endblock %}',
        "odd.html": '{% extends "base.html" %}{% block style_parts %}search forms{% endblock %}'}))
    env.globals["stylesheet_for"] = StylesheetFor(sheets)
    assert env.get_template("base.html").render() == sheets[""].path
    assert env.get_template("measure.html").render() == sheets["charts"].path
    assert env.get_template("variant.html").render() == sheets["lists"].path
    with pytest.raises(UnknownStylePart, match=re.escape("odd.html: style_parts 'forms search'")):
        env.get_template("odd.html").render()

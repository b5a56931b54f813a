"""The web renderer's extra pages (measures, clusters), the stylesheet and template helpers."""

from pathlib import Path
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from plugins.engine import kept_site
from plugins.programme.agenda import events_page, in_language
from plugins.programme.build_state import PerBuild, state_of
from plugins.programme.catalogues import install as install_catalogues
from plugins.programme.catalogues import page_edition
from plugins.programme.edition_pages import edition_path, news_page, page_link
from plugins.programme.edition_pages import lang_mark as item_lang_mark
from plugins.programme.formatting import json_ld
from plugins.programme.originals import RASTER, Originals
from plugins.programme.page_versions import page_versions
from plugins.programme.pictures import DERIVED
from plugins.programme.problems import ContentProblemsError
from plugins.programme.programme_texts import has_text_in, plain_text_in, text_in, text_mark
from plugins.programme.signup import SIGNUP, signup_action, signup_editions, signup_lists, signup_page
from plugins.programme.videos import facts_of

from .filters import breakable, filesize
from .findability import (
    NOT_LISTED,
    PreviewImage,
    breadcrumb_data,
    findability_of,
    posting_data,
    robots,
    site_files,
    sitemap,
    sitemap_pages,
    website_data,
)
from .fragments import Fragments
from .hosting import write_hosting_files
from .pages import ProgrammePagesGenerator
from .pictures import SIZES, picture_html, pictures_of, responsive_body


def get_generators(_pelican):
    return [ProgrammePagesGenerator, OriginalsGenerator]


HELD = "SLS_RASTER_ORIGINALS"


class _Held(PerBuild):
    def __init__(self, statics: list[Any]) -> None:
        self.statics = statics


def hold_raster_originals(generator) -> None:
    """Pelican copies static files as they are; raster images are written clean instead
    (``plugins/programme/originals.py``). Their links ({static}, the site's addresses) stay."""
    raster: list[Any] = []
    other: list[Any] = []
    for static in generator.staticfiles:  # one pass: a site may hold thousands of photos
        (raster if Path(static.relative_source_path).suffix.lower() in RASTER else other).append(static)
    generator.staticfiles[:] = other
    generator.settings[HELD] = _Held(raster)


class OriginalsGenerator(Generator):  # type: ignore[misc]
    """Writes the raster uploads Pelican's static generator was relieved of; reads none of the
    other generators' output, so it runs beside them."""

    beside_writers = True

    def generate_output(self, writer) -> None:
        held = self.settings.get(HELD)
        if not isinstance(held, _Held):
            return
        cache = self.settings.get("CACHE_PATH")
        originals = Originals(Path(self.settings["PATH"]), Path(self.output_path),
                              Path(cache) / DERIVED if cache else None)
        problems = [problem for static in held.statics
                    if (problem := originals.write(static.relative_source_path, static.save_as)) is not None]
        if problems:
            raise ContentProblemsError(problems)


def add_filters(generator) -> None:
    content = generator.settings["PATH"]
    generator.env.filters["filesize"] = lambda path: filesize(content, path)
    generator.env.filters["breakable"] = breakable
    found = findability_of(generator.settings)
    programme = state_of(generator.settings).programme
    settings = generator.settings

    def picture(siteurl: str, image: str, alt: str, lazy: bool = False, sizes: str = SIZES) -> Markup:
        return picture_html(pictures_of(settings), siteurl, image, alt, sizes, lazy)

    def preview(image: str) -> PreviewImage | None:
        """Link previews show a variant of a photo (1440 px JPEG), never its original."""
        made = pictures_of(settings).of(image)
        if made is not None:
            return PreviewImage(found.absolute(made.largest.url), made.width, made.height)
        return found.preview(image)

    def body(siteurl: str, html: str) -> Markup:
        return responsive_body(html, pictures_of(settings), siteurl)

    install_catalogues(generator.env, programme.editions[0].key, lambda key: programme.edition(key).lang)

    @pass_context
    def lang_mark(context: Any, item: Any) -> Markup:
        """` lang="…" dir="…"` for a post or event shown on a page of another language (a German
        event on an English page), else nothing."""
        page = programme.edition(page_edition(context, programme.editions[0].key))
        return item_lang_mark(programme, item, page)

    cards: dict[tuple[Any, ...], Markup] = {}

    @pass_context
    def card_once(context: Any, card: Any, article: Any, heading: int) -> Markup:
        """A post's card (the ``card`` macro) as a list page in this language shows it: the same
        on the news pages, its topics', measure's and cluster's, so made once per build."""
        key = (article.source_path, heading, page_edition(context, programme.editions[0].key),
               context.get("SITEURL"))
        if key not in cards:
            cards[key] = Markup(card(article, heading))
        return cards[key]

    found_pages: dict[tuple[Any, ...], Any] = {}

    def page_in(slug: str, key: str) -> Any:
        """The About page, legal notice, …: in edition ``key``'s language where translated (asked
        by every page's header and footer: looked up once per build and edition)."""
        pages = generator.context.get("pages") or ()
        index = (slug, key, id(pages), len(pages))
        if index not in found_pages:
            found_pages[index] = page_link(programme, pages, slug, key)
        return found_pages[index]

    def issues_carrying(subject: Any) -> list[Any]:
        """The recorded newsletter issues that carried a post of measure, cluster or tag
        ``subject``, newest first (read when a page is written: every generator's context is
        there). Tags are Pelican's, compared by slug like their pages."""
        issues = generator.context.get("newsletter_issues") or []
        kind = {"Measure": "measures", "Cluster": "clusters"}.get(type(subject).__name__, "tags")
        slug = getattr(subject, "slug", None)
        return [issue for issue in reversed(issues)
                if any(slug in {getattr(item, "slug", None) for item in getattr(post, kind, None) or ()}
                       for post in issue.posts)]

    generator.env.globals.update(
        # Newsletter sign-up per language (plugins/programme/signup.py).
        signup_lists=lambda key: signup_lists(programme, key),
        signup_action=lambda key: signup_action(programme, key),
        signup_page=lambda key, page=SIGNUP: signup_page(programme, key, page),
        signup_editions=lambda: [programme.edition(key) for key in signup_editions(programme)],
        events_page=lambda key: events_page(programme, key),
        edition_page=lambda path, key: edition_path(programme, path, key),
        news_page=lambda key: news_page(programme, key),
        # The About page, legal notice, …: in the edition's language where translated.
        page_in=page_in,
        page_versions=lambda url: page_versions(programme, url),
        issues_carrying=issues_carrying,
        card_once=card_once,
        fragment=Fragments(generator.env),
        lang_mark=lang_mark,
        in_language=in_language,
        picture=picture,
        body_with_pictures=body,
        preview_image=preview,
        website_jsonld=lambda edition="": json_ld(website_data(programme, found.base, edition)),
        breadcrumbs_jsonld=lambda items, current, home="Startseite": json_ld(
            breadcrumb_data(items, found.base, current, home)),
        posting_jsonld=lambda article, image: json_ld(posting_data(article, programme, found.base, image)),
        # Pages the sitemap never lists say so to search engines too (one list: NOT_LISTED).
        # The programme's texts in a page's language (programme.<key>.yml), German where missing.
        programme_text=lambda entity, name, key: text_in(programme, entity, name, key),
        programme_plain=lambda entity, name, key: plain_text_in(programme, entity, name, key),
        programme_has=lambda entity, name, key: has_text_in(programme, entity, name, key),
        programme_mark=lambda entity, name, key: text_mark(programme, entity, name, key),
        # Sign-language videos: pixels and length as ffprobe reads them (plugins/programme/videos.py).
        video_facts=lambda name: facts_of(Path(content), name),
        unlisted=lambda output_file: str(output_file or "").startswith(NOT_LISTED),
    )


def hosting_files(pelican) -> None:
    output = Path(pelican.output_path)
    found = findability_of(pelican.settings)
    html, svgs = site_files(output)
    write_hosting_files(output, state_of(pelican.settings).programme, svgs, found.moves, found.gone)
    newest = max(found.lastmod.values(), default=state_of(pelican.settings).config.now)
    # The pages a development rebuild carries over from the last site belong in the sitemap too.
    for folder in kept_site(pelican.settings):
        html += site_files(folder)[0]
    pages = sitemap_pages(html, found.moves, found.gone)
    (output / "sitemap.xml").write_text(sitemap(pages, found.base, found.lastmod, newest, found.alternates),
                                        encoding="utf-8")
    (output / "robots.txt").write_text(robots(found.base), encoding="utf-8")


def register() -> None:
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(add_filters)
    signals.static_generator_finalized.connect(hold_raster_originals)
    signals.finalized.connect(hosting_files)

"""The editors' content check: every file validated, no pages built, no browser.

    python -m pipeline.content_check [--content DIR] [--programme FILE]

Used by `invoke check --fast` and the pre-commit hook. Reads the same settings
and runs the same loader as the build, so it reports exactly the build's
``path:line: problem — fix`` lines, all at once; exit 1 on any.
"""

from __future__ import annotations

import argparse
import os
import sys

from plugins.programme.locations import CONTENT_ENV, PROGRAMME_ENV, from_env
from plugins.programme.problems import Problem, display_path
from plugins.programme.programme_file import read_programme
from plugins.programme.programme_texts import outdated_texts, read_texts
from plugins.programme.schema import PAGE
from plugins.programme.tree import ContentConfig, Source, outdated_translations, read_tree

from .settings import DEVELOPMENT, ContentFolderMissing, EnvironmentValueError, load_settings


def content_problems(content: str | None = None, programme: str | None = None,
                     settings_file: str = str(DEVELOPMENT)) -> list[Problem]:
    return content_reading(content, programme, settings_file)[0]


def content_reading(content: str | None = None, programme: str | None = None,
                    settings_file: str = str(DEVELOPMENT)
                    ) -> tuple[list[Problem], list[Source], ContentConfig]:
    settings = load_settings(settings_file, content, programme)
    config = ContentConfig.from_settings(settings)
    return (*read_tree(config), config)


def outdated_lines(sources: list[Source], config: ContentConfig) -> list[str]:
    """One line per translation made from an older text of its original (not a problem: the
    page says so to its readers; the editors should know which to look at), and per entry of a
    programme.<key>.yml made from older texts of programme.yml."""
    # At the line of its "translated_from" (where the new state goes), else of its front matter.
    lines = [f"{translation.post.path}:{translation.post.line_of('translated_from')}: Übersetzung ist älter "
             f"als ihr Original "
             f"{display_path(config.root / original.relative)} — prüfe sie, dann trägt "
             f"„invoke translated {translation.post.path}“ den neuen Stand ein"
             for translation, original in outdated_translations(sources, config.default_lang)]
    # The programme's texts only (read_programme_of also probes every sign-language video).
    programme = read_programme(display_path(config.programme_file)).programme
    if programme is not None:
        programme.texts = read_texts(config.programme_file, programme)[0]
        lines += [f"{path}:{line}: Übersetzung {what} ist älter als ihr Original in "
                  f"{display_path(config.programme_file)} — prüfe sie, dann trägt „invoke translated {path}“ "
                  "den neuen Stand ein" for path, line, what in outdated_texts(programme)]
    return lines


def missing_legal_pages(sources: list[Source], config: ContentConfig) -> list[str]:
    """One line per legal notice or privacy statement the site lacks (or keeps as a draft): the
    footer and every newsletter email link them where they are, and law asks for both."""
    published = {s.post.meta.get("legal_section") for s in sources if s.kind == PAGE
                 and s.lang == config.default_lang and s.post.meta.get("status", "published") == "published"}
    names = {"impressum": "kein Impressum", "datenschutz": "keine Datenschutzerklärung"}
    return [f"{config.page_paths[0] if config.page_paths else 'pages'}/: keine veröffentlichte Seite mit "
            f"„legal_section: {section}“: Website und Newsletter verlinken {name} — lege die Seite an "
            f"(mit „legal_section: {section}“) oder veröffentliche sie"
            for section, name in names.items() if section not in published]


def uncatalogued_languages(config: ContentConfig) -> list[str]:
    """One line per language (other than the originals') without interface translations: its
    pages, sign-up and emails would show the interface in German under its language's name."""
    from plugins.programme.catalogues import LOCALE, has_catalogue

    programme = read_programme(display_path(config.programme_file)).programme
    if programme is None:
        return []
    first = programme.editions[0].lang.split("-")[0]
    found = []
    for edition in programme.editions[1:]:
        if edition.lang.split("-")[0] == first or has_catalogue(edition.key):
            continue  # German in its words (Leichte Sprache, de-CH), or translated
        target = display_path(LOCALE / edition.key / "LC_MESSAGES" / "sls.po")
        found.append(f"{target}: fehlt, die Sprache „{edition.key}“ ({edition.name}) hat keine Übersetzung "
                     "der Oberfläche: ihre Seiten und E-Mails zeigen sie auf Deutsch — lege sie an mit "
                     f"„pybabel init -D sls -i theme/locale/sls.pot -o {target} "
                     f"-l {edition.lang.replace('-', '_')}“ und übersetze sie")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check content without building the site.")
    parser.add_argument("--content", default=from_env(os.environ, CONTENT_ENV))
    parser.add_argument("--programme", default=from_env(os.environ, PROGRAMME_ENV))
    parser.add_argument("files", nargs="*", help="ignored: the whole content is always checked")
    args = parser.parse_args(argv)
    try:
        problems, sources, config = content_reading(args.content, args.programme)
    except (ContentFolderMissing, EnvironmentValueError) as error:
        print(error, file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    # Interface translations that cannot be used (German stands in): the translators' to fix.
    from plugins.programme.catalogues import LOCALE, catalogue_problems, missing_translations

    for line in catalogue_problems():
        print(line)
    # Unread programme data reads no sources either: what the site lacks would only follow from it.
    if sources or not problems:
        for line in uncatalogued_languages(config) + missing_legal_pages(sources, config):
            print(line)
    for key, lacking in missing_translations().items():
        if lacking:
            print(f"{display_path(LOCALE / key / 'LC_MESSAGES' / 'sls.po')}: {len(lacking)} Text"
                  f"{'e' if len(lacking) != 1 else ''} der Oberfläche ohne Übersetzung, dort steht Deutsch "
                  f"(zuerst: „{lacking[0]}“) — übersetze sie dort")
    outdated = outdated_lines(sources, config)
    if outdated:
        print("\n".join(outdated))
        print(f"{len(outdated)} Übersetzung{'en' if len(outdated) != 1 else ''} älter als "
              "ihr Original (übersetzte Beiträge, Seiten und Termine sagen es ihren Leserinnen und Lesern).")
    where = args.content or os.environ.get(CONTENT_ENV) or "content"
    if problems:
        print(f"{len(problems)} Problem{'e' if len(problems) != 1 else ''} im Inhalt von {where}.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

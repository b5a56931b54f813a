"""The content model: programme data, front-matter schema, validation, enrichment.

Knows no renderer. Web pages, feeds, newsletter and CMS config read what this
plugin leaves on the articles (``measures``, ``clusters``) and in the context
(``programme``).
"""

from __future__ import annotations

import os

from pelican import signals
from pelican.generators import ArticlesGenerator

from .enrich import date_de, enrich_articles, index_updates, isodate, origin
from .problems import ContentProblemsError, Problem
from .reader import ProgrammeMarkdownReader, programme_for
from .registry import Cluster, Measure, Programme, load_programme
from .validation import site_problems

__all__ = ["Cluster", "ContentProblemsError", "Measure", "Problem", "Programme",
           "load_programme", "programme_for", "register"]


def configure(pelican) -> None:
    settings = pelican.settings
    settings.setdefault("PROGRAMME_FILE", os.path.join(settings["PATH"], "programme.yml"))
    programme_for(settings)  # a broken programme file stops the build before any output


def add_reader(readers) -> None:
    for extension in ProgrammeMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ProgrammeMarkdownReader


def share_programme(generator) -> None:
    programme = programme_for(generator.settings)
    generator.context["programme"] = programme
    generator.env.globals["programme"] = programme
    generator.env.filters.update(date_de=date_de, isodate=isodate, origin=origin)


def validate_and_enrich(generators) -> None:
    context = generators[0].context
    contents = list(context["generated_content"].values())
    problems = site_problems(contents, context, generators[0].settings["PATH"])
    if problems:
        raise ContentProblemsError(problems)
    programme: Programme = context["programme"]
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            enrich_articles(
                [*generator.articles, *generator.translations, *generator.drafts,
                 *generator.drafts_translations], programme)
            index_updates(generator.articles, programme)


def register() -> None:
    signals.initialized.connect(configure)
    signals.readers_init.connect(add_reader)
    signals.generator_init.connect(share_programme)
    signals.all_generators_finalized.connect(validate_and_enrich)

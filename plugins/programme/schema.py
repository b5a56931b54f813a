"""The front-matter schema: one definition read by validation and the CMS config."""

from __future__ import annotations

from dataclasses import dataclass

ARTICLE = "article"
PAGE = "page"


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field as editors see it."""

    name: str
    kind: str  # string, text, datetime, measures, list, image, bool, choice
    label: str  # German label, shown in the CMS and in error messages
    required_for: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    default: object = None
    hint: str = ""


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "string", "Titel", (ARTICLE, PAGE), hint="kurz und aussagekräftig"),
    FieldSpec("date", "datetime", "Veröffentlicht am", (ARTICLE,),
              hint="JJJJ-MM-TT SS:MM, Ortszeit Berlin"),
    FieldSpec("modified", "datetime", "Geändert am", hint="nur bei wesentlichen Änderungen"),
    FieldSpec("measure", "measures", "Maßnahme", (ARTICLE,),
              hint="Slug einer Maßnahme oder eine Liste von Slugs"),
    FieldSpec("summary", "text", "Zusammenfassung", (ARTICLE,),
              hint="ein bis zwei Sätze, ohne Formatierung"),
    FieldSpec("summary_easy", "text", "Zusammenfassung in Leichter Sprache",
              hint="kurze Sätze, ein Gedanke pro Satz"),
    FieldSpec("author", "string", "Autorin oder Autor"),
    FieldSpec("authors", "list", "Autorinnen und Autoren"),
    FieldSpec("tags", "list", "Schlagwörter", hint="Liste oder durch Kommas getrennt"),
    FieldSpec("image", "image", "Titelbild", hint="Pfad relativ zu content/, z. B. images/bild.svg"),
    FieldSpec("image_alt", "string", "Alternativtext zum Titelbild",
              hint="beschreibt, was auf dem Bild zu sehen ist"),
    FieldSpec("status", "choice", "Status", choices=("draft", "published"), default="published"),
    FieldSpec("newsletter", "bool", "Im Newsletter", default=True),
    FieldSpec("lang", "string", "Sprache", default="de"),
    FieldSpec("slug", "string", "Adresse (Slug)", hint="nur Kleinbuchstaben, Ziffern, Bindestriche"),
    FieldSpec("uid", "string", "Dauerhafte Kennung", hint="nur setzen, wenn ein Beitrag umzieht"),
    FieldSpec("legal_section", "choice", "Rechtlicher Abschnitt",
              choices=("impressum", "datenschutz", "barrierefreiheit", "gebaerdensprache")),
    FieldSpec("template", "string", "Vorlage"),
    FieldSpec("line_breaks", "bool", "Jede Zeile ein eigener Satz (Leichte Sprache)", default=False,
              hint="jeder Zeilenumbruch im Text bleibt erhalten"),
)

BY_NAME = {spec.name: spec for spec in FIELDS}


def required_fields(kind: str) -> list[FieldSpec]:
    """Fields that content of ``kind`` (article or page) must have."""
    return [spec for spec in FIELDS if kind in spec.required_for]

"""The front-matter schema: one definition read by validation and the CMS config."""

from __future__ import annotations

from dataclasses import dataclass, replace

ARTICLE = "article"
PAGE = "page"
EVENT = "event"  # a participation date (content/termine/)
# The one template that shows each kind's text (`template:` may name only it).
TEMPLATES = {ARTICLE: "article", PAGE: "page", EVENT: "event"}


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field as editors see it."""

    name: str
    kind: str  # string, text, datetime, when (date or date-time), measures, list, image, bool, choice
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
    FieldSpec("status", "choice", "Status", choices=("draft", "published", "withdrawn"), default="published",
              hint="withdrawn: zurückgezogen – die Adresse sagt es (HTTP 410), statt ins Leere zu führen"),
    FieldSpec("withdrawn_reason", "text", "Warum zurückgezogen",
              hint="ein Satz für Leserinnen und Leser, die der alten Adresse folgen"),
    FieldSpec("aliases", "list", "Frühere Adressen",
              hint="nach einer Änderung von Titel, Slug oder Datum: die alte Adresse, "
                   "z. B. /aktuelles/2022/alter-titel/"),
    FieldSpec("newsletter", "bool", "Im Newsletter", default=True),
    FieldSpec("lang", "string", "Sprache", default="de"),
    FieldSpec("translated_from", "string", "Übersetzt aus der Fassung",
              hint="bei Übersetzungen: „invoke translated DATEI“ trägt den Stand des Originals ein"),
    FieldSpec("slug", "string", "Adresse (Slug)", hint="nur Kleinbuchstaben, Ziffern, Bindestriche"),
    FieldSpec("uid", "string", "Dauerhafte Kennung", hint="nur setzen, wenn ein Beitrag umzieht"),
    FieldSpec("legal_section", "choice", "Rechtlicher Abschnitt",
              choices=("impressum", "datenschutz", "barrierefreiheit", "gebaerdensprache")),
    FieldSpec("template", "string", "Vorlage"),
    FieldSpec("line_breaks", "bool", "Jede Zeile ein eigener Satz (Leichte Sprache)", default=False,
              hint="jeder Zeilenumbruch im Text bleibt erhalten"),
    FieldSpec("events", "list", "Zugehörige Termine", hint="Slugs von Terminen, z. B. [zukunftswerkstatt]"),
)

BY_NAME = {spec.name: spec for spec in FIELDS}

# What a translation takes from its original unless it says otherwise: what the post is about
# and when it appeared, not what it says.
INHERITED = ("date", "measure", "image", "image_alt", "events", "newsletter", "legal_section")
# What an event's translation takes from its original and must not write itself: an event takes
# place once, at one time and place, in every language (its calendars would disagree otherwise).
EVENT_FACTS = ("start", "end", "status", "previous_starts", "measure", "place_name", "place_street",
               "place_town", "online_url", "accessibility", "registration", "registration_url",
               "registration_deadline", "example", "posts", "teilnehmende")
# ... and what it takes unless it says otherwise (as a post's translation does); of these, texts
# in words are shown in German (and marked so) until the translation has its own.
EVENT_TEXTS = ("transit", "registration_note")
EVENT_INHERITED = ("date", "modified", "image", "image_alt", *EVENT_TEXTS, *EVENT_FACTS)

EVENT_STATUSES = ("geplant", "ausgebucht", "abgesagt", "verschoben", "online-statt-vor-ort")
REGISTRATION = ("keine", "link", "hinweis")

# A participation date. Shared fields mean the same as in posts; ``date`` is when the event
# was announced (feeds and newsletter order by it), ``start``/``end`` when it takes place.
EVENT_FIELDS: tuple[FieldSpec, ...] = (
    replace(BY_NAME["title"], required_for=(EVENT,)),
    FieldSpec("start", "when", "Beginn", (EVENT,),
              hint="JJJJ-MM-TT SS:MM, Ortszeit Berlin; nur JJJJ-MM-TT für ganztägig"),
    FieldSpec("end", "when", "Ende", (EVENT,), hint="wie Beginn; bei ganztägig der letzte Tag"),
    FieldSpec("date", "datetime", "Angekündigt am", (EVENT,),
              hint="wann der Termin bekannt gegeben wird (Feeds, Newsletter)"),
    FieldSpec("modified", "datetime", "Geändert am",
              hint="bei jeder Änderung von Ort oder Status setzen: Kalender übernehmen sie dann"),
    replace(BY_NAME["measure"], required_for=(EVENT,)),
    replace(BY_NAME["summary"], required_for=(EVENT,)),
    BY_NAME["summary_easy"],
    FieldSpec("status", "choice", "Stand", choices=EVENT_STATUSES, default="geplant"),
    FieldSpec("previous_starts", "list", "Frühere Termine (bei Verschiebung)",
              hint="beim Verschieben den bisherigen Beginn hier eintragen, Beginn und Ende neu setzen"),
    FieldSpec("place_name", "string", "Ort", hint="z. B. Coworking Newsroom"),
    FieldSpec("place_street", "string", "Straße und Hausnummer"),
    FieldSpec("place_town", "string", "PLZ und Ort", hint="z. B. 97070 Würzburg"),
    FieldSpec("online_url", "string", "Online-Teilnahme (Link)", hint="https://…"),
    FieldSpec("accessibility", "list", "Barrierefreiheit des Ortes",
              hint="Kennungen aus programme.yml (events.accessibility)"),
    FieldSpec("transit", "text", "Anreise mit Bus und Bahn"),
    FieldSpec("registration", "choice", "Anmeldung", choices=REGISTRATION, default="keine"),
    FieldSpec("registration_url", "string", "Anmeldung: Link", hint="https://…"),
    FieldSpec("registration_note", "text", "Anmeldung: Hinweis", hint="z. B. per Telefon, mit Frist"),
    FieldSpec("registration_deadline", "datetime", "Anmeldung bis"),
    FieldSpec("example", "bool", "Beispieltermin (Datum nicht echt)", default=False,
              hint="nur für Beispielinhalte: die Seite sagt es, veröffentlichen wird abgelehnt"),
    FieldSpec("posts", "list", "Zugehörige Beiträge", hint="Slugs von Beiträgen"),
    FieldSpec("teilnehmende", "count", "Teilnehmende (nach dem Termin)",
              hint="wie viele Menschen teilgenommen haben; erst nach dem Termin eintragen (Bericht)"),
    BY_NAME["image"],
    BY_NAME["image_alt"],
    BY_NAME["slug"],
    FieldSpec("uid", "string", "Dauerhafte Kennung", hint="nur setzen, wenn ein Termin umzieht"),
    BY_NAME["aliases"],
    BY_NAME["lang"],
    BY_NAME["translated_from"],
    BY_NAME["line_breaks"],
)
EVENT_BY_NAME = {spec.name: spec for spec in EVENT_FIELDS}


def fields_for(kind: str) -> dict[str, FieldSpec]:
    """The fields content of ``kind`` may have."""
    return EVENT_BY_NAME if kind == EVENT else BY_NAME


def required_fields(kind: str) -> list[FieldSpec]:
    """Fields that content of ``kind`` (article, page or event) must have."""
    return [spec for spec in fields_for(kind).values() if kind in spec.required_for]

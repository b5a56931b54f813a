"""The open-data catalogue (plugins/web/opendata.py) against the official DCAT-AP.de 3.0 shapes
(checks/dcat.py, pinned in checks/shapes/dcat-ap-de): a realistic catalogue conforms, hostile texts
read back exactly and still conform, a missing publisher name or licence is found, and a hostile
address cannot leave its IRI. One validation takes about 0.1 s (the first 0.5 s: pyshacl, the shapes)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import Namespace

from checks.dcat import Findings, findings, violations
from plugins.web.opendata import Catalogue, Dataset, Distribution, catalogue_turtle, iri, mailto, string

# Plain namespaces: pytest's collection trips over rdflib's closed ones (DCAT, FOAF …) as module attributes.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SITE = "https://smart.wuerzburg.de"
HOSTILE = ['Zähl"ung"""\\ \n<script>alert(1)</script>', "\u202eevil\u202c", "😀 👩‍👩‍👧", "\\",
           '" ; a <http://evil.example/> .', "\x00\x07\x1b[31m\x7f\x85", "a\r\n\tb\u2028\u2029", "'''",
           "\\u0022 \\U0001F600", "@de", "}\"}>", "Würzburg\ufeff\u200b"]


def distribution(title: str, path: str, media_type: str, file_type: str) -> Distribution:
    return Distribution(title, f"{SITE}{path}", f"{SITE}{path}", media_type, file_type)


def catalogue(text: str | None = None) -> Catalogue:
    """Two indicators (CSV), the news feed (Atom) and the calendar (iCalendar); ``text`` in every
    text field when given."""
    def t(value: str) -> str:
        return value if text is None else text

    datasets = (
        Dataset("kennzahlen/besuche-newsroom", t("Besuche im Newsroom"),
                t("Monatliche Seitenaufrufe des Newsrooms, gezählt ohne Cookies."),
                f"{SITE}/kennzahlen/besuche-newsroom/", (t("Besucherzahlen"), t("Öffentlichkeitsarbeit")),
                date(2025, 3, 1),
                (distribution(t("Aufrufe je Monat (CSV)"), "/daten/seitenaufrufe.csv", "text/csv", "CSV"),),
                temporal_start=date(2024, 1, 1), temporal_end=date(2025, 2, 28)),
        Dataset("kennzahlen/abonnements", t("Abonnements des Newsletters"),
                t("Abonnements je Liste und Sprache, täglich gezählt."), f"{SITE}/kennzahlen/abonnements/",
                (t("Newsletter"),), date(2025, 3, 2),
                (distribution(t("Abonnements (CSV)"), "/daten/abonnements.csv", "text/csv", "CSV"),),
                themes=("GOVE", "SOCI"), temporal_start=date(2024, 6, 1)),
        Dataset("aktuelles", t("Neuigkeiten aus dem Programm"), t("Alle Beiträge des Blogs als Feed."),
                f"{SITE}/aktuelles/", (t("Smart City"), t("Würzburg")), date(2025, 3, 3),
                (distribution(t("Atom-Feed"), "/feeds/alle.atom.xml", "application/atom+xml", "ATOM"),)),
        Dataset("termine", t("Termine"), t("Veranstaltungen und Beteiligung: alle Termine als Kalender."),
                f"{SITE}/termine/", (t("Termine"), t("Beteiligung")), date(2025, 3, 4),
                (distribution(t("Kalender (iCalendar)"), "/kalender/alle.ics", "text/calendar", "ICS"),),
                themes=("GOVE", "REGI")),
    )
    return Catalogue(SITE, t("Offene Daten von stadt.land.smart"),
                     t("Kennzahlen, Neuigkeiten und Termine des Smart-City-Programms der Stadt Würzburg."),
                     "de", t("Stadt Würzburg"), "https://www.wuerzburg.de/",
                     "http://dcat-ap.de/def/licenses/dl-by-de/2.0", "", "smartcity@stadt.wuerzburg.de",
                     datasets, issued=date(2025, 1, 15),
                     spatial="http://dcat-ap.de/def/politicalGeocoding/municipalityKey/09663000",
                     geocoding_level="municipality", attribution=t("Stadt Würzburg, stadt.land.smart"))


def parsed(turtle: str) -> Graph:
    return Graph().parse(data=turtle, format="turtle")


def texts(graph: Graph) -> set[str]:
    """Every literal that is not a date or an identifier: the texts of the catalogue."""
    return {str(o) for p, o in graph.predicate_objects()
            if isinstance(o, Literal) and o.datatype is None and p != DCTERMS.identifier}


def test_a_realistic_catalogue_conforms_without_a_warning() -> None:
    turtle = catalogue_turtle(catalogue())
    assert findings(turtle) == Findings((), (), ())
    graph = parsed(turtle)
    assert len(set(graph.subjects(RDF.type, DCAT.Dataset))) == 4
    assert len(set(graph.subjects(RDF.type, DCAT.Distribution))) == 4
    formats = {str(o).rsplit("/", 1)[1] for o in graph.objects(None, DCTERMS["format"])}
    assert formats == {"CSV", "ATOM", "ICS"}
    assert "Öffentlichkeitsarbeit" in texts(graph)
    attribution = Literal("Stadt Würzburg, stadt.land.smart")
    assert set(graph.objects(None, DCATDE.licenseAttributionByText)) == {attribution}
    assert set(graph.objects(None, VCARD.hasEmail)) == {URIRef("mailto:smartcity@stadt.wuerzburg.de")}


def test_the_same_catalogue_gives_the_same_bytes() -> None:
    assert catalogue_turtle(catalogue()) == catalogue_turtle(dataclasses.replace(catalogue()))


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_text_in_every_field_reads_back_exactly_and_conforms(text: str) -> None:
    turtle = catalogue_turtle(catalogue(text))
    graph = parsed(turtle)
    assert texts(graph) == {text}
    assert len(list(graph.objects(None, DCTERMS["title"]))) == 9  # the catalogue, 4 datasets, 4 files
    assert set(graph.objects(None, FOAF.name)) == {Literal(text)}
    assert all(o.language == "de" for o in graph.objects(None, DCAT.keyword))
    assert not set(graph.subjects(None, URIRef("http://evil.example/")))
    assert not [line for line in turtle.splitlines() if "\u202e" in line or "\x00" in line]
    assert violations(turtle) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_survives_the_literal(text: str) -> None:
    graph = parsed(f"<{SITE}/a> <{SITE}/b> {string(text, 'de')} .\n")
    assert [str(o) for o in graph.objects()] == [text]


def test_a_lone_surrogate_is_refused() -> None:
    with pytest.raises(ValueError, match="surrogate"):
        catalogue_turtle(dataclasses.replace(catalogue(), title="a\ud800b"))


def test_a_catalogue_without_a_publisher_name_is_reported() -> None:
    found = violations(catalogue_turtle(dataclasses.replace(catalogue(), publisher_name="")))
    assert found == [f"<{SITE}/daten/#herausgeber> foaf:name: foaf:Agent: foaf:name MUSS MINDESTEN "
                     "einmal vorkommen."]


def test_a_catalogue_without_any_distribution_licence_is_reported() -> None:
    found = violations(catalogue_turtle(dataclasses.replace(catalogue(), licence="")))
    assert len(found) == 4
    assert all("dcterms:license: DE: dcat:Distribution: MUSS eine dcterms:license haben." in f for f in found)


def test_vocabulary_terms_without_their_scheme_are_reported() -> None:
    turtle = "\n".join(line for line in catalogue_turtle(catalogue()).splitlines()
                       if "skos:inScheme" not in line)
    found = findings(turtle)
    for vocabulary in ("kv-languages", "kv-data-theme", "kv-file-type"):
        assert [v for v in found.violations if vocabulary in v], vocabulary
    assert [w for w in found.warnings if "kv-licenses" in w]


def test_text_that_is_not_turtle_is_one_violation() -> None:
    [found] = violations("<a> <b> .")
    assert found.startswith("Der Katalog ist kein gültiges Turtle")


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,<b>",
                                     "ftp://example.org/", "//evil.example/", "/daten/a.csv",
                                     "https://example.org/\n> <http://evil.example/",
                                     " https://example.org/", "https://user@evil.example/",
                                     "https://exa mple.org/", "https://<evil>/", "mailto:a@example.org"])
def test_a_hostile_address_is_refused(address: str) -> None:
    with pytest.raises(ValueError):
        iri(address)
    with pytest.raises(ValueError):
        catalogue_turtle(dataclasses.replace(catalogue(), publisher_url=address))


@pytest.mark.parametrize(("address", "encoded"), [
    ("https://example.org/a b", "https://example.org/a%20b"),
    ("https://example.org/x> <http://evil.example/", "https://example.org/x%3E%20%3Chttp://evil.example/"),
    ('https://example.org/"{|}^`\\', "https://example.org/%22%7B%7C%7D%5E%60%5C"),
    ("https://example.org/Würzburg\u202e", "https://example.org/W%C3%BCrzburg%E2%80%AE"),
    ("https://example.org/100%", "https://example.org/100%25"),
    ("https://example.org/a%20b?q=1#f", "https://example.org/a%20b?q=1#f"),
])
def test_an_address_with_characters_an_iri_cannot_hold_is_percent_encoded(address: str, encoded: str) -> None:
    assert iri(address) == f"<{encoded}>"
    distributions = (Distribution("Datei", address, "", "text/csv", "CSV"),)
    changed = dataclasses.replace(catalogue(), datasets=(
        dataclasses.replace(catalogue().datasets[0], distributions=distributions),))
    graph = parsed(catalogue_turtle(changed))
    assert set(graph.objects(None, DCAT.accessURL)) == {URIRef(encoded)}
    assert not set(graph.subjects(None, URIRef("http://evil.example/")))


@pytest.mark.parametrize("address", ["a@b.de> ; <x", "a@b.de?subject=x", "a b@example.org", "@example.org",
                                     "a@example", "mailto:a@example.org", "a@example.org\n"])
def test_a_hostile_contact_address_is_refused(address: str) -> None:
    with pytest.raises(ValueError):
        mailto(address)


@pytest.mark.parametrize("change", [
    {"key": "a#b"}, {"key": "a b"}, {"key": "a>b"}, {"key": "/absolut"}, {"themes": ("XYZ",)},
    {"distributions": (Distribution("x", f"{SITE}/a.ics", "", "text/calendar", "ICAL"),)},
    {"distributions": (Distribution("x", f"{SITE}/a.csv", "", "text/csv; charset=utf-8", "CSV"),)},
    {"distributions": (Distribution("x", f"{SITE}/a.csv", "", "text/csv", "CSV", availability="SOON"),)},
    {"temporal_start": date(2025, 2, 1), "temporal_end": date(2025, 1, 1)},
])
def test_what_the_vocabularies_or_iris_cannot_hold_is_refused(change: dict[str, object]) -> None:
    changed = dataclasses.replace(catalogue().datasets[0], **change)
    with pytest.raises(ValueError):
        catalogue_turtle(dataclasses.replace(catalogue(), datasets=(changed,)))


def test_two_datasets_with_one_key_are_refused() -> None:
    first = catalogue().datasets[0]
    with pytest.raises(ValueError, match="two datasets"):
        catalogue_turtle(dataclasses.replace(catalogue(), datasets=(first, first)))


def test_a_text_of_only_spaces_is_left_out_and_reported() -> None:
    turtle = catalogue_turtle(dataclasses.replace(catalogue(), title=" \n\u2028"))
    assert not set(parsed(turtle).objects(URIRef(f"{SITE}/daten/#katalog"), DCTERMS["title"]))
    assert [v for v in violations(turtle) if "dcterms:title MUSS MINDESTEN einmal vorkommen" in v]


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        catalogue_turtle(dataclasses.replace(catalogue(), language="xx"))

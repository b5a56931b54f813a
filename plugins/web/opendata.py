"""The site's open-data catalogue as DCAT-AP.de 3.0, written as Turtle text.

A pure module: frozen dataclasses in, text out, the standard library only (an RDF library would cost
every build its import). checks/dcat.py validates the result against the official shapes pinned in
checks/shapes/dcat-ap-de (tests/test_dcat.py); what is written follows what they require and
recommend:

- ``dcat:Catalog``: title, description, publisher (required); homepage, language, licence, modified,
  issued, theme taxonomy, spatial coverage, its datasets (recommended).
- ``dcat:Dataset``: title, description, publisher (required); contact point, keywords, themes,
  temporal and spatial coverage, level of the political geocoding, distributions (recommended);
  identifier, landing page, language, modified, contributor id (optional).
- ``dcat:Distribution``: access URL and licence (required); title, format, availability, modified
  (recommended); download URL, media type, attribution text for the licences that ask for one.
- ``foaf:Agent`` with ``foaf:name``; the contact point is a ``vcard:Kind`` (also typed
  ``vcard:Organization``) with ``vcard:fn`` and ``vcard:hasEmail <mailto:…>``.

The shapes check controlled vocabularies (language, file type, data theme, licence …) by the term's
``skos:inScheme``, which a validator takes from the vocabulary's own files. The catalogue carries
these triples for exactly the terms it uses, so it validates on its own.

Every text comes from editors' content and may be hostile. Literals are single-line Turtle strings:
``\\`` ``"`` and line breaks escaped (ECHAR), other control, bidirectional and invisible characters
as ``\\uXXXX`` (UCHAR); a text reads back exactly as given. IRIs are http(s) (mailto for the contact
address) with a plain host; characters an IRIREF may not hold (space, ``<>"{}|^`\\``) and non-ASCII
ones are percent-encoded, control characters and anything else raise ValueError. Same input, same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from plugins.programme.licences import LICENCES

PREFIXES = (
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("dcatap", "http://data.europa.eu/r5r/"),
    ("dcatde", "http://dcat-ap.de/def/dcatde/"),
    ("dct", "http://purl.org/dc/terms/"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
)

# The controlled vocabularies (DCAT-AP.de 3.0, spec chapter 5) and the terms this writer knows.
EU = "http://publications.europa.eu/resource/authority/"
LANGUAGE_SCHEME = EU + "language"
FILE_TYPE_SCHEME = EU + "file-type"
THEME_SCHEME = EU + "data-theme"
AVAILABILITY_SCHEME = EU + "planned-availability"
LICENCE_SCHEME = "http://dcat-ap.de/def/licenses"
CONTRIBUTOR_SCHEME = "http://dcat-ap.de/def/contributors"
LEVEL_SCHEME = "http://dcat-ap.de/def/politicalGeocoding/Level"
# The shapes accept a media type only as an IRI of the IANA registry.
MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

# Language tags of the site → EU language authority codes.
LANGUAGES = {"de": "DEU", "en": "ENG", "fr": "FRA", "it": "ITA", "es": "SPA", "nl": "NLD", "pl": "POL",
             "cs": "CES", "tr": "TUR", "uk": "UKR", "ru": "RUS", "ar": "ARA"}
# EU file types (table version 20221214-0): iCalendar is ICS, there is no "ICAL".
FILE_TYPES = frozenset({"ATOM", "CSV", "GEOJSON", "HTML", "ICS", "JSON", "JSON_LD", "ODS", "PDF", "PNG",
                        "RDF_TURTLE", "RDF_XML", "RSS", "SVG", "TXT", "XLSX", "XML", "ZIP"})
THEMES = frozenset({"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI",
                    "TECH", "TRAN"})
AVAILABILITIES = frozenset({"AVAILABLE", "EXPERIMENTAL", "STABLE", "TEMPORARY"})
GEOCODING_LEVELS = frozenset({"federal", "state", "administrativeDistrict", "municipality"})


@dataclass(frozen=True)
class Distribution:
    title: str
    access_url: str
    download_url: str  # "" when the access URL is the page, not the file
    media_type: str  # "text/csv", "application/atom+xml", "application/rss+xml", "text/calendar"
    format: str  # EU file type code: "CSV", "ATOM", "RSS", "ICS" (see FILE_TYPES)
    licence: str = ""  # licence IRI; "" takes the catalogue's
    availability: str = "AVAILABLE"  # planned availability code; "" writes none


@dataclass(frozen=True)
class Dataset:
    key: str  # site-relative, e.g. "kennzahlen/besuche-newsroom": the IRI <site>/daten/#key
    title: str
    description: str
    landing_page: str
    keywords: tuple[str, ...]
    modified: date | None
    distributions: tuple[Distribution, ...]
    themes: tuple[str, ...] = ("GOVE",)  # EU data theme codes
    temporal_start: date | None = None
    temporal_end: date | None = None


@dataclass(frozen=True)
class Catalogue:
    site_url: str
    title: str
    description: str
    language: str  # "de"
    publisher_name: str
    publisher_url: str
    licence: str  # licence IRI, e.g. http://dcat-ap.de/def/licenses/dl-by-de/2.0
    contributor_id: str  # dcatde:contributorID: optional, for delivering to GovData directly; may be ""
    contact_email: str
    datasets: tuple[Dataset, ...]
    modified: date | None = None  # None: the latest of the datasets'
    issued: date | None = None
    spatial: str = ""  # IRI of the area, e.g. …/politicalGeocoding/municipalityKey/09663000
    geocoding_level: str = ""  # "municipality" … (GEOCODING_LEVELS), for the datasets
    attribution: str = ""  # the attribution text a licence asks for; "": the publisher's name


# Characters a Turtle string holds only escaped: ECHAR where there is one, UCHAR for other controls
# (C0, DEL, C1), line and paragraph separators, and bidirectional and invisible format characters,
# so that the file shows what it holds.
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
            ord("\b"): "\\b", ord("\f"): "\\f"}
for _point in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x061C, *range(0x200B, 0x2010), 0x2028, 0x2029,
               *range(0x202A, 0x202F), *range(0x2060, 0x2065), *range(0x2066, 0x206A), 0xFEFF,
               *range(0xFFF9, 0xFFFC)):
    _ESCAPES.setdefault(_point, f"\\u{_point:04X}")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LANGUAGE_TAG = re.compile(r"[a-zA-Z]{1,8}(?:-[a-zA-Z0-9]{1,8})*")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~/-]*")
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                   r"(?::[0-9]{1,5})?")
_EMAIL = re.compile(r"[A-Za-z0-9._+-]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")
_MEDIA_TYPE = re.compile(r"[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")
# Not allowed in an IRIREF (or not ASCII), percent-encoded; a "%" that starts no escape as well.
_IRI_ENCODE = re.compile(r'[ <>"{}|^`\\]|[^\x00-\x7f]|%(?![0-9A-Fa-f]{2})')


def string(text: str, language: str = "") -> str:
    """``text`` as a Turtle literal (with a language tag if given); lone surrogates raise ValueError."""
    if _SURROGATE.search(text):
        raise ValueError(f"text with a lone surrogate: {text!r}")
    quoted = '"' + text.translate(_ESCAPES) + '"'
    if not language:
        return quoted
    if not _LANGUAGE_TAG.fullmatch(language):
        raise ValueError(f"not a language tag: {language!r}")
    return f"{quoted}@{language.lower()}"


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def iri(value: str) -> str:
    """An http(s) address as a Turtle IRIREF ``<…>``; anything else raises ValueError."""
    if _SURROGATE.search(value) or any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in value):
        raise ValueError(f"address with control characters: {value!r}")
    if value != value.strip():
        raise ValueError(f"address with surrounding spaces: {value!r}")
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not value.lower().startswith(("http://", "https://")):
        raise ValueError(f"not an http(s) address: {value!r}")
    if not _HOST.fullmatch(parts.netloc):
        raise ValueError(f"address without a plain host: {value!r}")
    return "<" + _IRI_ENCODE.sub(_percent, value) + ">"


def mailto(address: str) -> str:
    """An email address as a ``<mailto:…>`` IRIREF; anything but a plain address raises ValueError."""
    if not _EMAIL.fullmatch(address):
        raise ValueError(f"not a plain email address: {address!r}")
    return f"<mailto:{address}>"


def _date(value: date) -> str:
    # A datetime is a date too: its day.
    return f'"{date(value.year, value.month, value.day).isoformat()}"^^xsd:date'


def _has_text(text: str) -> bool:
    return bool(text.strip())


class _Vocabulary:
    """The controlled terms used, each with its scheme (written as skos:inScheme at the end)."""

    def __init__(self) -> None:
        self.terms: dict[str, str] = {}

    def term(self, scheme: str, code: str) -> str:
        term = f"{scheme}/{code}"
        self.terms[term] = scheme
        return f"<{term}>"

    def licence(self, licence: str) -> str:
        """The licence IRI; a DCAT-AP.de licence is recorded as a term of its scheme."""
        written = iri(licence)
        code = licence.removeprefix(LICENCE_SCHEME + "/")
        if code != licence and code in LICENCES:
            self.terms[licence] = LICENCE_SCHEME
        return written

    def contributor(self, contributor: str) -> str:
        """The contributor id; one of GovData's list is recorded as a term of its scheme."""
        written = iri(contributor)
        if contributor.startswith(CONTRIBUTOR_SCHEME + "/"):
            self.terms[contributor] = CONTRIBUTOR_SCHEME
        return written

    def lines(self) -> list[str]:
        return [f"<{term}> skos:inScheme <{scheme}> ." for term, scheme in sorted(self.terms.items())]


def _subject(subject: str, types: str, properties: Iterable[tuple[str, str]]) -> list[str]:
    """A subject with its type and properties, one per line; a property given twice is joined."""
    joined: dict[str, list[str]] = {}
    for name, value in properties:
        if value not in joined.setdefault(name, []):
            joined[name].append(value)
    lines = [f"{subject} a {types}"]
    lines += [f"    {name} {', '.join(values)}" for name, values in joined.items()]
    return [" ;\n".join(lines) + " .", ""]


def _texts(name: str, texts: Iterable[str], language: str) -> list[tuple[str, str]]:
    return [(name, string(text, language)) for text in texts if _has_text(text)]


def catalogue_turtle(catalogue: Catalogue) -> str:
    """The catalogue as Turtle (UTF-8 text, LF line ends); invalid addresses or codes raise ValueError."""
    language = catalogue.language
    if language not in LANGUAGES:
        raise ValueError(f"no EU language code for {language!r}")
    if catalogue.geocoding_level and catalogue.geocoding_level not in GEOCODING_LEVELS:
        raise ValueError(f"unknown level of political geocoding: {catalogue.geocoding_level!r}")
    site = catalogue.site_url.rstrip("/")
    iri(site + "/")  # the site's address itself must be one
    base = site + "/daten/#"
    catalogue_iri, publisher = iri(base + "katalog"), iri(base + "herausgeber")
    contact = iri(base + "kontakt")
    vocabulary = _Vocabulary()
    language_term = vocabulary.term(LANGUAGE_SCHEME, LANGUAGES[language])
    spatial = iri(catalogue.spatial) if catalogue.spatial else ""
    attribution = catalogue.attribution if _has_text(catalogue.attribution) else catalogue.publisher_name

    blocks: list[str] = []
    dataset_iris: list[str] = []
    for dataset in catalogue.datasets:
        if not _KEY.fullmatch(dataset.key):
            raise ValueError(f"dataset key not of letters, digits and ._~/-: {dataset.key!r}")
        subject = iri(base + dataset.key)
        if subject in dataset_iris:
            raise ValueError(f"two datasets with the key {dataset.key!r}")
        dataset_iris.append(subject)
        distribution_iris: list[str] = []
        distributions: list[str] = []
        for number, distribution in enumerate(dataset.distributions, start=1):
            # ":" is in no key: a distribution's IRI is never a dataset's.
            distribution_iris.append(iri(f"{base}{dataset.key}:distribution-{number}"))
            properties = _distribution(distribution, dataset, catalogue, attribution, vocabulary)
            distributions += _subject(distribution_iris[-1], "dcat:Distribution", properties)
        properties = [("dct:identifier", string(base + dataset.key))]
        properties += _texts("dct:title", [dataset.title], language)
        properties += _texts("dct:description", [dataset.description], language)
        properties += [("dct:publisher", publisher), ("dcat:contactPoint", contact)]
        if dataset.landing_page:
            properties.append(("dcat:landingPage", iri(dataset.landing_page)))
        properties.append(("dct:language", language_term))
        properties += _texts("dcat:keyword", dataset.keywords, language)
        for theme in dataset.themes:
            if theme not in THEMES:
                raise ValueError(f"unknown EU data theme: {theme!r}")
            properties.append(("dcat:theme", vocabulary.term(THEME_SCHEME, theme)))
        if dataset.modified is not None:
            properties.append(("dct:modified", _date(dataset.modified)))
        period = _period(dataset.temporal_start, dataset.temporal_end)
        if period:
            properties.append(("dct:temporal", period))
        if spatial:
            properties.append(("dct:spatial", spatial))
        if catalogue.geocoding_level:
            properties.append(("dcatde:politicalGeocodingLevelURI",
                               vocabulary.term(LEVEL_SCHEME, catalogue.geocoding_level)))
        if catalogue.contributor_id:
            properties.append(("dcatde:contributorID", vocabulary.contributor(catalogue.contributor_id)))
        properties += [("dcat:distribution", each) for each in distribution_iris]
        blocks += _subject(subject, "dcat:Dataset", properties) + distributions

    modified = catalogue.modified or max((d.modified for d in catalogue.datasets if d.modified), default=None)
    properties = _texts("dct:title", [catalogue.title], language)
    properties += _texts("dct:description", [catalogue.description], language)
    properties.append(("dct:publisher", publisher))
    properties += [("foaf:homepage", iri(site + "/")), ("dct:language", language_term)]
    if catalogue.licence:
        properties.append(("dct:license", vocabulary.licence(catalogue.licence)))
    if catalogue.issued is not None:
        properties.append(("dct:issued", _date(catalogue.issued)))
    if modified is not None:
        properties.append(("dct:modified", _date(modified)))
    properties.append(("dcat:themeTaxonomy", f"<{THEME_SCHEME}>"))
    if spatial:
        properties.append(("dct:spatial", spatial))
    properties += [("dcat:dataset", each) for each in dataset_iris]

    agent = _texts("foaf:name", [catalogue.publisher_name], "")
    if catalogue.publisher_url:
        agent.append(("foaf:homepage", iri(catalogue.publisher_url)))
    kind = _texts("vcard:fn", [catalogue.publisher_name], "")
    if catalogue.contact_email:
        kind.append(("vcard:hasEmail", mailto(catalogue.contact_email)))

    lines = [f"@prefix {prefix}: <{namespace}> ." for prefix, namespace in PREFIXES]
    lines.append("")
    lines += _subject(catalogue_iri, "dcat:Catalog", properties)
    lines += _subject(publisher, "foaf:Agent", agent)
    lines += _subject(contact, "vcard:Organization, vcard:Kind", kind)
    if spatial:  # the range of dct:spatial (the shapes warn without the type)
        lines += _subject(spatial, "dct:Location", [])
    lines += blocks
    lines.append("# The scheme of each controlled term used (DCAT-AP.de checks the vocabulary by it).")
    lines += vocabulary.lines()
    return "\n".join(lines) + "\n"


def _distribution(distribution: Distribution, dataset: Dataset, catalogue: Catalogue, attribution: str,
                  vocabulary: _Vocabulary) -> list[tuple[str, str]]:
    properties = _texts("dct:title", [distribution.title], catalogue.language)
    properties.append(("dcat:accessURL", iri(distribution.access_url)))
    if distribution.download_url:
        properties.append(("dcat:downloadURL", iri(distribution.download_url)))
    if distribution.media_type:
        if not _MEDIA_TYPE.fullmatch(distribution.media_type):
            raise ValueError(f"not a media type: {distribution.media_type!r}")
        properties.append(("dcat:mediaType", f"<{MEDIA_TYPES}{distribution.media_type}>"))
    if distribution.format:
        if distribution.format not in FILE_TYPES:
            raise ValueError(f"unknown EU file type: {distribution.format!r}")
        properties.append(("dct:format", vocabulary.term(FILE_TYPE_SCHEME, distribution.format)))
    licence = distribution.licence or catalogue.licence
    if licence:
        properties.append(("dct:license", vocabulary.licence(licence)))
        # Konvention 35; a licence not of DCAT-AP.de's list may ask for it too.
        if LICENCES.get(licence.removeprefix(LICENCE_SCHEME + "/"), True) and _has_text(attribution):
            properties.append(("dcatde:licenseAttributionByText", string(attribution)))
    if distribution.availability:
        if distribution.availability not in AVAILABILITIES:
            raise ValueError(f"unknown planned availability: {distribution.availability!r}")
        properties.append(("dcatap:availability",
                           vocabulary.term(AVAILABILITY_SCHEME, distribution.availability)))
    if dataset.modified is not None:
        properties.append(("dct:modified", _date(dataset.modified)))
    return properties


def _period(start: date | None, end: date | None) -> str:
    """A dct:PeriodOfTime as a blank node; "" without either end."""
    if start is not None and end is not None and start > end:
        raise ValueError(f"period ends ({end}) before it starts ({start})")
    bounds = [f"dcat:startDate {_date(start)}"] if start is not None else []
    bounds += [f"dcat:endDate {_date(end)}"] if end is not None else []
    return f"[ a dct:PeriodOfTime ; {' ; '.join(bounds)} ]" if bounds else ""

"""The CMS configuration, generated from the programme data and the front-matter schema.

Decap-compatible (Sveltia CMS reads the same format). Nothing here lists measures or
fields by hand: the measure select comes from programme.yml, the fields from schema.py.
"""

from __future__ import annotations

from typing import Any

from plugins.programme.events import MAX_PARTICIPANTS, accessibility_vocabulary
from plugins.programme.indicators import FOLDER as INDICATOR_FOLDER
from plugins.programme.model import Programme
from plugins.programme.placeholders import is_placeholder
from plugins.programme.schema import ARTICLE, BY_NAME, EVENT, EVENT_BY_NAME, FieldSpec
from plugins.programme.uploads import IMAGE_LIMIT

# Storage format of dates: what the validator reads as Berlin local time.
DATE_FORMAT = "YYYY-MM-DD HH:mm"
# German words for stored values (the file keeps the value, the editor reads the label).
CHOICE_LABELS = {"draft": "Entwurf", "published": "Veröffentlicht", "withdrawn": "Zurückgezogen",
                 "geplant": "Geplant",
                 "ausgebucht": "Ausgebucht", "abgesagt": "Abgesagt", "verschoben": "Verschoben",
                 "online-statt-vor-ort": "Online statt vor Ort", "keine": "Keine Anmeldung nötig",
                 "link": "Anmeldung über einen Link", "hinweis": "Anmeldung wie im Hinweis beschrieben"}
# Fields the CMS never shows: set by code, or only for rare hand edits.
HIDDEN = {"authors", "uid", "template", "legal_section", "line_breaks", "translated_from"}
# With more than one language edition: what a translation says in its own words. Everything else
# (date, measures, image, tags, …) is the original's, kept only in its file (plugins/programme/
# tree.py: a translation inherits it).
TRANSLATED = {"title", "summary", "summary_easy", "image_alt", "author", "status", "body"}
# An event's translation says the same event in other words: its time, place, status and
# registration are the original's (schema.EVENT_FACTS), so the CMS shows them in German only.
EVENT_TRANSLATED = {"title", "summary", "summary_easy", "image_alt", "transit", "registration_note", "body"}


def _widget(spec: FieldSpec, programme: Programme, kind: str) -> dict[str, Any] | None:
    if spec.name in HIDDEN:
        return None
    field: dict[str, Any] = {"name": spec.name, "label": spec.label,
                             "required": kind in spec.required_for}
    if spec.hint:
        field["hint"] = spec.hint[0].upper() + spec.hint[1:] + "."
    if spec.kind == "string":
        field["widget"] = "string"
    elif spec.kind == "text":
        field["widget"] = "text"
    elif spec.kind == "datetime":
        field.update(widget="datetime", format=DATE_FORMAT, date_format="DD.MM.YYYY",
                     time_format="HH:mm")
    elif spec.kind == "when":
        # A date with time, or a date alone for all-day events: no single picker offers both.
        field.update(widget="string", pattern=[r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?$",
                                               "JJJJ-MM-TT SS:MM, oder JJJJ-MM-TT für ganztägig"])
    elif spec.kind == "measures":
        field.update(widget="select", multiple=True, min=1,
                     options=[{"label": f"{m.title} ({m.cluster.title})", "value": m.slug}
                              for m in programme.measures])
    elif spec.kind == "list":
        field["widget"] = "list"
    elif spec.kind == "image":
        field.update(widget="image", choose_url=False)
    elif spec.kind == "bool":
        field.update(widget="boolean", default=spec.default)
    elif spec.kind == "count":
        field.update(widget="number", value_type="int", min=0, max=MAX_PARTICIPANTS)
    elif spec.kind == "choice":
        field.update(widget="select", options=[{"label": CHOICE_LABELS.get(c, c), "value": c}
                                               for c in spec.choices], default=spec.default)
    if spec.name == "accessibility":
        field.update(widget="select", multiple=True, options=[
            {"label": text, "value": key} for key, text in accessibility_vocabulary(programme).items()])
    if spec.name == "image_alt":
        field["hint"] = "Pflicht, sobald ein Titelbild gewählt ist: beschreibt, was darauf zu sehen ist."
    if spec.name == "lang":
        field = {"name": "lang", "label": spec.label, "widget": "hidden", "default": spec.default}
    if spec.name == "slug":
        field["pattern"] = ["^[a-z0-9]+(-[a-z0-9]+)*$", "Nur Kleinbuchstaben, Ziffern und Bindestriche"]
    return _translated(field, programme, kind)


def _translated(field: dict[str, Any], programme: Programme, kind: str = ARTICLE) -> dict[str, Any]:
    if len(programme.editions) > 1 and field["name"] in (EVENT_TRANSLATED if kind == EVENT else TRANSLATED):
        field["i18n"] = True
    return field


def article_fields(programme: Programme) -> list[dict[str, Any]]:
    fields = [w for spec in BY_NAME.values() if (w := _widget(spec, programme, ARTICLE))]
    return [*fields, _translated({"name": "body", "label": "Text", "widget": "markdown"}, programme)]


def event_fields(programme: Programme) -> list[dict[str, Any]]:
    fields = [w for spec in EVENT_BY_NAME.values() if (w := _widget(spec, programme, EVENT))]
    body = {"name": "body", "label": "Beschreibung", "widget": "markdown", "required": False}
    return [*fields, _translated(body, programme, EVENT)]


def programme_texts(programme: Programme, content_folder: str) -> dict[str, Any]:
    """The programme's texts in each other language (``programme.<key>.yml``, read by
    plugins/programme/programme_texts.py) as one file per language: the programme's tagline,
    description and motto, and each cluster's and measure's title and description, chosen by
    its German name. ``translated_from`` stays as it is (``invoke translated`` writes it)."""
    from plugins.programme.programme_texts import FIELDS, RECORD

    labels = {"tagline": "Untertitel", "description": "Beschreibung", "motto": "Motto", "title": "Titel",
              "newsletter_reason": "Newsletter: warum Abonnierende die E-Mail erhalten"}
    widgets = {"description": "text", "newsletter_reason": "text"}

    def texts(kind: str) -> list[dict[str, Any]]:
        return [*({"name": name, "label": labels[name], "widget": widgets.get(name, "string"),
                   "required": False} for name in FIELDS[kind]),
                {"name": RECORD, "label": "Übersetzt aus der Fassung", "widget": "hidden", "required": False}]

    def entities(kind: str, label: str, items: list[Any]) -> dict[str, Any]:
        choice = {"name": "slug", "label": "Zu", "widget": "select",
                  "options": [{"label": item.title, "value": item.slug} for item in items]}
        return {"name": kind, "label": label, "widget": "list", "required": False,
                "summary": "{{fields.title}}", "fields": [choice, *texts(kind)]}

    words = programme.cluster_word
    return {
        "name": "programmtexte", "label": "Programmtexte in anderen Sprachen",
        "label_singular": "Programmtexte", "format": "yaml",
        "files": [{"name": f"programm-{edition.key}", "label": f"{edition.name} ({edition.key})",
                   "file": f"{content_folder}/programme.{edition.key}.yml",
                   "fields": [{"name": "programme", "label": "Programm", "widget": "object",
                               "required": False, "fields": texts("programme")},
                              entities("clusters", words.plural, programme.clusters),
                              entities("measures", "Maßnahmen", programme.measures)]}
                  for edition in programme.editions[1:]]}


def indicators(programme: Programme, content_folder: str) -> dict[str, Any]:
    """The indicators (content/kennzahlen/*.yml, plugins/programme/indicators.py): one file each."""
    day = {"widget": "datetime", "time_format": False, "format": "YYYY-MM-DD", "date_format": "DD.MM.YYYY"}
    return {
        "name": "kennzahlen", "label": "Kennzahlen", "label_singular": "Kennzahl",
        "folder": f"{content_folder}/{INDICATOR_FOLDER}", "create": True, "extension": "yml", "format": "yml",
        "slug": "{{slug}}", "summary": "{{title}}",
        "fields": [
            {"name": "title", "label": "Name der Kennzahl", "widget": "string"},
            {"name": "measure", "label": "Maßnahme", "widget": "select", "required": False,
             "hint": "Leer lassen für eine Kennzahl des ganzen Programms.",
             "options": [{"label": f"{m.title} ({m.cluster.title})", "value": m.slug}
                         for m in programme.measures]},
            {"name": "description", "label": "Beschreibung", "widget": "text", "required": False},
            {"name": "unit", "label": "Einheit", "widget": "string",
             "hint": "Z. B. Besuche, Personen, Tage."},
            {"name": "direction", "label": "Richtung", "widget": "select", "default": "mehr-ist-besser",
             "options": [{"label": "mehr ist besser", "value": "mehr-ist-besser"},
                         {"label": "weniger ist besser", "value": "weniger-ist-besser"}]},
            {"name": "target", "label": "Ziel", "widget": "object", "required": False,
             "fields": [{"name": "value", "label": "Zielwert", "widget": "number", "value_type": "float"},
                        {"name": "date", "label": "Zu erreichen bis", **day}]},
            {"name": "values", "label": "Werte", "label_singular": "Wert", "widget": "list",
             "fields": [{"name": "date", "label": "Stand (Datum der Messung)", **day},
                        {"name": "value", "label": "Wert", "widget": "number", "value_type": "float"},
                        {"name": "source", "label": "Quelle", "widget": "string",
                         "hint": "Woher der Wert stammt: Zählung, Statistik, Umfrage."},
                        {"name": "note", "label": "Anmerkung", "widget": "string", "required": False}]},
            {"name": "example", "label": "Beispielzahlen (nicht echt)", "widget": "boolean",
             "required": False, "default": False,
             "hint": "Nur für Beispielinhalte: die Seiten sagen es, veröffentlichen wird abgelehnt."},
        ],
    }


def _filled_in(value: Any) -> bool:
    """A value the adopter has set: not empty and not a placeholder."""
    return isinstance(value, str) and bool(value) and not is_placeholder(value)


def repository_set(programme: Programme) -> bool:
    """Whether the adopter has named the repository the CMS edits (the test backend needs none)."""
    cms = programme.data.get("cms") or {}
    return cms.get("backend") == "test-repo" or _filled_in(cms.get("repo"))


def cms_config(programme: Programme, site_url: str, content_folder: str = "content") -> dict[str, Any]:
    """The whole config.yml as a dict."""
    cms = programme.data.get("cms") or {}
    backend: dict[str, Any] = {"name": cms.get("backend", "gitlab"),
                               "repo": cms.get("repo", ""), "branch": cms.get("branch", "main")}
    for key in ("base_url", "api_root", "app_id", "auth_type"):
        if _filled_in(cms.get(key)):
            backend[key] = cms[key]
    if backend["name"] == "gitlab" and "app_id" in backend:
        backend.setdefault("auth_type", "pkce")
    config: dict[str, Any] = {
        "backend": backend,
        # No "local_backend" (Decap's proxy): Sveltia ignores it with a console warning and offers
        # "Mit lokalem Repository arbeiten" on its own.
        "media_folder": f"{content_folder}/images",
        "public_folder": "images",
        # Photos are re-encoded in the browser before upload: that drops their EXIF data, so the
        # place where a phone photo was taken never reaches the (public) repository.
        "media_libraries": {"default": {"config": {
            "max_file_size": IMAGE_LIMIT,
            # "Foto vom Rathaus (1).jpg" is stored as "foto-vom-rathaus-1.webp": the build accepts
            # only names of letters, digits, ".", "_" and "-" (they are addresses, and lines of
            # the generated server configuration), and an editor in the CMS cannot rename a file.
            "slugify_filename": True,
            # No SVG optimisation: Sveltia would fetch svgo from its CDN, which our CSP blocks
            # (the build checks every SVG itself).
            "transformations": {"raster_image": {"format": "webp", "quality": 85, "width": 2400,
                                                 "height": 2400}}}},
            # Stock photo libraries would load previews from their hosts (and the licence of
            # a stock photo is not the programme's to check): not offered.
            "stock_assets": False},
        "slug": {"encoding": "ascii", "clean_accents": True},
        # Optional fields left empty are not written (the reader treats empty ones as absent, too).
        "output": {"omit_empty_optional_fields": True},
        "collections": [
            {"name": "posts", "label": "Beiträge", "label_singular": "Beitrag",
             "folder": f"{content_folder}/posts", "create": True, "extension": "md",
             "format": "yaml-frontmatter", "slug": "{{year}}-{{month}}-{{day}}-{{slug}}",
             "summary": "{{title}}", "sortable_fields": ["date", "title"],
             "fields": article_fields(programme)},
            {"name": "events", "label": "Termine", "label_singular": "Termin",
             "folder": f"{content_folder}/termine", "create": True, "extension": "md",
             "format": "yaml-frontmatter", "slug": "{{year}}-{{month}}-{{slug}}",
             "summary": "{{start}} · {{title}}", "sortable_fields": ["start", "title"],
             "fields": event_fields(programme)},
            {"name": "pages", "label": "Seiten", "label_singular": "Seite",
             "folder": f"{content_folder}/pages", "create": False, "extension": "md",
             "format": "yaml-frontmatter",
             "fields": [_translated({"name": "title", "label": "Titel", "widget": "string"}, programme),
                        {"name": "slug", "label": "Adresse (Slug)", "widget": "string"},
                        _translated({"name": "summary", "label": "Zusammenfassung", "widget": "text",
                                     "required": False}, programme),
                        {"name": "legal_section", "label": "Rechtlicher Abschnitt", "widget": "hidden"},
                        {"name": "line_breaks", "label": BY_NAME["line_breaks"].label,
                         "widget": "boolean", "required": False, "default": False},
                        _translated({"name": "body", "label": "Text", "widget": "markdown"}, programme)]},
            {"name": "newsletter", "label": "Newsletter-Editorials", "label_singular": "Editorial",
             "folder": f"{content_folder}/newsletter", "create": True, "extension": "md",
             "format": "yaml-frontmatter", "slug": "{{year}}-{{month}}-{{day}}",
             "fields": [{"name": "subject", "label": "Betreff", "widget": "string"},
                        {"name": "preheader", "label": "Vorschautext", "widget": "string",
                         "required": False},
                        {"name": "body", "label": "Text", "widget": "markdown"}]},
            indicators(programme, content_folder),
        ],
    }
    if len(programme.editions) > 1:
        config["collections"].append(programme_texts(programme, content_folder))
        # Translations side by side: "x.en.md" beside "x.md" (the build's layout). A new post
        # starts in the site's language only; the editor adds languages when translations exist.
        # Machine translation stays off: Sveltia offers it only with a key for a third party's
        # service, and the admin page's CSP would refuse the request anyway.
        config["i18n"] = {"structure": "multiple_files", "locales": [e.key for e in programme.editions],
                          "default_locale": programme.editions[0].key,
                          "omit_default_locale_from_file_path": True, "initial_locales": "default"}
        for collection in config["collections"]:
            if collection["name"] in ("posts", "pages", "events"):
                collection["i18n"] = True
    if cms.get("editorial_workflow", True):
        config["publish_mode"] = "editorial_workflow"
    if site_url:
        config["site_url"] = site_url
        config["display_url"] = site_url
    return config

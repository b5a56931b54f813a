"""An "extreme" programme: names, words, titles and link texts as long as adopters write them.

Built from the scaffold (`invoke new-site`) with six clusters and twelve measures, plus posts and
an event whose every field is as long as a German compound can make it.
"""

from __future__ import annotations

from pathlib import Path

ANSWERS = """\
name: gemeindeverwaltungsdigitalisierungsprogramm.beispielhausen
owner: Zweckverband Kommunaldatenverarbeitungsinfrastrukturbereitstellung Beispielhausen-Nord
clusters:
  - title: Mobilitätsinfrastrukturmodernisierungsvorhaben
    measures: [Bürgerbusbedarfsverkehrsplattformintegrationsprojekt, Mitfahrbank]
  - title: Verwaltung
    measures: [Onlineterminvereinbarungsdienstleistungsportal, Servicepunkte]
  - title: Energie und Klima
    measures: [Straßenbeleuchtungssteuerungsanlagenerneuerung, Wärmeplanung]
  - title: Bildung
    measures: [Schuldigitalisierungsberatungsangebot, Medienkompetenzwerkstatt]
  - title: Gesundheit und Pflege
    measures: [Telemedizinsprechstundenkoordination]
  - title: Beteiligung und Ehrenamtskoordinationsplattformentwicklung
    measures: [Ehrenamtsbörse, Beteiligungsplattform, Jugendbeteiligungswerkstattreihenorganisation]
"""

COMPOUND = "Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichenherstellungsbetrieb"
LONG_URL = ("https://www.beispielhausen.example/verwaltung/buergerservice/onlinedienste/"
            "terminvereinbarung/formular?kategorie=personalausweisbeantragungsverfahren")


def extreme_posts(content: Path, measures: list[str]) -> None:
    """Posts and an event with the longest fields an editor could write."""
    posts = content / "posts"
    title = (f"{COMPOUND}: Warum die Bürgerbusbedarfsverkehrsplattformintegration und die "
             "Onlineterminvereinbarungsdienstleistungsportalbereitstellung zusammengehören und was "
             "das für alle Ortsteile der Gemeinde in den kommenden Jahren bedeutet")
    # Named after the whole title, as the CMS names a new file (its slug has no length limit).
    name = "-".join(title.lower().replace("ü", "ue").replace("ä", "ae").replace(":", "").split())
    for number, chosen in enumerate((measures, measures[:1], measures[-3:]), 1):
        (posts / (f"2024-0{number}-10-teil-{number}-{name}"[:240] + ".md")).write_text(f"""---
title: "Teil {number}: {title}"
date: 2024-0{number}-10 10:00
measure: [{", ".join(chosen)}]
summary: "{COMPOUND} und {COMPOUND.lower()} in einer Zusammenfassung, die nicht umbrechen will."
author: Redaktionsteamkoordinationsstelle {COMPOUND}
tags: [{COMPOUND}, Kommunaldatenverarbeitungsinfrastrukturbereitstellung, Beteiligung]
---

Ein Absatz mit {COMPOUND} mitten im Satz und einem Link, dessen Text eine Adresse ist:
[{LONG_URL}]({LONG_URL}).

## {COMPOUND}überschrift

| Maßnahme | {COMPOUND} |
|---|---|
| Onlineterminvereinbarungsdienstleistungsportal | Straßenbeleuchtungssteuerungsanlagenerneuerung |

```
eine_sehr_lange_codezeile = "{COMPOUND}{COMPOUND}"
```

- {COMPOUND}
- [{COMPOUND}lang verlinkter Text ohne Leerzeichen]({LONG_URL})
""", encoding="utf-8")
    (content / "termine" / "2027-05-extrem.md").write_text(f"""---
title: "{COMPOUND}versammlung im Bürgerhausmehrzweckveranstaltungssaal"
start: 2027-05-06 17:00
end: 2027-05-06 19:30
date: 2024-01-10 10:00
measure: {measures[0]}
summary: "{COMPOUND} trifft Bürgerbusbedarfsverkehrsplattformintegrationsprojekt."
place_name: "Bürgerhausmehrzweckveranstaltungssaal {COMPOUND}"
place_street: "{COMPOUND}straße 123"
place_town: "Beispielhausen-Nord-Oberunterdorf"
transit: "Mit der Regionalbuslinie {COMPOUND} bis zur Haltestelle Bürgerhausmehrzweckveranstaltungssaal"
registration: link
registration_url: "{LONG_URL}"
example: true
---

{COMPOUND}: ein Beispieltermin mit langen Angaben.
""", encoding="utf-8")

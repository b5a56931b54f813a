"""schema.org ``Event`` as JSON-LD for an event page (search engines, assistants, calendars)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from plugins.programme.events import Event
from plugins.programme.formatting import json_ld
from plugins.programme.model import Programme
from plugins.programme.urls import absolute

STATUS = {"geplant": "EventScheduled", "ausgebucht": "EventScheduled", "abgesagt": "EventCancelled",
          "verschoben": "EventRescheduled", "online-statt-vor-ort": "EventMovedOnline"}


def _iso(moment: date) -> str:
    return moment.isoformat(timespec="minutes") if isinstance(moment, datetime) else moment.isoformat()


def event_data(event: Event, base_url: str, programme: Programme) -> dict[str, Any]:
    base = base_url.rstrip("/") + "/"
    status = "EventPostponed" if event.new_date_pending else STATUS.get(event.status, "EventScheduled")
    places: list[dict[str, Any]] = []
    if event.place is not None and event.status != "online-statt-vor-ort":
        address = {"@type": "PostalAddress", "addressLocality": event.place.town, "addressCountry": "DE"}
        if event.place.street:
            address["streetAddress"] = event.place.street
        places.append({"@type": "Place", "name": event.place.name, "address": address})
    if event.online_url:
        places.append({"@type": "VirtualLocation", "url": event.online_url})
    online = any(p["@type"] == "VirtualLocation" for p in places)
    offline = any(p["@type"] == "Place" for p in places)
    mode = "MixedEventAttendanceMode" if online and offline else \
        "OnlineEventAttendanceMode" if online else "OfflineEventAttendanceMode"
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Event", "name": event.title,
        "description": event.summary, "url": absolute(base, event.url),
        "startDate": _iso(event.when.start), "endDate": _iso(event.when.end),
        "eventStatus": f"https://schema.org/{status}",
        "eventAttendanceMode": f"https://schema.org/{mode}",
        "location": places[0] if len(places) == 1 else places,
        "organizer": {"@type": "GovernmentOrganization", "name": programme.name, "url": base},
        "inLanguage": programme.edition(event.lang).lang,
    }
    if event.previous_starts:
        data["previousStartDate"] = [_iso(moment) for moment in event.previous_starts]
    if event.image:
        data["image"] = absolute(base, event.image)
    if event.registration == "link":
        data["offers"] = {"@type": "Offer", "url": event.registration_url, "price": "0",
                          "priceCurrency": "EUR"}
    return data


def event_jsonld(event: Event, base_url: str, programme: Programme) -> str:
    return json_ld(event_data(event, base_url, programme))

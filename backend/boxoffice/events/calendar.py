"""An event as an iCalendar file (RFC 5545), written by hand: it is a few lines of text.

Times are written in UTC (``...Z``), so no VTIMEZONE block is needed and every client agrees on
the instant; ``X-WR-TIMEZONE`` tells calendar apps which zone the organizer thinks in.
"""

from __future__ import annotations

from datetime import UTC, datetime

from boxoffice.models.event import Event, EventStatus

PRODID = "-//Boxoffice//Events//EN"
MAX_LINE_OCTETS = 75
CRLF = "\r\n"

_ICS_STATUS = {
    EventStatus.DRAFT: "TENTATIVE",
    EventStatus.PUBLISHED: "CONFIRMED",
    EventStatus.COMPLETED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def escape_text(value: str) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash first, then ``;`` ``,`` and newlines."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets (continuations start with a space),
    never inside a multi-byte UTF-8 character."""
    pieces: list[str] = []
    current = ""
    current_octets = 0
    limit = MAX_LINE_OCTETS
    for char in line:
        size = len(char.encode("utf-8"))
        if current_octets + size > limit:
            pieces.append(current)
            current, current_octets = " ", 1  # the leading space counts toward the next line's 75
        current += char
        current_octets += size
    pieces.append(current)
    return CRLF.join(pieces)


def format_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_to_ics(event: Event, *, public_base_url: str) -> str:
    url = f"{public_base_url.rstrip('/')}/events/{event.slug}"
    location = ", ".join(part for part in (event.venue_name, event.address, event.city, event.country) if part)
    if not location and event.online_url:
        location = event.online_url
    description_parts = [event.summary] if event.summary else []
    if event.status == EventStatus.CANCELLED and event.cancelled_reason:
        description_parts.insert(0, f"Cancelled: {event.cancelled_reason}")
    if event.online_url:
        description_parts.append(f"Join online: {event.online_url}")
    description_parts.append(url)

    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-TIMEZONE:{event.timezone}",
        "BEGIN:VEVENT",
        f"UID:{event.id}@boxoffice",
        f"DTSTAMP:{format_utc(event.updated_at)}",
        f"LAST-MODIFIED:{format_utc(event.updated_at)}",
        f"SEQUENCE:{event.version - 1}",
        f"DTSTART:{format_utc(event.starts_at)}",
        f"DTEND:{format_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.title)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description_parts))}",
        f"STATUS:{_ICS_STATUS[event.status]}",
        f"URL:{url}",
    ]
    if location:
        lines.append(f"LOCATION:{escape_text(location)}")
    if event.latitude is not None and event.longitude is not None:
        lines.append(f"GEO:{event.latitude:.6f};{event.longitude:.6f}")
    if event.category:
        lines.append(f"CATEGORIES:{escape_text(event.category)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + CRLF for line in lines)

"""Ticket images and documents: QR (SVG/PNG via segno) and a one-page PDF per ticket (fpdf2)."""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import segno
from fpdf import FPDF


def qr_svg(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="svg", scale=6, border=2, xmldecl=False, dark="#111827")
    return buffer.getvalue()


def qr_png(code: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m").save(buffer, kind="png", scale=scale, border=3)
    return buffer.getvalue()


def local_time(moment: datetime, timezone: str) -> str:
    try:
        zone = ZoneInfo(timezone)
    except Exception:
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).strftime("%a %d %b %Y, %H:%M %Z")


def _latin1(text: str) -> str:
    """The built-in PDF fonts are Latin-1; replace what they cannot draw rather than fail."""
    return text.encode("latin-1", "replace").decode("latin-1")


def ticket_pdf(
    *, code: str, event_title: str, starts: str, venue: str, ticket_type: str, attendee: str, reference: str
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_latin1(f"Ticket - {event_title}"))
    pdf.add_page()
    pdf.set_fill_color(79, 70, 229)
    pdf.rect(0, 0, 210, 28, style="F")
    pdf.set_text_color(255, 255, 255)
    pdf.set_font("Helvetica", "B", 18)
    pdf.set_xy(15, 9)
    pdf.cell(0, 10, "Boxoffice ticket")
    pdf.set_text_color(17, 24, 39)
    pdf.set_xy(15, 40)
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(120, 9, _latin1(event_title))
    pdf.set_font("Helvetica", "", 12)
    for label, value in (
        ("When", starts),
        ("Where", venue),
        ("Ticket", ticket_type),
        ("Attendee", attendee or "-"),
        ("Reference", reference),
    ):
        pdf.set_x(15)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(28, 8, label)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(100, 8, _latin1(value))
    pdf.image(io.BytesIO(qr_png(code, scale=10)), x=140, y=38, w=55, h=55)
    pdf.set_xy(15, 120)
    pdf.set_font("Helvetica", "", 9)
    pdf.set_text_color(107, 114, 128)
    pdf.multi_cell(180, 5, "Show this QR code at the entrance. Each ticket admits one person once.")
    return bytes(pdf.output())

"""Jinja2 templates for mail: ``<name>.subject.j2``, ``<name>.txt.j2`` and ``<name>.html.j2``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATE_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class RenderedMail:
    subject: str
    text: str
    html: str


@lru_cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),
        undefined=StrictUndefined,  # a missing variable is a bug, not an empty string in a customer's mail
        keep_trailing_newline=True,
    )


def render_mail(template: str, context: dict[str, Any]) -> RenderedMail:
    env = _environment()
    subject = env.get_template(f"{template}.subject.j2").render(context).strip()
    text = env.get_template(f"{template}.txt.j2").render(context)
    html = env.get_template(f"{template}.html.j2").render({**context, "subject": subject})
    return RenderedMail(subject=subject, text=text, html=html)

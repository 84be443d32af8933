"""Boxoffice: event management and ticketing."""

__version__ = "0.1.0"

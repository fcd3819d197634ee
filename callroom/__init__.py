"""callroom: survey phone calls from a list, one card at a time."""

__version__ = "0.1.0"

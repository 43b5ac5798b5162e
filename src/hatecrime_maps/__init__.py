"""hatecrime-maps: police FOI answers about hate crime, parsed, reconciled and mapped."""

__version__ = "0.1.0"

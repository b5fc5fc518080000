"""Hague: open sources preserved as verifiable evidence, structured for legal review."""

__version__ = "0.1.0"

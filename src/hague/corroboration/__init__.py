"""Across documents: reuse of text, incidents, independent sources and positions."""

from hague.corroboration.reuse import ReuseDoc, ReuseLink, ReuseParams, find_reuse, near_duplicate_groups

__all__ = ["ReuseDoc", "ReuseLink", "ReuseParams", "find_reuse", "near_duplicate_groups"]

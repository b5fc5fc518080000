"""Collect and preserve: the object store, the custody ledger, capture and readers."""

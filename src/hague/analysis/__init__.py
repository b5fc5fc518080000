"""The parts of an analysis run that make it incremental: the persistent reuse index, the reuse step over new
documents only, incident assignment that keeps incidents' identity, and the lock that lets one analysis run
at a time. :mod:`hague.pipeline` puts them together."""

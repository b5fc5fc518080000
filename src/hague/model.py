"""Database tables for the entities of DESIGN.md.

Portable SQLAlchemy types only (no SQLite- or PostgreSQL-only features), so the same
schema and migrations serve the default SQLite workspace and a shared PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Source(Base):
    """An outlet, organisation or account that publishes, with an Admiralty grade."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    reliability: Mapped[str | None] = mapped_column(String(1))  # Admiralty A-F
    credibility: Mapped[str | None] = mapped_column(String(1))  # Admiralty 1-6


class Item(Base):
    """One preserved original; its bytes live in the object store under ``sha256``."""

    __tablename__ = "items"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(100))
    captured_at: Mapped[str] = mapped_column(String(40))
    captured_by: Mapped[str] = mapped_column(String(200))
    origin: Mapped[str] = mapped_column(Text)
    capture_tool: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)


class Document(Base):
    """The text read from an item, with the metadata that dates and attributes it."""

    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256"), unique=True)
    external_id: Mapped[str | None] = mapped_column(String(200), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(10))
    outlet: Mapped[str | None] = mapped_column(String(300))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str | None] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64))
    reader: Mapped[str] = mapped_column(String(100))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class LedgerEntry(Base):
    """One custody event; ``entry_hash`` is its RFC 6962 leaf hash and chains through ``prev_hash``."""

    __tablename__ = "ledger_entries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    time: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subjects: Mapped[list[Any]] = mapped_column(JSON)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class LedgerSubject(Base):
    """Index from a subject SHA-256 to the entries that name it (inclusion proofs look items up here)."""

    __tablename__ = "ledger_subjects"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(ForeignKey("ledger_entries.seq"), primary_key=True)


class TreeHead(Base):
    """A signed statement of the ledger's size and Merkle root at one moment."""

    __tablename__ = "tree_heads"
    __table_args__ = (UniqueConstraint("tree_size", "root_hash", "key_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tree_size: Mapped[int] = mapped_column(Integer)
    root_hash: Mapped[str] = mapped_column(String(64))
    timestamp: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))


class SigningKey(Base):
    """Public half of each workspace signing key, so heads stay checkable after a key change."""

    __tablename__ = "signing_keys"
    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    public_key: Mapped[str] = mapped_column(Text)  # PEM
    created_at: Mapped[str] = mapped_column(String(40))

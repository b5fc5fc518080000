"""Database tables for the entities of DESIGN.md.

Portable SQLAlchemy types only (no SQLite- or PostgreSQL-only features), so the same
schema and migrations serve the default SQLite workspace and a shared PostgreSQL.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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
    captured_at: Mapped[str] = mapped_column(String(40), index=True)
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
    published: Mapped[str | None] = mapped_column(String(10), index=True)
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


class StatementRow(Base):
    """A statement read from a document (machine output until a person accepts it)."""

    __tablename__ = "statements"
    __table_args__ = (Index("ix_statements_speaker_said_on", "speaker", "said_on"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    speaker: Mapped[str | None] = mapped_column(Text, index=True)
    org: Mapped[str | None] = mapped_column(Text)
    stance: Mapped[str | None] = mapped_column(String(40))
    said_on: Mapped[str | None] = mapped_column(String(21), index=True)
    quote_start: Mapped[int | None] = mapped_column(Integer)
    quote_end: Mapped[int | None] = mapped_column(Integer)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)  # every Field with value, span, confidence, origin
    analyzer: Mapped[str] = mapped_column(String(40))


class ReportRow(Base):
    """One document's account of one incident."""

    __tablename__ = "reports"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    event: Mapped[str | None] = mapped_column(String(40))
    place: Mapped[str | None] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(21), index=True)
    status: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)
    analyzer: Mapped[str] = mapped_column(String(40))
    incident_id: Mapped[str | None] = mapped_column(String(200), index=True)


class ReuseRow(Base):
    """Passage ``to`` of a later document reuses passage ``from`` of an earlier one."""

    __tablename__ = "reuse"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    to_document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    from_start: Mapped[int] = mapped_column(Integer)
    from_end: Mapped[int] = mapped_column(Integer)
    to_start: Mapped[int] = mapped_column(Integer)
    to_end: Mapped[int] = mapped_column(Integer)
    similarity: Mapped[float] = mapped_column()
    basis: Mapped[str] = mapped_column(String(40))


class IncidentRow(Base):
    """A cluster of reports about one event, with merged facts and its independent sources."""

    __tablename__ = "incidents"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str | None] = mapped_column(String(40))
    independent_count: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    context_override: Mapped[str | None] = mapped_column(String(60))
    # merged facts as columns, for listings and filters (findings.incident_values fills them from ``data``)
    event: Mapped[str | None] = mapped_column(String(40), index=True)
    country: Mapped[str | None] = mapped_column(String(10), index=True)
    date: Mapped[str | None] = mapped_column(String(21), index=True)
    place: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column()
    lon: Mapped[float | None] = mapped_column()


class AssessmentRow(Base):
    """A reviewer-facing incident × provision record: element findings, review state and its history."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("incident_id", "provision_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[str] = mapped_column(String(200), index=True)
    provision_id: Mapped[str] = mapped_column(String(100))
    elements: Mapped[dict[str, Any]] = mapped_column(JSON)  # element id -> finding (status, evidence, note, origin)
    updated_at: Mapped[str] = mapped_column(String(40))


class ReviewRow(Base):
    """The review state of an incident (law.md §4.6); every change is also a ledger entry."""

    __tablename__ = "reviews"
    incident_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    state: Mapped[str] = mapped_column(String(60))
    history: Mapped[list[Any]] = mapped_column(JSON)


class ProtectedPerson(Base):
    """A person whose name is replaced by a stable pseudonym in anything shared."""

    __tablename__ = "protected_persons"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    aliases: Mapped[list[Any]] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[str] = mapped_column(String(200))
    marked_at: Mapped[str] = mapped_column(String(40))


# --- people and cases (the web workspace) ----------------------------------------------------------------------
# Secrets are stored only as hashes: passwords with Argon2, session ids and API tokens with SHA-256 (they are
# 256-bit random values, so a fast hash loses nothing and keeps per-request look-ups cheap).


class User(Base):
    """A person's account. Identity in the ledger is this account's name, not a typed ``--collector``."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(default=False)
    disabled: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # set once the person confirmed a first code
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)  # a code is accepted once
    created_at: Mapped[str] = mapped_column(String(40))


class LoginSession(Base):
    """A signed-in browser. The cookie holds a random id; only its SHA-256 is stored."""

    __tablename__ = "login_sessions"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    second_factor: Mapped[bool] = mapped_column(default=False)  # signed in with a TOTP code
    pending_totp: Mapped[bool] = mapped_column(default=False)  # password accepted, code still owed
    created_at: Mapped[str] = mapped_column(String(40))
    last_seen_at: Mapped[str] = mapped_column(String(40))
    expires_at: Mapped[str] = mapped_column(String(40))
    client: Mapped[str | None] = mapped_column(String(300))


class LoginFailure(Base):
    """Recent failed sign-ins per account and per address, for throttling."""

    __tablename__ = "login_failures"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)
    first_at: Mapped[str] = mapped_column(String(40))
    locked_until: Mapped[str | None] = mapped_column(String(40))


class Case(Base):
    """A body of work (e.g. "Ukraine 2022"): its items, and through them documents, incidents and reviews."""

    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    require_totp: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[str] = mapped_column(String(40))
    created_by: Mapped[str] = mapped_column(String(200))


class CaseMember(Base):
    """A person's role in one case (lead, analyst, reviewer, viewer or partner)."""

    __tablename__ = "case_members"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[str] = mapped_column(String(40))
    added_by: Mapped[str] = mapped_column(String(200))


class CaseItem(Base):
    """An item in a case; an item may belong to several cases."""

    __tablename__ = "case_items"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    item_sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256"), primary_key=True, index=True)
    added_at: Mapped[str] = mapped_column(String(40))
    added_by: Mapped[str] = mapped_column(String(200))


class CaseShare(Base):
    """What a case's partners may see: an item (and its document) or an incident (and its reports)."""

    __tablename__ = "case_shares"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    ref: Mapped[str] = mapped_column(String(200), primary_key=True)
    shared_at: Mapped[str] = mapped_column(String(40))
    shared_by: Mapped[str] = mapped_column(String(200))


class ApiToken(Base):
    """A revocable API token for one case, scoped read or write; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(10))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[str] = mapped_column(String(40))
    last_used_at: Mapped[str | None] = mapped_column(String(40))
    revoked_at: Mapped[str | None] = mapped_column(String(40))

"""Database tables for the entities of DESIGN.md.

Portable SQLAlchemy types only (no SQLite- or PostgreSQL-only features), so the same
schema and migrations serve the default SQLite workspace and a shared PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, BigInteger, Dialect, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from hague import canonical


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class CanonicalJSON(TypeDecorator[Any]):
    """A JSON column written as canonical JSON (:mod:`hague.canonical`), read as any JSON column.

    The ledger's JSON columns: their text is then the bytes the entry's hash covers, so ``hague verify`` hashes
    an entry as stored and decodes and re-encodes only one whose text is not canonical (written before this, or
    edited). The column's type in the database is JSON as before: the same schema, and old rows stay as written.
    """

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect: Dialect) -> Callable[[Any], str | None]:
        return lambda value: None if value is None else canonical.encode(value)


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
    fingerprinted: Mapped[bool] = mapped_column(default=False, server_default=false())  # in the reuse index


class LedgerEntry(Base):
    """One custody event; ``entry_hash`` is its RFC 6962 leaf hash and chains through ``prev_hash``."""

    __tablename__ = "ledger_entries"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    time: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(60), index=True)
    subjects: Mapped[list[Any]] = mapped_column(CanonicalJSON)
    details: Mapped[dict[str, Any]] = mapped_column(CanonicalJSON)
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
    # The Merkle frontier at this size (hex roots of the perfect subtrees, left to right): the next head extends
    # it with the new entries only. Not evidence: ``hague verify`` recomputes every root from the chain.
    frontier: Mapped[list[str] | None] = mapped_column(JSON)


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
    incident_origin: Mapped[str | None] = mapped_column(String(20))  # hague.vocab.Origin: who placed it there


class ReportKey(Base):
    """What a report can be found by when a new report looks for its incident (place, target, weapon, words)."""

    __tablename__ = "report_keys"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)


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


class IncidentProposal(Base):
    """A change to incidents the machine may only propose (merging two); it waits for a person's decision."""

    __tablename__ = "incident_proposals"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # hague.vocab.ProposalKind
    incidents: Mapped[list[Any]] = mapped_column(JSON)
    score: Mapped[float] = mapped_column()
    reason: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), index=True)  # hague.vocab.ProposalState
    proposed_at: Mapped[str] = mapped_column(String(40))
    proposed_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[str | None] = mapped_column(String(40))
    decided_by: Mapped[str | None] = mapped_column(String(200))


# --- people correcting the machine (hague.curation) --------------------------------------------------------------
# A person's decision is keyed by what it is about, never by a machine row's id: the item (its SHA-256), the
# evidence span in the item's extracted text and the SHA-256 of that span's text. Analysis deletes and
# re-inserts machine rows freely; each run re-applies these decisions to whatever rows now stand on the span.


class FindingDecision(Base):
    """A person's decision on one statement or report: accepted, corrected (some fields), rejected, or added."""

    __tablename__ = "finding_decisions"
    __table_args__ = (UniqueConstraint("kind", "item_sha256", "span_start", "span_end"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # hague.vocab.FindingKind
    item_sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256"), index=True)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    span_sha256: Mapped[str] = mapped_column(String(64))  # of the span's text: the anchor survives re-reading
    verdict: Mapped[str] = mapped_column(String(20))  # hague.vocab.Verdict
    fields: Mapped[dict[str, Any]] = mapped_column(JSON)  # field -> {value, machine, by, at}: what a person set
    machine: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the machine's finding when first decided on
    conflicts: Mapped[list[Any]] = mapped_column(JSON, default=list)  # new machine output against a person's value
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[str] = mapped_column(String(40))


class IncidentPlacement(Base):
    """A report a person put in an incident (moved, split out, merged in), keyed by the report's evidence."""

    __tablename__ = "incident_placements"
    __table_args__ = (UniqueConstraint("item_sha256", "span_start", "span_end"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_sha256: Mapped[str] = mapped_column(ForeignKey("items.sha256"), index=True)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    span_sha256: Mapped[str] = mapped_column(String(64))
    incident_id: Mapped[str] = mapped_column(String(200), index=True)
    placed_by: Mapped[str] = mapped_column(String(200))
    placed_at: Mapped[str] = mapped_column(String(40))


class IncidentCorrection(Base):
    """A merged incident field a person set (date, place with its coordinates, ...), beside the machine's."""

    __tablename__ = "incident_corrections"
    incident_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    machine: Mapped[Any] = mapped_column(JSON)  # the machine's merged value when the person set theirs
    conflict: Mapped[Any] = mapped_column(JSON)  # {machine_now, at} when the machine has since changed its mind
    set_by: Mapped[str] = mapped_column(String(200))
    set_at: Mapped[str] = mapped_column(String(40))


class IncidentAlias(Base):
    """An incident merged into another: links and references to the old id lead to the one it became."""

    __tablename__ = "incident_aliases"
    old_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    new_id: Mapped[str] = mapped_column(String(200), index=True)
    merged_by: Mapped[str] = mapped_column(String(200))
    merged_at: Mapped[str] = mapped_column(String(40))


class IncidentComment(Base):
    """A note on an incident by a case member; ``mentions`` are the accounts it names with @name."""

    __tablename__ = "incident_comments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    incident_id: Mapped[str] = mapped_column(String(200), index=True)
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    mentions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    at: Mapped[str] = mapped_column(String(40))


class IncidentAssignment(Base):
    """Who in a case is to work on an incident next."""

    __tablename__ = "incident_assignments"
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    incident_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    assignee: Mapped[str] = mapped_column(String(100), index=True)
    assigned_by: Mapped[str] = mapped_column(String(100))
    assigned_at: Mapped[str] = mapped_column(String(40))


# --- long work in the background (hague.jobs) ------------------------------------------------------------------


class Job(Base):
    """One piece of long work a person asked for (capturing uploaded files and URLs into a case), run by a worker.

    A worker claims a job for a while (``lease_until``) and renews the claim as it goes; a job whose claim ran
    out (its worker stopped) is claimed again and goes on where it was: its inputs record what is done."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # hague.vocab.JobKind
    state: Mapped[str] = mapped_column(String(20), index=True)  # hague.vocab.JobState
    options: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[str | None] = mapped_column(String(40))
    finished_at: Mapped[str | None] = mapped_column(String(40))
    worker: Mapped[str | None] = mapped_column(String(200))
    lease_until: Mapped[str | None] = mapped_column(String(40))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)


class JobInput(Base):
    """One file or URL of a job, with what became of it."""

    __tablename__ = "job_inputs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)  # the file's name as sent, or the URL
    url: Mapped[str | None] = mapped_column(Text)
    spool: Mapped[str | None] = mapped_column(Text)  # the uploaded bytes, under the workspace's spool folder
    state: Mapped[str] = mapped_column(String(20))  # hague.vocab.InputState
    sha256: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[str | None] = mapped_column(String(40))


class PackageRow(Base):
    """A package built in the browser for a recipient from a case's incidents, with its verification result."""

    __tablename__ = "packages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(300))
    incidents: Mapped[list[Any]] = mapped_column(JSON)
    redact: Mapped[list[Any]] = mapped_column(JSON)
    file: Mapped[str] = mapped_column(String(200))  # under the workspace's packages folder
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    shared: Mapped[bool] = mapped_column(default=False)  # the case's partners may see and download it
    verification: Mapped[dict[str, Any]] = mapped_column(JSON)  # the package checked as its recipient would
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[str] = mapped_column(String(40))


class ReuseSegment(Base):
    """One immutable file of the persistent reuse fingerprint index (hague.analysis.index)."""

    __tablename__ = "reuse_segments"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    postings: Mapped[int] = mapped_column(BigInteger)
    params: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[str] = mapped_column(String(40))


class AssessmentRow(Base):
    """A reviewer-facing incident × provision record: element findings, review state and its history."""

    __tablename__ = "assessments"
    __table_args__ = (UniqueConstraint("incident_id", "provision_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[str] = mapped_column(String(200), index=True)
    provision_id: Mapped[str] = mapped_column(String(100))
    # element id -> finding, stored compact: read it through hague.assessments.findings_of
    elements: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[str] = mapped_column(String(40))


class IncidentLawFeatures(Base):
    """What an incident's member reports give the law layer (the sources' cited provisions and every feature's
    evidence spans), kept when its checklists are refreshed: a refresh whose members did not change (a review
    decision on the classification, say) reads this instead of every member report again."""

    __tablename__ = "incident_law_features"
    incident_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    features: Mapped[dict[str, Any]] = mapped_column(JSON)  # hague.assessments.MemberFeatures.to_json()


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

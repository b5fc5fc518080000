"""The closed vocabularies, in one place: every value a field may take where the list is fixed by the design.

They are ``StrEnum``s, so a member *is* its string: it compares equal to the plain value, is stored as it in
the database, and serialises to it in JSON and in canonical ledger entries (bytes unchanged). Open lists that
grow with the world (targets, weapons, places, provisions, lexicons) stay data files; where a data file also
describes a closed value here (its gloss, the wording a review state allows), a test checks that both name the
same values in the same order.
"""

from __future__ import annotations

from enum import StrEnum


class ReviewState(StrEnum):
    """Review states of an incident, in workflow order (law.md §4.6; meanings in ``law/data/review.yaml``)."""

    INGESTED = "ingested"
    CODED = "coded"
    PROVISIONS_SUGGESTED = "provisions_suggested"
    EVIDENCE_LINKED = "evidence_linked"
    ANALYST_ASSESSED = "analyst_assessed"
    PEER_REVIEWED = "peer_reviewed"
    LEGAL_REVIEWED = "legal_reviewed"
    EXPORT_READY = "export_ready"


# Where an analysis run leaves a new (or re-opened) incident: it has read the reports (ingested), coded their
# fields (coded) and computed candidate provisions with their checklists (provisions_suggested).
MACHINE_STATE = ReviewState.PROVISIONS_SUGGESTED


class ConfidenceLabel(StrEnum):
    """The analyst's confidence label when assessing (law.md §4.6): clearly weaker than any institution's."""

    INSUFFICIENT_INFORMATION = "insufficient_information"
    CREDIBLE_ALLEGATION = "credible_allegation"
    PATTERN_CONSISTENT_WITH_VIOLATION = "pattern_consistent_with_violation"


class ElementStatus(StrEnum):
    """How far the evidence establishes one element of a provision."""

    NOT_ADDRESSED = "not_addressed"
    UNKNOWN = "unknown"
    SUPPORTED = "supported"
    PARTIALLY_SUPPORTED = "partially_supported"
    CONTRADICTED = "contradicted"
    NOT_APPLICABLE = "not_applicable"


class Origin(StrEnum):
    """Who set a value: the machine (a suggestion until a person accepts it) or a person."""

    MACHINE = "machine"
    ANALYST = "analyst"


class ProposalKind(StrEnum):
    """What the machine proposes to do to incidents but may not do alone."""

    MERGE = "merge"  # the incidents look like one event


class ProposalState(StrEnum):
    OPEN = "open"  # waiting for a person
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # never proposed again for the same incidents


class FindingKind(StrEnum):
    """What a person decides on in one document: a statement or a report."""

    STATEMENT = "statement"
    REPORT = "report"


class Verdict(StrEnum):
    """A person's decision on one machine finding (hague.curation)."""

    ACCEPTED = "accepted"  # right as the machine read it: every field is pinned at its value
    CORRECTED = "corrected"  # some fields set by a person; the others stay the machine's
    REJECTED = "rejected"  # not a statement (report) at all: removed, and stays removed on every re-analysis
    ADDED = "added"  # one the machine missed, marked by a person on the text


class JobKind(StrEnum):
    """Long work a worker runs (hague.jobs)."""

    CAPTURE = "capture"  # preserve uploaded files and URLs into a case, then read what is new


class JobState(StrEnum):
    QUEUED = "queued"  # waiting for a worker
    RUNNING = "running"  # a worker holds it (until its lease runs out)
    DONE = "done"  # every input preserved (or already held)
    PARTIAL = "partial"  # done, but some inputs failed (each says why)
    FAILED = "failed"  # nothing could be done, or the reading after it failed


class InputState(StrEnum):
    WAITING = "waiting"
    DONE = "done"
    FAILED = "failed"


class Stage(StrEnum):
    """The long stages of an analysis run, in the order it runs them; the value is what a progress bar shows."""

    READING = "reading"
    PLACING = "placing reports"
    SETTLING = "refreshing incidents"


class ProvisionStatus(StrEnum):
    """A provision's standing for one incident."""

    SUGGESTED = "suggested"
    SHOW_ONLY = "show_only"  # shown greyed with the reason it is not suggested
    KEPT_BY_REVIEWER = "kept_by_reviewer"  # not suggested now, kept because a person worked on it


class ConflictType(StrEnum):
    """The armed-conflict classification an incident is reviewed under."""

    IAC = "iac"
    NIAC = "niac"
    OCCUPATION = "occupation"
    UNCLEAR = "unclear"


class Event(StrEnum):
    """What kind of incident a report describes (glosses in ``data/codes.yaml``)."""

    ATTACK = "attack"
    SEIZURE = "seizure"
    INTERFERENCE = "interference"
    DETENTION = "detention"
    KILLING = "killing"
    WEAPON_USE = "weapon_use"
    DISPLACEMENT = "displacement"
    OTHER = "other"


class Stance(StrEnum):
    """What a statement does about the conduct it speaks of (glosses in ``data/codes.yaml``)."""

    ASSERTS_VIOLATION = "asserts_violation"
    CONDEMNS = "condemns"
    REPORTS = "reports"
    INVESTIGATING = "investigating"
    NO_CONCLUSION = "no_conclusion"
    CANNOT_CONFIRM = "cannot_confirm"
    DENIES = "denies"
    OTHER = "other"


class ReportStatus(StrEnum):
    """How a document puts what happened (glosses in ``data/codes.yaml``)."""

    REPORTED = "reported"
    ALLEGED = "alleged"
    CONFIRMED = "confirmed"
    UNCONFIRMED = "unconfirmed"
    DENIED = "denied"


class IncidentStatus(StrEnum):
    """An incident's status across its reports: a report status, or disputed when the sources disagree."""

    CONFIRMED = "confirmed"
    DISPUTED = "disputed"
    REPORTED = "reported"
    ALLEGED = "alleged"
    UNCONFIRMED = "unconfirmed"
    DENIED = "denied"


class Mode(StrEnum):
    """How a statement is given."""

    DIRECT = "direct"  # inside quotation marks
    INDIRECT = "indirect"  # reported speech


class AddStatus(StrEnum):
    """What became of one input given to ``add``."""

    ADDED = "added"
    UNREAD = "unread"  # preserved, but over its reading budget: no document
    DUPLICATE = "duplicate"
    FAILED = "failed"
    STOPPED = "stopped"  # not attempted: the disk filled first


class Action(StrEnum):
    """The acts the custody ledger records (an entry's ``action``)."""

    INIT = "init"
    KEY_ROTATE = "key.rotate"
    CAPTURE = "capture"
    ANALYZE = "analyze"
    SOURCE_GRADE = "source.grade"
    REVIEW_REFRESH = "review.refresh"
    REVIEW_ELEMENT = "review.element"
    REVIEW_TRANSITION = "review.transition"
    REVIEW_CONTEXT = "review.context"
    REPORT = "report"
    EXPORT = "export"
    IMPORT = "package.import"
    PROTECT = "protect"
    # the team's workspace: accounts, cases, tokens
    USER_ADD = "user.add"
    USER_PASSWORD = "user.password"
    USER_ADMIN = "user.admin"
    USER_DISABLE = "user.disable"
    USER_ENABLE = "user.enable"
    USER_TOTP = "user.totp"
    USER_LOGOUT_ALL = "user.logout_all"
    TOKEN_CREATE = "token.create"
    TOKEN_REVOKE = "token.revoke"
    CASE_CREATE = "case.create"
    CASE_MEMBER = "case.member"
    CASE_TOTP = "case.totp"
    CASE_ITEMS = "case.items"
    CASE_SHARE = "case.share"
    CASE_UNSHARE = "case.unshare"
    # people correcting the machine (hague.curation)
    CURATE_FINDING = "curate.finding"  # accept, reject, correct or add a statement or report
    CURATE_UNDO = "curate.undo"  # a person's decision on a finding withdrawn: the machine's value again
    CURATE_RESOLVE = "curate.resolve"  # a conflict between a person's value and new machine output resolved
    INCIDENT_CORRECT = "incident.correct"  # a merged incident field set by a person
    INCIDENT_PLACE = "incident.place"  # reports moved between incidents (move, split)
    INCIDENT_MERGE = "incident.merge"
    INCIDENT_PROPOSAL = "incident.proposal"  # a machine merge proposal accepted or refused
    INCIDENT_COMMENT = "incident.comment"
    INCIDENT_ASSIGN = "incident.assign"
    JOB_ENQUEUE = "job.enqueue"  # long work asked for (a capture from the browser); a worker runs it


class ExportKind(StrEnum):
    """What ``export`` can write."""

    INCIDENTS = "incidents"
    STATEMENTS = "statements"
    REPORTS = "reports"


class ExportFormat(StrEnum):
    CSV = "csv"
    JSON = "json"
    GEOJSON = "geojson"


class DossierFormat(StrEnum):
    HTML = "html"
    MD = "md"


class Role(StrEnum):
    """A person's role in one case."""

    LEAD = "lead"  # runs the case: members, partner shares, settings, and everything an analyst does
    ANALYST = "analyst"  # collects and analyses: upload, capture, analyse
    REVIEWER = "reviewer"  # legal review: element findings and review decisions
    VIEWER = "viewer"  # reads the whole case, changes nothing
    PARTNER = "partner"  # an outside body: reads only what the case shared with its partners


class TokenScope(StrEnum):
    READ = "read"
    WRITE = "write"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The plain values of a vocabulary, in order (for help texts and data checks)."""
    return tuple(m.value for m in vocabulary)

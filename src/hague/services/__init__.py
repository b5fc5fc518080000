"""Every act a person can take in Hague, as one function: the contract of the CLI, the web app and the API.

Front ends call only these functions; none holds logic of its own. The contract, for every function here:

- **Workspace first.** The first argument is an open :class:`~hague.workspace.Workspace`
  (:func:`hague.services.workspace.open` or :func:`~hague.services.workspace.initialise`), except for the
  few acts that need none (verifying a package a recipient holds, scoring a gold set).
- **An explicit actor.** Every act that changes something takes ``actor: str``, the name the custody
  ledger records (the signed-in user on the web, ``--collector``/``--reviewer`` or the OS user on the CLI).
  Services never guess it.
- **Atomic, recorded, sealed.** An act is one write transaction holding the workspace lock, with its ledger
  entries in it; after it commits, the ledger's new head is signed, and the result carries that head
  (``tree_head``). A refused act changes nothing.
- **Typed results.** Functions return frozen dataclasses (records of :mod:`hague.records`, or a result
  type of their module), each with ``to_json()`` giving the one JSON shape every front end prints.
- **Typed errors.** Problems raise :mod:`hague.errors`: ``InvalidInput`` (a malformed argument),
  ``NotFound``, ``AmbiguousReference`` (with ``candidates``), ``Refused`` (the rules say no, e.g. a review
  move out of order), ``CheckFailed``, ``WorkspaceMissing``/``WorkspaceCorrupt``, ``OutputFailed``. Each has
  ``kind``, ``exit_code`` and ``to_json()``.
- **Pages, not tables.** Listing functions take ``limit`` and ``offset`` and return a :class:`Page`
  (``items``, ``total``, ``limit``, ``offset``); a page never exceeds :data:`MAX_LIMIT` records.
- **References.** Documents, items, incidents and sources are named as a person types them and resolved by
  :mod:`hague.resolve` (exact match first; a prefix must be unique).

Modules follow the phases: :mod:`.workspace` (init, open, settings), :mod:`.evidence` (collect, preserve,
custody), :mod:`.reading`, :mod:`.corroboration`, :mod:`.review`, :mod:`.sharing`, :mod:`.measure`.
"""

from hague.services.common import MAX_LIMIT, Page

__all__ = ["MAX_LIMIT", "Page"]

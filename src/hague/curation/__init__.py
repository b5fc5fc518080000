"""People correct the machine: decisions on findings and incidents that survive every re-analysis.

The contract (also in the project notes, for the analysis pipeline):

* **Keyed by evidence, not by rows.** A decision names the item (SHA-256), the evidence span in its extracted
  text and the SHA-256 of the span's text (:mod:`.anchors`). Analysis may delete and re-insert every machine
  row; after it writes a document's rows it calls :func:`hague.curation.findings.reapply` in the same
  transaction, which finds the rows now standing on each decided span and applies the decision to them.
* **Beside the machine, never instead of it.** A corrected field keeps the machine's value next to the
  person's, with who and when, in the row's field JSON (``origin: analyst``, ``machine``, ``by``, ``at``) and
  in the decision; every act is one custody-ledger entry under the signed-in account.
* **Conflicts are shown, not settled by the machine.** When a new analysis disagrees with a person (a pinned
  field's machine value changed, or the machine no longer finds an accepted statement), the person's value
  stays and the disagreement is recorded on the decision for a person to resolve.
* **Incidents** (:mod:`.incidents`): moves, splits and merges pin the reports involved as a person's
  placement (``reports.incident_origin = analyst``, which the analysis never moves, plus an anchored
  :class:`~hague.model.IncidentPlacement` re-applied when the report is read again); corrected incident
  fields are re-applied whenever the machine recomputes an incident (:func:`.incidents.apply_corrections`).
"""

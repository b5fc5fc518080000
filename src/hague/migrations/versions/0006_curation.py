"""people correct the machine: decisions on findings, placements, incident corrections, aliases, comments

``finding_decisions`` holds a person's decision on a statement or report (accepted, corrected, rejected, added),
``incident_placements`` the reports a person put in an incident, both keyed by the item, the evidence span and
the SHA-256 of the span's text, never by a machine row's id, so every analysis can re-apply them to the rows it
re-inserts. ``incident_corrections`` are merged incident fields a person set, ``incident_aliases`` the incidents
merged into others, ``incident_comments`` and ``incident_assignments`` a case's notes and who works on what.
``jobs`` and ``job_inputs`` are the durable queue of long work (captures from the browser) a worker runs;
``packages`` the packages built in the browser for a recipient, with their verification result.

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'finding_decisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('item_sha256', sa.String(length=64), sa.ForeignKey('items.sha256'), nullable=False),
        sa.Column('span_start', sa.Integer(), nullable=False),
        sa.Column('span_end', sa.Integer(), nullable=False),
        sa.Column('span_sha256', sa.String(length=64), nullable=False),
        sa.Column('verdict', sa.String(length=20), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('machine', sa.JSON(), nullable=True),
        sa.Column('conflicts', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.String(length=40), nullable=False),
        sa.Column('updated_by', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('kind', 'item_sha256', 'span_start', 'span_end'),
    )
    op.create_index('ix_finding_decisions_item_sha256', 'finding_decisions', ['item_sha256'])
    op.create_table(
        'incident_placements',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_sha256', sa.String(length=64), sa.ForeignKey('items.sha256'), nullable=False),
        sa.Column('span_start', sa.Integer(), nullable=False),
        sa.Column('span_end', sa.Integer(), nullable=False),
        sa.Column('span_sha256', sa.String(length=64), nullable=False),
        sa.Column('incident_id', sa.String(length=200), nullable=False),
        sa.Column('placed_by', sa.String(length=200), nullable=False),
        sa.Column('placed_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('item_sha256', 'span_start', 'span_end'),
    )
    op.create_index('ix_incident_placements_item_sha256', 'incident_placements', ['item_sha256'])
    op.create_index('ix_incident_placements_incident_id', 'incident_placements', ['incident_id'])
    op.create_table(
        'incident_corrections',
        sa.Column('incident_id', sa.String(length=200), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('machine', sa.JSON(), nullable=True),
        sa.Column('conflict', sa.JSON(), nullable=True),
        sa.Column('set_by', sa.String(length=200), nullable=False),
        sa.Column('set_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('incident_id', 'field'),
    )
    op.create_table(
        'incident_aliases',
        sa.Column('old_id', sa.String(length=200), nullable=False),
        sa.Column('new_id', sa.String(length=200), nullable=False),
        sa.Column('merged_by', sa.String(length=200), nullable=False),
        sa.Column('merged_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('old_id'),
    )
    op.create_index('ix_incident_aliases_new_id', 'incident_aliases', ['new_id'])
    op.create_table(
        'incident_comments',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=False),
        sa.Column('incident_id', sa.String(length=200), nullable=False),
        sa.Column('author', sa.String(length=100), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('mentions', sa.JSON(), nullable=False),
        sa.Column('at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_incident_comments_case_id', 'incident_comments', ['case_id'])
    op.create_index('ix_incident_comments_incident_id', 'incident_comments', ['incident_id'])
    op.create_table(
        'incident_assignments',
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=False),
        sa.Column('incident_id', sa.String(length=200), nullable=False),
        sa.Column('assignee', sa.String(length=100), nullable=False),
        sa.Column('assigned_by', sa.String(length=100), nullable=False),
        sa.Column('assigned_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('case_id', 'incident_id'),
    )
    op.create_index('ix_incident_assignments_assignee', 'incident_assignments', ['assignee'])


    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('options', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.String(length=40), nullable=False),
        sa.Column('started_at', sa.String(length=40), nullable=True),
        sa.Column('finished_at', sa.String(length=40), nullable=True),
        sa.Column('worker', sa.String(length=200), nullable=True),
        sa.Column('lease_until', sa.String(length=40), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('message', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_jobs_case_id', 'jobs', ['case_id'])
    op.create_index('ix_jobs_state', 'jobs', ['state'])
    op.create_table(
        'job_inputs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('job_id', sa.Integer(), sa.ForeignKey('jobs.id'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('label', sa.Text(), nullable=False),
        sa.Column('url', sa.Text(), nullable=True),
        sa.Column('spool', sa.Text(), nullable=True),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=True),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('finished_at', sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_job_inputs_job_id', 'job_inputs', ['job_id'])
    op.create_table(
        'packages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), sa.ForeignKey('cases.id'), nullable=False),
        sa.Column('recipient', sa.String(length=300), nullable=False),
        sa.Column('incidents', sa.JSON(), nullable=False),
        sa.Column('redact', sa.JSON(), nullable=False),
        sa.Column('file', sa.String(length=200), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('shared', sa.Boolean(), nullable=False),
        sa.Column('verification', sa.JSON(), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_packages_case_id', 'packages', ['case_id'])


def downgrade() -> None:
    op.drop_table('packages')
    op.drop_table('job_inputs')
    op.drop_table('jobs')
    op.drop_table('incident_assignments')
    op.drop_table('incident_comments')
    op.drop_table('incident_aliases')
    op.drop_table('incident_corrections')
    op.drop_table('incident_placements')
    op.drop_table('finding_decisions')

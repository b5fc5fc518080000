"""incremental analysis: who placed a report in its incident, merge proposals, the reuse index manifest

``reports.incident_origin`` says whether the machine or a person placed a report in its incident (the machine
never moves a person's placement); ``report_keys`` lets an analysis find the incidents a new report may belong
to without reading every report; ``incident_proposals`` holds what the machine proposes but may not do
alone (merging two incidents); ``reuse_segments`` lists the files of the persistent fingerprint index, and
``documents.fingerprinted`` which documents it holds.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (never a table rebuild on SQLite, which would drop the full-text triggers of 0003)
    op.add_column('reports', sa.Column('incident_origin', sa.String(length=20), nullable=True))
    op.add_column('documents', sa.Column('fingerprinted', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE reports SET incident_origin = 'machine' WHERE incident_id IS NOT NULL")
    op.create_table(
        'report_keys',
        sa.Column('key', sa.String(length=120), nullable=False),
        sa.Column('report_id', sa.Integer(), sa.ForeignKey('reports.id', ondelete='CASCADE'), nullable=False),
        sa.PrimaryKeyConstraint('key', 'report_id'),
    )
    op.create_index('ix_report_keys_report_id', 'report_keys', ['report_id'])
    op.create_table(
        'incident_proposals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('incidents', sa.JSON(), nullable=False),
        sa.Column('score', sa.Float(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('proposed_at', sa.String(length=40), nullable=False),
        sa.Column('proposed_by', sa.String(length=200), nullable=False),
        sa.Column('decided_at', sa.String(length=40), nullable=True),
        sa.Column('decided_by', sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_incident_proposals_state', 'incident_proposals', ['state'])
    op.create_table(
        'reuse_segments',
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('postings', sa.BigInteger(), nullable=False),
        sa.Column('params', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('reuse_segments')
    op.drop_index('ix_incident_proposals_state', 'incident_proposals')
    op.drop_table('incident_proposals')
    op.drop_index('ix_report_keys_report_id', 'report_keys')
    op.drop_table('report_keys')
    op.drop_column('documents', 'fingerprinted')
    op.drop_column('reports', 'incident_origin')

"""each incident's law features from its member reports, kept with its checklists

``incident_law_features`` holds, per incident, what its member reports give the law layer (the provisions the
sources cite and every feature's evidence spans), so a refresh whose members did not change (a decision on the
classification) need not read every member report again. It starts empty: an incident without a row has its
features computed from its reports, and kept, at its next refresh.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incident_law_features',
        sa.Column('incident_id', sa.String(length=200), nullable=False),
        sa.Column('features', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('incident_id'),
    )


def downgrade() -> None:
    op.drop_table('incident_law_features')

"""the Merkle frontier kept with each signed tree head, so the next head reads only the new entries

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tree_heads') as batch:
        batch.add_column(sa.Column('frontier', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tree_heads') as batch:
        batch.drop_column('frontier')

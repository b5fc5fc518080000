"""incident columns for listing

An incident's merged event, country, date and place, and the coordinates of its first placed report, as
columns beside its JSON, so case listings, filters, the map and the timeline query indexes instead of
parsing JSON row by row; and indexes on statements.said_on and items.captured_at, the orders of those
listings.

Revision ID: 0004
Revises: 0003
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

_BATCH = 1000


def upgrade() -> None:
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('country', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('date', sa.String(length=21), nullable=True))
        batch_op.add_column(sa.Column('place', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('lat', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('lon', sa.Float(), nullable=True))
        batch_op.create_index('ix_incidents_event', ['event'])
        batch_op.create_index('ix_incidents_country', ['country'])
        batch_op.create_index('ix_incidents_date', ['date'])
    op.create_index('ix_statements_said_on', 'statements', ['said_on'])
    op.create_index('ix_items_captured_at', 'items', ['captured_at'])
    op.create_index('ix_statements_speaker_said_on', 'statements', ['speaker', 'said_on'])
    _backfill()


def _backfill() -> None:
    """Fill the new columns of incidents made before this revision from their JSON and reports."""
    from hague.findings import incident_values

    conn = op.get_bind()
    incidents = sa.table('incidents', sa.column('id'), sa.column('data'), sa.column('event'), sa.column('country'),
                         sa.column('date'), sa.column('place'), sa.column('lat'), sa.column('lon'))
    reports = sa.table('reports', sa.column('id'), sa.column('incident_id'), sa.column('fields'))
    coords: dict[str, list[float]] = {}
    for inc, fields in conn.execute(sa.select(reports.c.incident_id, reports.c.fields)
                                    .where(reports.c.incident_id.is_not(None)).order_by(reports.c.id)):
        fields = json.loads(fields) if isinstance(fields, str) else fields
        if inc not in coords and fields.get('coordinates'):
            coords[inc] = fields['coordinates']
    rows = conn.execute(sa.select(incidents.c.id, incidents.c.data)).all()
    for i in range(0, len(rows), _BATCH):
        for inc, data in rows[i:i + _BATCH]:
            data = json.loads(data) if isinstance(data, str) else data
            conn.execute(incidents.update().where(incidents.c.id == inc)
                         .values(**incident_values(data, coords.get(inc))))


def downgrade() -> None:
    op.drop_index('ix_statements_speaker_said_on', 'statements')
    op.drop_index('ix_items_captured_at', 'items')
    op.drop_index('ix_statements_said_on', 'statements')
    with op.batch_alter_table('incidents', schema=None) as batch_op:
        for name in ('event', 'country', 'date'):
            batch_op.drop_index(f'ix_incidents_{name}')
        for name in ('lon', 'lat', 'place', 'date', 'country', 'event'):
            batch_op.drop_column(name)

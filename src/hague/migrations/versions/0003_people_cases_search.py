"""people, cases, tokens and full-text search

Accounts, sessions, login throttling, cases with members, items and partner shares, API tokens; and the
full-text indexes the web search uses: FTS5 tables kept in step by triggers on SQLite, GIN expression
indexes on PostgreSQL (the same ``to_tsvector`` expressions the search query uses).

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_DOC_TSV = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"
_ST_TSV = ("to_tsvector('simple', coalesce(speaker, '') || ' ' || coalesce(org, '') || ' ' || "
           "coalesce(fields -> 'quote' ->> 'value', ''))")

_SQLITE_FTS = [
    # documents: external-content table over documents(title, text)
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_fts_au AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    # statements: the quote lives inside the JSON fields, so the index keeps its own copy
    "CREATE VIRTUAL TABLE statements_fts USING fts5(speaker, org, quote, tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER statements_fts_ai AFTER INSERT ON statements BEGIN "
    "INSERT INTO statements_fts(rowid, speaker, org, quote) VALUES "
    "(new.id, new.speaker, new.org, json_extract(new.fields, '$.quote.value')); END",
    "CREATE TRIGGER statements_fts_ad AFTER DELETE ON statements BEGIN "
    "DELETE FROM statements_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER statements_fts_au AFTER UPDATE OF speaker, org, fields ON statements BEGIN "
    "DELETE FROM statements_fts WHERE rowid = old.id; "
    "INSERT INTO statements_fts(rowid, speaker, org, quote) VALUES "
    "(new.id, new.speaker, new.org, json_extract(new.fields, '$.quote.value')); END",
    "INSERT INTO statements_fts(rowid, speaker, org, quote) "
    "SELECT id, speaker, org, json_extract(fields, '$.quote.value') FROM statements",
]


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('disabled', sa.Boolean(), nullable=False),
    sa.Column('totp_secret', sa.String(length=64), nullable=True),
    sa.Column('totp_last_step', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('require_totp', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('login_failures',
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('first_at', sa.String(length=40), nullable=False),
    sa.Column('locked_until', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('login_sessions',
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('second_factor', sa.Boolean(), nullable=False),
    sa.Column('pending_totp', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('last_seen_at', sa.String(length=40), nullable=False),
    sa.Column('expires_at', sa.String(length=40), nullable=False),
    sa.Column('client', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id_hash')
    )
    op.create_index('ix_login_sessions_user_id', 'login_sessions', ['user_id'])
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('scope', sa.String(length=10), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('last_used_at', sa.String(length=40), nullable=True),
    sa.Column('revoked_at', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_index('ix_api_tokens_user_id', 'api_tokens', ['user_id'])
    op.create_table('case_members',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('added_at', sa.String(length=40), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('case_id', 'user_id')
    )
    op.create_index('ix_case_members_user_id', 'case_members', ['user_id'])
    op.create_table('case_items',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('item_sha256', sa.String(length=64), nullable=False),
    sa.Column('added_at', sa.String(length=40), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.ForeignKeyConstraint(['item_sha256'], ['items.sha256'], ),
    sa.PrimaryKeyConstraint('case_id', 'item_sha256')
    )
    op.create_index('ix_case_items_item_sha256', 'case_items', ['item_sha256'])
    op.create_table('case_shares',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('ref', sa.String(length=200), nullable=False),
    sa.Column('shared_at', sa.String(length=40), nullable=False),
    sa.Column('shared_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
    sa.PrimaryKeyConstraint('case_id', 'kind', 'ref')
    )
    # listings sort and filter on these
    op.create_index('ix_documents_published', 'documents', ['published'])
    op.create_index('ix_statements_speaker', 'statements', ['speaker'])
    op.create_index('ix_reports_date', 'reports', ['date'])
    if op.get_bind().dialect.name == 'sqlite':
        for sql in _SQLITE_FTS:
            op.execute(sql)
    elif op.get_bind().dialect.name == 'postgresql':
        op.execute(f"CREATE INDEX ix_documents_tsv ON documents USING gin ({_DOC_TSV})")
        op.execute(f"CREATE INDEX ix_statements_tsv ON statements USING gin ({_ST_TSV})")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('documents_fts_ai', 'documents_fts_ad', 'documents_fts_au', 'statements_fts_ai',
                     'statements_fts_ad', 'statements_fts_au'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
        op.execute("DROP TABLE IF EXISTS statements_fts")
    elif op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP INDEX IF EXISTS ix_documents_tsv")
        op.execute("DROP INDEX IF EXISTS ix_statements_tsv")
    op.drop_index('ix_reports_date', 'reports')
    op.drop_index('ix_statements_speaker', 'statements')
    op.drop_index('ix_documents_published', 'documents')
    for table in ('case_shares', 'case_items', 'case_members', 'api_tokens', 'login_sessions', 'login_failures',
                  'cases', 'users'):
        op.drop_table(table)

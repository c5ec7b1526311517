"""pipeline: in-flight sends, erasure and consent records

Revision ID: pipeline
Revises: security_web
Create Date: 2026-11-30 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'pipeline'
down_revision = 'security_web'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('in_flight_since', sa.DateTime(), nullable=True))
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('caregivers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_via', sa.String(length=8), nullable=True))
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.alter_column('birth_year', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('consent_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('consent_via', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('children', schema=None) as batch_op:
        batch_op.drop_column('consent_via')
        batch_op.drop_column('consent_at')
        batch_op.alter_column('birth_year', existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table('caregivers', schema=None) as batch_op:
        batch_op.drop_column('consent_via')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_column('erased_at')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('in_flight_since')

"""inbound text cap: record how long an over-long SMS was before it was cut

Revision ID: kannel
Revises: 0001
Create Date: 2026-11-30 11:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'kannel'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('inbound', schema=None) as batch_op:
        batch_op.add_column(sa.Column('truncated_from', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('inbound', schema=None) as batch_op:
        batch_op.drop_column('truncated_from')

"""Each enrollment remembers the last lesson written (issue 12)

A place's lesson sequence changes when a pack lesson is added or a lesson removed; the tick
carries on after this lesson instead of trusting a position that moved under it.

Revision ID: last_lesson
Revises: i18n_code
Create Date: 2026-11-30 15:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'last_lesson'
down_revision = 'i18n_code'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_lesson_id', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('enrollments', schema=None) as batch_op:
        batch_op.drop_column('last_lesson_id')

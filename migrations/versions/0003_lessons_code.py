"""village local services: the UPTD PPA, puskesmas and hotline its lessons name

Revision ID: lessons_code
Revises: kannel
Create Date: 2026-11-30 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'lessons_code'
down_revision = 'kannel'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uptd_ppa', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('puskesmas', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('hotline', sa.String(length=60), nullable=True))


def downgrade():
    with op.batch_alter_table('villages', schema=None) as batch_op:
        batch_op.drop_column('hotline')
        batch_op.drop_column('puskesmas')
        batch_op.drop_column('uptd_ppa')

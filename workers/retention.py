"""The clock's retention job: SMS texts older than RETENTION_DAYS are blanked."""

from service import retention
from service.models import utcnow
from workers.context import job


@job
def blank_old_texts(now=None):
    """Blank old bodies and inbound texts; returns how many of each."""
    return retention.blank_old_texts(now or utcnow())

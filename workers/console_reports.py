"""The console gateway's delivery reports: in development every SMS is "delivered" a few
seconds after it was "sent", so the dashboard's delivery rates and costs mean something."""

from service.models import utcnow
from service.states import MessageStatus
from workers.context import job
from workers.delivery import apply_report
from workers.gateway import DeliveryReport


@job
def report_delivered(phones_by_id, now=None):
    """Apply a "delivered" report for each console message id; returns how many changed."""
    now = now or utcnow()
    reports = (
        DeliveryReport(status=MessageStatus.DELIVERED, provider_id=id_, phone=phone)
        for id_, phone in phones_by_id
    )
    return sum(1 for report in reports if apply_report(report, now))

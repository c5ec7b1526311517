"""Every SMS says who it is from: "Asuh: " first, added once where the outbox builds rows."""

import pytest
from sqlalchemy import select

from service.brand import branded
from service.models import OutboxMessage, db
from service.outbox import insert_rows, outbox_row, queue_sms


@pytest.mark.parametrize(
    ("body", "sent"),
    [
        ("Pelajaran minggu ini.", "Asuh: Pelajaran minggu ini."),
        ("Asuh: terima kasih.", "Asuh: terima kasih."),  # replies written with the brand
        ("Asuh PENTING: SMS dari ...", "Asuh PENTING: SMS dari ..."),
        ("Asuhan anak", "Asuh: Asuhan anak"),  # a word, not the brand
        ("", "Asuh: "),
    ],
)
def test_the_brand_is_put_first_once(body, sent):
    assert branded(body) == sent


def test_queued_and_bulk_inserted_rows_carry_the_brand_and_are_priced_with_it(app):
    queue_sms("+6281300000001", "a" * 160, "reply", "t:one")
    insert_rows([outbox_row("t:two", "+6281300000002", "Coba ini: satu hal.", "lesson")])
    db.session.commit()
    rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [row.body[:8] for row in rows] == ["Asuh: aa", "Asuh: Co"]
    assert rows[0].segments == 2  # 166 characters: the brand tipped it into two parts
    assert rows[1].segments == 1

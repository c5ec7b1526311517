"""A USSD hop posted twice writes once: a network retry, or two identical posts at once."""

import threading

import pytest
from sqlalchemy import func, select

from menus import hops
from service.models import Child, db
from tests.conftest import TOKEN

PHONE = "+6281377700009"


@pytest.fixture
def household(factory):
    return factory.household(phone=PHONE, births=((2016, 4),))


def children():
    db.session.expire_all()
    return db.session.scalar(select(func.count(Child.id)))


def post(client, session_id, text):
    form = {"sessionId": session_id, "serviceCode": "*384*123#", "phoneNumber": PHONE}
    response = client.post(f"/ussd?token={TOKEN}", data={**form, "text": text})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def at_once(app, session_id, text, copies=2):
    """Post the same hop from `copies` threads released together; their replies."""
    barrier, replies = threading.Barrier(copies), []

    def one():
        client = app.test_client()
        barrier.wait()
        replies.append(post(client, session_id, text))

    threads = [threading.Thread(target=one) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return replies


def test_two_identical_posts_at_once_add_one_child(app, client, household):
    for text in ("", "3", "3*1", "3*1*2021"):
        post(client, "ATUid_twice", text)
    replies = at_once(app, "ATUid_twice", "3*1*2021*7")
    assert children() == 2
    assert all("07/2021" in reply for reply in replies)


def test_a_retry_after_the_session_ended_adds_nothing(client, household):
    for text in ("", "3", "3*1", "3*1*2021", "3*1*2021*7"):
        first = post(client, "ATUid_retry", text)
    post(client, "ATUid_retry", "3*1*2021*7*00*0")  # the caller left the menu
    assert post(client, "ATUid_retry", "3*1*2021*7") == first  # a late retransmission
    assert children() == 2


def test_a_hop_whose_first_post_died_is_carried_out_by_a_later_retry(app, client, household):
    for text in ("", "3", "3*1", "3*1*2021"):
        post(client, "ATUid_died", text)
    redis = app.extensions["redis"]
    name = hops.hop_key("ATUid_died", PHONE, "3*1*2021*7")
    assert hops.claim(redis, name)  # a post claimed the hop, then its process died
    assert "07/2021" in post(client, "ATUid_died", "3*1*2021*7")  # answered, nothing written
    assert children() == 1
    redis.delete(name)  # the dead post's claim lapsed (WORKING_TTL)
    assert "07/2021" in post(client, "ATUid_died", "3*1*2021*7")
    assert children() == 2
    assert hops.WORKING_TTL <= 60

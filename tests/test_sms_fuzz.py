"""Random and malformed inbound SMS: never a 5xx, always stored, at most one reply each."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from messages.keywords import KEYWORDS
from service.web.sms import provider_id_of
from tests.conftest import TOKEN
from tests.fixtures.sms import inbound_row, replies_to
from workers.inbound import process_inbound

FAC = "+6281100000001"
CAREGIVER = "+6281300000001"
_ids = itertools.count(1)

WORDS = [word for keyword in KEYWORDS for word, _language in keyword.words()]
FIELDS = [
    "081234567890",
    "0812-3456-7890",
    "+85291234567",
    "123459",
    "2016",
    "2019-03",
    "03/2019",
    "5/12",
    "31/2",
    "15.00",
    "25:99",
    "nenek",
    "grandmother",
    "dipukul",
    "0812345",
]

texts = st.one_of(
    st.text(max_size=300),
    st.builds(
        lambda keyword, fields, tail: " ".join([keyword, *fields, tail]),
        st.sampled_from(WORDS) | st.text(max_size=12),
        st.lists(st.sampled_from(FIELDS), max_size=6),
        st.text(max_size=40),
    ),
    st.builds(lambda char, n: char * n, st.characters(), st.integers(1000, 20000)),
    st.just(""),
)
senders = st.one_of(
    st.sampled_from([FAC, CAREGIVER, "+6281999999999", "62811 0000 0001", ""]),
    st.text(max_size=40),
    st.from_regex(r"\+?[0-9]{1,20}", fullmatch=True),
)


@st.composite
def inbound_forms(draw):
    form = {"from": draw(senders), "text": draw(texts)}
    if draw(st.booleans()):
        form["id"] = f"fuzz-{next(_ids)}"
    for name in ("to", "date", "linkId", "networkCode"):
        if draw(st.booleans()):
            form[name] = draw(st.text(max_size=60))
    return form


@pytest.fixture
def people(factory):
    """A facilitator and a caregiver, so some random senders are known (set up once)."""
    village = factory.village()
    factory.facilitator(village, phone=FAC)
    factory.household(village, phone=CAREGIVER, births=((2012, 3),))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(form=inbound_forms())
def test_any_inbound_sms_is_stored_processed_and_answered_at_most_once(people, client, form):
    response = client.post(f"/sms/inbound?token={TOKEN}", data=form)
    assert response.status_code == 200
    cleaned = {k: v.replace("\x00", "\ufffd") for k, v in form.items()}
    row = inbound_row(provider_id_of(cleaned))
    assert row is not None
    kept = {**cleaned, "text": cleaned["text"][:1600]}  # over-long texts are stored cut
    assert row.raw == kept or "id" not in form  # an id-less repeat keeps the first copy
    assert row.truncated_from == (len(cleaned["text"]) if len(cleaned["text"]) > 1600 else None)
    process_inbound(row.id)  # the queued job's function, run here to keep 150 examples quick
    row = inbound_row(row.provider_id)
    assert row.state == "processed", row.error
    assert len(replies_to(row.id)) <= 1

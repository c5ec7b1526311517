"""An admin names a village's UPTD PPA, puskesmas and hotline on the village page (audited);
the page shows the name each lesson placeholder takes there and where it comes from."""

import pytest

from service.models import AuditLog, Village, db
from tests.fixtures.dashboard import form_token

OELNASI = {
    "name": "Oelnasi",
    "district": "Kupang",
    "province": "Nusa Tenggara Timur",
    "timezone": "Asia/Makassar",
    "language": "id",
    "lessons_per_week": "",
}


def edits(action="village.edit"):
    return db.session.scalars(db.select(AuditLog).where(AuditLog.action == action)).all()


def test_the_admin_sets_a_village_s_local_services_and_the_audit_log_keeps_them(
    admin_client, factory
):
    village = factory.village("Oelnasi", province="Nusa Tenggara Timur", district="Kupang")
    path = f"/admin/villages/{village.id}/edit"
    page = admin_client.get(path).get_data(as_text=True)
    assert "Local services named in lessons" in page and 'name="puskesmas"' in page
    data = {
        **OELNASI,
        "uptd_ppa": "UPTD PPA Kab. Kupang",
        "puskesmas": "  Puskesmas   Oelnasi ",
        "hotline": "",
        "csrf_token": form_token(admin_client, path),
    }
    assert admin_client.post(path, data=data).status_code == 302
    db.session.refresh(village)
    assert (village.uptd_ppa, village.puskesmas, village.hotline) == (
        "UPTD PPA Kab. Kupang",
        "Puskesmas Oelnasi",
        None,
    )
    (row,) = edits()
    assert row.detail["changes"]["puskesmas"] == [None, "Puskesmas Oelnasi"]
    assert "hotline" not in row.detail["changes"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("uptd_ppa", "U" * 31, "Field cannot be longer than 30 characters."),
        ("hotline", "H" * 21, "Field cannot be longer than 20 characters."),
        ("puskesmas", "Puskesmas \u201cSehat\u201d", "Not possible in an SMS: \u201c\u201d."),
    ],
)
def test_a_name_too_long_for_the_lessons_or_outside_gsm7_is_refused(
    admin_client, factory, no_csrf, field, value, message
):
    village = factory.village("Oelnasi", province="Nusa Tenggara Timur", district="Kupang")
    response = admin_client.post(
        f"/admin/villages/{village.id}/edit", data={**OELNASI, field: value}
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.refresh(village)
    assert getattr(village, field) is None and edits() == []


def test_the_village_page_says_which_name_each_placeholder_takes_and_why(admin_client, factory):
    village = factory.village("Pemuteran", province="Bali", district="Buleleng", puskesmas="Pkm A")
    page = admin_client.get(f"/admin/villages/{village.id}").get_data(as_text=True)
    section = page[page.index('id="h-local"') :]
    codes = [part.split("</code>")[0] for part in section.split("<code>")[1:]]
    assert codes == ["{uptd_ppa}", "{puskesmas}", "{hotline}"]
    assert "<td>UPTD PPA</td><td>built-in default</td>" in section
    assert "<td>Pkm A</td><td>set for this village</td>" in section
    assert "<td>SAPA 129</td><td>deployment default</td>" in section


def test_a_viewer_sees_the_names_but_cannot_change_them(viewer_client, factory, no_csrf):
    village = factory.village("Oelnasi", province="Nusa Tenggara Timur", puskesmas="Pkm A")
    assert "Pkm A" in viewer_client.get(f"/admin/villages/{village.id}").get_data(as_text=True)
    response = viewer_client.post(
        f"/admin/villages/{village.id}/edit", data={**OELNASI, "puskesmas": "Pkm B"}
    )
    assert response.status_code in (302, 403)
    assert db.session.get(Village, village.id).puskesmas == "Pkm A"

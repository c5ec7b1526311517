"""Every keyword and every error path, in Bahasa Indonesia and English, as one table.

Each row is sent by a facilitator of Kanigoro (Asia/Jakarta) on Monday 4 May 2026, 10:00
local time, into a fresh village world; the one reply must contain every expected fragment.
Placeholders: {code} Mbah Sumini's household (children 2016-04 and 2012-03), {teens} a
household with two teenagers, {other} a household of another village, {gone} a removed
household, {pending} one registered by USSD awaiting confirmation, {typo} {code} with its
last digit changed, {free} a valid code nobody has,
{meeting} a meeting later this year, {today} one that started this morning, {past} one held
last month, {away} another village's meeting.
"""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from messages.keywords import KEYWORDS
from service import codes
from service.models import Meeting, MigrantParent, db
from service.states import HouseholdStatus

NOW = datetime(2026, 5, 4, 3, 0, tzinfo=UTC)  # Monday 10:00 in Asia/Jakarta
FAC_ID, FAC_EN = "+6281100000001", "+6281100000002"
STRANGER = "+6281999999999"


def _meeting(village, starts_at):
    row = Meeting(village_id=village.id, starts_at=starts_at, place="Balai", created_at=NOW)
    db.session.add(row)
    db.session.commit()
    return row


def _free_code(taken):
    base = 54321
    while True:
        code = f"{base}{codes.check_digit(str(base))}"
        if code not in taken:
            return code
        base += 1


@pytest.fixture
def world(app, factory):
    """Two villages, facilitators in each language, households and meetings in known states."""
    home = factory.village("Kanigoro", timezone="Asia/Jakarta")
    away = factory.village("Sakra", timezone="Asia/Makassar")
    factory.facilitator(home, phone=FAC_ID, language="id")
    factory.facilitator(home, phone=FAC_EN, language="en")
    factory.facilitator(away, phone="+6281100000003")
    main = factory.household(home, phone="+6281300000001", births=((2016, 4), (2012, 3)))
    teens = factory.household(home, phone="+6281300000003", births=((2010, 1), (2012, 6)))
    other = factory.household(away, phone="+6281300000002")
    gone = factory.household(home, phone="+6281300000004", status=HouseholdStatus.INACTIVE)
    pending = factory.household(home, phone="+6281300000005", status=HouseholdStatus.PENDING)
    factory.migrant(other, phone="+85291234567")
    typo = main.code[:-1] + str((int(main.code[-1]) + 1) % 10)
    taken = {main.code, teens.code, other.code, gone.code, pending.code}
    return SimpleNamespace(
        code=main.code,
        teens=teens.code,
        other=other.code,
        gone=gone.code,
        pending=pending.code,
        typo=typo,
        free=_free_code(taken),
        past=_meeting(home, NOW - timedelta(days=30)).id,
        today=_meeting(home, NOW - timedelta(hours=1)).id,
        meeting=_meeting(home, NOW + timedelta(days=30)).id,
        away=_meeting(away, NOW + timedelta(days=3)).id,
    )


# (sender, text, fragments of the reply); sender "id"/"en" is the facilitator of that language
TABLE = [
    # DAFTAR | REG
    (
        "id",
        "daftar mbah sumini 081234567890 nenek 2016 2019-03",
        ["Mbah Sumini terdaftar", "Kode keluarga: "],
    ),
    (
        "en",
        "REG Sumini 0812-3456-7890 grandmother 03/2019",
        ["Sumini is registered", "Household code: "],
    ),
    ("id", "DAFTAR Yati 081300000001 ibu 2016", ["sudah terdaftar", "{code}"]),
    ("en", "REG Yati 0813-0000-0001 mother 2016", ["already registered", "{code}"]),
    ("id", "DAFTAR Sumini nenek 2016", ["Nomor HP tidak ada", "Contoh: DAFTAR"]),
    ("en", "REG Sumini grandmother 2016", ["phone number is missing", "Example: REG"]),
    ("id", "DAFTAR Sumini 0812345 nenek 2016", ["Nomor 0812345 tidak valid"]),
    ("en", "REG Sumini 0812345 grandmother 2016", ["0812345 is not a valid number"]),
    ("id", "DAFTAR Sumini 081234567890 081234567891 nenek 2016", ["lebih dari satu"]),
    ("id", "DAFTAR Sumini 081234567890 2016", ["Hubungan dengan anak tidak ada"]),
    ("en", "REG Sumini 081234567890 2016", ["relationship to the child is missing"]),
    ("id", "DAFTAR 081234567890 nenek 2016", ["Nama pengasuh tidak ada"]),
    ("en", "REG 081234567890 grandmother 2016", ["caregiver's name is missing"]),
    ("id", "DAFTAR Sumini 081234567890 nenek", ["Tahun lahir anak tidak ada"]),
    ("en", "REG Sumini 081234567890 grandmother", ["birth year is missing"]),
    ("id", "DAFTAR Sumini 081234567890 nenek 2027", ["2027 belum lewat"]),
    ("en", "REG Sumini 081234567890 grandmother 2026-09", ["2026-09 is in the future"]),
    ("id", "DAFTAR Sumini 081234567890 nenek 2005", ["18 tahun"]),
    ("en", "REG Sumini 081234567890 grandmother 2001", ["18 or older"]),
    ("id", "DAFTAR Sumini 081234567890 nenek 5/12", ["perlu tahunnya"]),
    ("id", "DAFTAR Sumini 081234567890 nenek 2019-13", ["2019-13 tidak ada di kalender"]),
    ("en", "REG Sumini 081234567890 grandmother 30/02/2019", ["30/02/2019 does not exist"]),
    ("id", "DAFTAR Sumini +85291234599 nenek 2016", ["bukan nomor Indonesia", "PMI"]),
    ("en", "REG Sumini +85291234599 grandmother 2016", ["not an Indonesian number"]),
    ("id", "DAFTAR Sumini 081234567890 nenek 2016 3", ['"3" tidak jelas']),
    # ANAK | CHILD
    ("id", "ANAK {code} 2021-06", ["2021-06 ditambahkan ke {code}", "Jumlah anak sekarang: 3"]),
    ("en", "CHILD {code} 06/2021", ["2021-06 added to {code}", "Children now: 3"]),
    ("id", "ANAK 2021", ["Kode keluarga tidak ada", "Contoh: ANAK"]),
    ("en", "CHILD 2021", ["household code is missing", "Example: CHILD"]),
    ("id", "ANAK {typo} 2021", ["Kode {typo} salah ketik?"]),
    ("en", "CHILD {typo} 2021", ["Code {typo} mistyped?"]),
    ("id", "ANAK 12345 2021", ["Kode 12345 tidak lengkap"]),
    ("id", "ANAK {free} 2021", ["Kode {free} tidak ditemukan"]),
    ("en", "CHILD {free} 2021", ["Code {free} was not found"]),
    ("id", "ANAK {other} 2021", ["bukan keluarga desa Kanigoro"]),
    ("en", "CHILD {other} 2021", ["not a household of Kanigoro"]),
    ("id", "ANAK {code}", ["Tahun lahir anak tidak ada"]),
    ("id", "ANAK {gone} 2021", ["{gone} sudah tidak aktif"]),
    # PMI | MIGRANT
    ("id", "PMI {code} +85291234500", ["+85291234500 (HK) terhubung ke {code}"]),
    ("en", "MIGRANT {code} 0123456789 Malaysia", ["+60123456789 (MY) is linked to {code}"]),
    ("id", "PMI {code} 91234500 Hongkong", ["+85291234500 (HK)"]),
    ("id", "PMI {code}", ["Nomor HP tidak ada", "Contoh: PMI"]),
    ("en", "MIGRANT {code} +85291234567", ["already belongs to a migrant parent", "{other}"]),
    ("id", "PMI {code} 081300000002", ["sudah dipakai pengasuh"]),
    ("id", "PMI {typo} +85291234500", ["salah ketik?"]),
    # GANTI | CHANGE
    ("id", "GANTI {code} 081255566677", ["diganti dari +6281300000001 ke +6281255566677"]),
    ("en", "CHANGE {code} 0812-5556-6677", ["moved from +6281300000001 to +6281255566677"]),
    ("id", "GANTI {code} 081300000001", ["memang sudah memakai +6281300000001"]),
    ("en", "CHANGE {code} 081300000002", ["+6281300000002 already belongs to a caregiver"]),
    ("id", "GANTI {code}", ["Nomor HP tidak ada", "Contoh: GANTI"]),
    ("en", "CHANGE {code} +85291234500", ["not an Indonesian number"]),
    ("id", "GANTI {other} 081255566677", ["bukan keluarga desa Kanigoro"]),
    ("id", "GANTI {code} 0812555", ["tidak valid"]),
    # HAPUS | REMOVE
    ("id", "HAPUS {code}", ["{code} dinonaktifkan", "datanya tetap disimpan"]),
    ("en", "REMOVE {code}", ["{code} is deactivated"]),
    ("id", "HAPUS {gone}", ["{gone} sudah tidak aktif"]),
    ("en", "REMOVE", ["household code is missing", "Example: REMOVE"]),
    ("id", "HAPUS {typo}", ["salah ketik?"]),
    # INFO
    ("id", "INFO {code}", ["{code} (Kanigoro, aktif)", "(nenek, +6281300000001)", "2016-04"]),
    ("en", "INFO {code}", ["{code} (Kanigoro, active)", "(grandmother, +6281300000001)"]),
    ("id", "INFO {typo}", ["salah ketik?", "Contoh: INFO"]),
    ("en", "INFO {other}", ["not a household of Kanigoro"]),
    ("id", "BAHASA {code} jv", ["Keluarga {code}: SMS dan menu Asuh sekarang dalam Basa Jawa"]),
    ("en", "LANGUAGE {code} sundanese", ["Household {code}: Asuh SMS and menus are now in Basa"]),
    ("id", "BAHASA {code} klingon", ["Bahasa klingon tidak dikenal", "jv (Basa Jawa)", "sas ("]),
    ("en", "LANGUAGE {code}", ["The language is missing", "Example: LANGUAGE"]),
    ("en", "LANGUAGE {other} jv", ["not a household of Kanigoro"]),
    # KONFIRMASI | CONFIRM
    ("id", "KONFIRMASI {pending}", ["{pending}", "dikonfirmasi", "SMS pelajaran dimulai"]),
    ("en", "CONFIRM {pending}", ["household {pending}", "is confirmed"]),
    ("id", "DAFTAR Sri 081300000005 ibu 2016", ["menunggu konfirmasi", "KONFIRMASI {pending}"]),
    ("en", "CONFIRM {code}", ["not waiting for confirmation (status: active)"]),
    ("id", "KONFIRMASI {typo}", ["salah ketik?", "Contoh: KONFIRMASI"]),
    ("en", "CONFIRM", ["household code is missing", "Example: CONFIRM"]),
    # REMAJA | TEEN
    ("id", "REMAJA {code} 081377788899", ["SMS persetujuan dikirim ke pengasuh {code}", "2012"]),
    ("en", "TEEN {code} 081377788899", ["consent SMS was sent", "born 2012"]),
    ("id", "REMAJA {teens} 081377788899", ["beberapa anak 12-17 tahun (lahir 2010, 2012)"]),
    ("en", "TEEN {teens} 081377788899 2010", ["consent SMS was sent", "born 2010"]),
    ("id", "REMAJA {teens} 081377788899 2011", ["tidak ada anak 12-17 tahun yang lahir 2011"]),
    ("id", "REMAJA {gone} 081377788899", ["sudah tidak aktif"]),
    ("en", "TEEN {code}", ["phone number is missing", "Example: TEEN"]),
    ("id", "REMAJA {code} 081300000002", ["sudah dipakai pengasuh"]),
    # PERTEMUAN | MEET
    (
        "id",
        "PERTEMUAN 5/12 15.00 Balai Desa",
        ["pertemuan no. ", "Sabtu 05/12/2026 15:00 di Balai Desa"],
    ),
    ("en", "MEET 2026-12-05 15:00 village hall", ["Sat 05/12/2026 15:00 at village hall"]),
    ("id", "PERTEMUAN 05-12-2026 pukul 15.00 di rumah Pak RT 03", ["15:00 di rumah Pak RT 03"]),
    ("id", "PERTEMUAN 4/5 9.00 balai", ["Senin 04/05/2026 09:00 sudah lewat", "Contoh: PERTEMUAN"]),
    ("en", "MEET 01-05-2026 15:00 hall", ["is already past"]),
    ("id", "PERTEMUAN 3/5 15.00 balai", ["Senin 03/05/2027"]),  # no year: the next 3 May
    ("id", "PERTEMUAN 15.00 balai", ["Tanggal tidak ada"]),
    ("en", "MEET 5/12 hall", ["time is missing"]),
    ("id", "PERTEMUAN 5/12 15.00", ["Tempat tidak ada"]),
    ("en", "MEET 31/2 15:00 hall", ["31/2 does not exist"]),
    ("id", "PERTEMUAN 5/12/2028 15.00 balai", ["lebih dari setahun"]),
    # BATAL | CANCEL
    ("id", "BATAL {meeting}", ["pertemuan no. {meeting}", "dibatalkan"]),
    ("en", "CANCEL {meeting}", ["meeting no. {meeting}", "is cancelled"]),
    ("id", "BATAL {past}", ["sudah berlangsung"]),
    ("en", "CANCEL {away}", ["no meeting no. {away} in your village"]),
    ("id", "BATAL 999999", ["999999 tidak ada di desa Anda"]),
    ("id", "BATAL", ["Nomor pertemuan tidak ada", "Contoh: BATAL"]),
    # HADIR | ATTEND
    ("id", "HADIR {code} {teens}", ["hadir di pertemuan no. {today}: 2 keluarga"]),
    ("en", "ATTEND {code}", ["meeting no. {today}: 1 household(s) ({code})"]),
    (
        "id",
        "HADIR {code} {typo}",
        ["1 keluarga ({code})", "Tidak dicatat ({typo} salah ketik?)"],
    ),
    (
        "en",
        "ATTEND {typo} {other} {free}",
        ["Nothing recorded", "{typo} mistyped?", "{other} not in your village", "{free} not found"],
    ),
    ("id", "HADIR", ["Kode keluarga tidak ada", "Contoh: HADIR"]),
    # BANTUAN | HELP
    ("id", "BANTUAN", ["Perintah fasilitator: DAFTAR, ANAK, PMI"]),
    ("en", "HELP", ["Facilitator commands: REG, CHILD, MIGRANT"]),
    ("id", "BANTUAN DAFTAR", ["DAFTAR nama nomorHP", "Contoh: DAFTAR Mbah Sumini"]),
    ("en", "HELP REG", ["REG name phone relationship", "Example: REG Sumini"]),
    ("en", "HELP PERTEMUAN", ["MEET date time place"]),
    ("id", "BANTUAN HADR", ["HADIR kode (satu atau lebih)"]),
    ("stranger", "BANTUAN", ["Asuh: SMS tips mengasuh anak", "*384*123#"]),
    ("stranger", "HELP", ["Asuh: SMS parenting tips", "dial *384*123#"]),
    # unknown keywords, empty messages, strangers using facilitator commands
    (
        "id",
        "DAFTR Sumini 081234567890 nenek 2016",
        ['"DAFTR" bukan perintah Asuh', "Maksud Anda DAFTAR?"],
    ),
    ("en", "REGG Sumini", ["Did you mean REG?", "Example: REG"]),
    ("id", "XYZZY", ['"XYZZY" bukan perintah Asuh', "Kirim BANTUAN"]),
    ("en", "", ["Empty message"]),
    ("stranger", "DAFTAR Sumini 081234567890 nenek 2016", ["hanya untuk fasilitator desa"]),
    ("stranger", "REG Sumini 081234567890 grandmother 2016", ["for village facilitators only"]),
    ("stranger", "halo apa kabar", ["tidak kami mengerti"]),
    ("stranger", "SETUJU", ["tidak ada permintaan persetujuan"]),
    ("stranger", "YES", ["no consent request waiting"]),
]
SENDERS = {"id": FAC_ID, "en": FAC_EN, "stranger": STRANGER}


@pytest.mark.parametrize(
    ("sender", "text", "fragments"), TABLE, ids=[row[1] or "<empty>" for row in TABLE]
)
def test_command_table(world, handle, sender, text, fragments):
    reply = handle(SENDERS[sender], text.format(**vars(world)), now=NOW)
    assert reply is not None
    for fragment in fragments:
        assert fragment.format(**vars(world)) in reply


def test_every_keyword_is_in_the_table_in_both_languages():
    typed = {row[1].split()[0].upper() for row in TABLE if row[1]}
    stateful = {"BERHENTI", "STOP", "MULAI", "START", "TOLAK", "NO"}  # tests/test_sms_optout.py
    for keyword in KEYWORDS:
        for word, _language in keyword.words():
            assert word in typed | stateful, f"{word} has no table row"


def test_errors_never_change_anything(world, handle):
    before = db.session.query(MigrantParent).count()
    handle(FAC_ID, "PMI {code}".format(**vars(world)), now=NOW)
    assert db.session.query(MigrantParent).count() == before

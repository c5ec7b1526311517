"""GSM-7 / UCS-2 accounting: what each SMS body costs, and how to make text GSM-7 safe."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from messages.gsm import SegmentInfo, non_gsm_characters, segment_info, to_gsm

ACCENTED = "@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ¤¡ÄÖÑÜ§¿äöñüà"  # all in the GSM 03.38 basic table


@pytest.mark.parametrize(
    ("text", "units", "segments"),
    [
        ("", 0, 1),
        ("a", 1, 1),
        ("a" * 160, 160, 1),
        ("a" * 161, 161, 2),
        ("a" * 306, 306, 2),
        ("a" * 307, 307, 3),
        ("a" * 459, 459, 3),
        ("a" * 460, 460, 4),
        ("line one\nline two", 17, 1),
        (ACCENTED, len(ACCENTED), 1),
    ],
)
def test_gsm7_units_and_segments(text, units, segments):
    assert segment_info(text) == SegmentInfo("GSM-7", units, segments)


@pytest.mark.parametrize(
    ("text", "units", "segments"),
    [
        ("a" * 158 + "{", 160, 1),
        ("a" * 159 + "€", 161, 2),
        ("^{}\\[~]|€\f", 20, 1),
        ("a" * 304 + "~", 306, 2),
        ("a" * 305 + "~", 307, 3),
    ],
)
def test_extension_characters_count_double(text, units, segments):
    assert segment_info(text) == SegmentInfo("GSM-7", units, segments)


def test_escape_pair_is_never_split_across_parts():
    # 152 + 2 + 152 = 306 septets, but the '^' cannot straddle the first 153-septet part.
    assert segment_info("a" * 152 + "^" + "a" * 152).segments == 3


@pytest.mark.parametrize(
    ("text", "units", "segments"),
    [
        ("中" * 70, 70, 1),
        ("中" * 71, 71, 2),
        ("中" * 134, 134, 2),
        ("中" * 135, 135, 3),
        ("a" * 69 + "’", 70, 1),
        ("a" * 69 + "😀", 71, 2),  # an emoji is two UTF-16 code units
    ],
)
def test_ucs2_units_and_segments(text, units, segments):
    assert segment_info(text) == SegmentInfo("UCS-2", units, segments)


def test_one_stray_character_switches_the_whole_message_to_ucs2():
    assert segment_info("a" * 100).segments == 1
    assert segment_info("a" * 99 + "’").segments == 2


@pytest.mark.parametrize(
    ("char", "replacement"),
    [
        ("\u2018", "'"),
        ("\u2019", "'"),
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u2013", "-"),
        ("\u2014", "-"),
        ("\u2026", "..."),
        ("\u00a0", " "),
        ("\u2022", "-"),
        ("ç", "c"),
        ("😀", None),
        ("中", None),
        ("\u200b", None),
    ],
)
def test_replacement_suggestions(char, replacement):
    assert non_gsm_characters(f"ab{char}cd") == [(char, replacement)]


def test_gsm_characters_are_not_reported_and_offenders_listed_once_in_order():
    assert non_gsm_characters("é € £ [ok] \n") == []
    assert non_gsm_characters("“Hi” – ok…”") == [("“", '"'), ("”", '"'), ("–", "-"), ("…", "...")]


def test_to_gsm_replaces_look_alikes_and_drops_the_rest():
    assert to_gsm("Bu Siti’s “kopi” – enak…\u00a0😀") == 'Bu Siti\'s "kopi" - enak... '
    assert to_gsm("Ani") == "Ani"


@given(st.text())
def test_to_gsm_output_always_travels_as_gsm7(text):
    assert segment_info(to_gsm(text)).encoding == "GSM-7"

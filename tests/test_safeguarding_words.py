"""Which concern a message raises, in Indonesian and English: suicide words, a child's marriage
(a marriage word near a child word), harm words; most urgent first."""

import pytest

from messages.safeguarding import assess
from service.config import from_environment
from service.states import Concern

CONFIG = from_environment()


def concerns(text):
    return [(f.concern, f.words) for f in assess(text, CONFIG)]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("cucu saya mau dinikahkan bulan depan", ("dinikahkan", "cucu")),
        ("Anak saya umur 14 sudah dilamar, mau kami nikahkan", ("nikahkan", "anak", "umur")),
        ("tetangga mau MENIKAHKAN anaknya yg masih SMP", ("menikahkan", "anaknya")),
        ("kawin lari, usia baru 15", ("kawin", "usia")),
        ("My granddaughter is 15 and they want her married", ("married", "granddaughter")),
        ("a wedding for a girl of 14 next week", ("wedding", "girl")),
    ],
)
def test_a_child_s_marriage_is_recognised(text, words):
    assert concerns(text) == [(Concern.MARRIAGE, words)]


@pytest.mark.parametrize(
    "text",
    [
        "saya menikah tahun 1985",  # one's own marriage, no child near
        "pernikahan di desa sebelah ramai sekali",
        "anak saya rajin sekolah dan suka membantu di rumah, besok kami ke pesta pernikahan",
        "We got married when we were young",
        "anakku kangen",
    ],
)
def test_a_marriage_word_far_from_any_child_word_is_no_concern(text):
    assert concerns(text) == []


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("saya capek, rasanya ingin mati saja", ("ingin mati",)),
        ("anak saya bilang mau BUNUH DIRI", ("bunuh diri",)),
        ("kadang saya ingin mengakhiri hidup", ("ingin mengakhiri hidup", "mengakhiri hidup")),
        ("I want to die, nobody cares", ("want to die",)),
        ("my son talks about suicide", ("suicide",)),
    ],
)
def test_suicide_words_are_recognised(text, words):
    assert concerns(text) == [(Concern.SUICIDE, words)]


def test_every_concern_is_found_and_the_most_urgent_comes_first():
    text = "cucu saya dipukul, mau dinikahkan umur 14, dia bilang ingin mati"
    assert [c for c, _ in concerns(text)] == [Concern.SUICIDE, Concern.MARRIAGE, Concern.HARM]


def test_matching_ignores_look_alike_characters_and_case():
    assert concerns("Cucu\u00a0saya DINIKAHKAN") == [(Concern.MARRIAGE, ("dinikahkan", "cucu"))]
    assert concerns("ingin\u2003mati") == [(Concern.SUICIDE, ("ingin mati",))]


def test_the_word_lists_are_configurable():
    config = {**CONFIG, "SUICIDE_WORDS": "putus asa", "CHILD_WORDS": "bocah"}
    found = assess("saya putus asa, bocah itu mau dikawinkan", config)
    assert [(f.concern, f.words) for f in found] == [
        (Concern.SUICIDE, ("putus asa",)),
        (Concern.MARRIAGE, ("dikawinkan", "bocah")),
    ]
    assert assess("anak saya mau dinikahkan, ingin mati", config) == []

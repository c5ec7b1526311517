"""Translation catalogs: gettext .po files read with Babel, one folder per text domain.

A domain folder (e.g. menus/catalogs) holds `id.po` and `en.po`; each msgid is a stable key
("main.title") and each msgstr the text, with `{placeholders}` filled by str.format.
"""

from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from service.config import SUPPORTED_LANGUAGES

FALLBACK_LANGUAGE = "id"


@lru_cache(maxsize=16)
def load_domain(directory):
    """{language: {key: text}} for every .po file in the folder (read once per process)."""
    catalogs = {}
    for language in SUPPORTED_LANGUAGES:
        path = Path(directory) / f"{language}.po"
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            catalogs[language] = {m.id: m.string for m in catalog if m.id and m.string}
    return catalogs


def translate(directory, key, language, **values):
    """The text for `key` in `language`, falling back to Indonesian, then to the key itself."""
    catalogs = load_domain(str(directory))
    text = catalogs.get(language, {}).get(key) or catalogs.get(FALLBACK_LANGUAGE, {}).get(key)
    if text is None:
        return key
    return text.format(**values) if values else text


def missing_translations(directory):
    """Keys present in one language but not another: a meta-test keeps this empty."""
    catalogs = load_domain(str(directory))
    every_key = set().union(*(set(texts) for texts in catalogs.values())) if catalogs else set()
    return sorted(
        f"{language}: {key}"
        for language in SUPPORTED_LANGUAGES
        for key in every_key - set(catalogs.get(language, {}))
    )

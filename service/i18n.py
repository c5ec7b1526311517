"""Translation catalogs: gettext .po files read with Babel, one folder per text domain.

A domain folder (e.g. menus/catalogs) holds `<code>.po` for every registered language that
has the part (a language from an extra folder keeps its own); each msgid is a stable key
("main.title") and each msgstr the text, with `{placeholders}` filled by str.format. A text
a language lacks is looked for along its fallback chain (jv -> id), key by key.
"""

import logging
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from service.languages import extra_dirs, load, registry

log = logging.getLogger("asuh.i18n")

HEADER_RE = re.compile(r'^"([A-Za-z-]+):\s*(.*?)(?:\\n)?"\s*$', re.MULTILINE)


def load_domain(directory):
    """{language: {key: text}} for every registered language with a catalog in the folder."""
    return _load_domain(str(directory), extra_dirs())


@lru_cache(maxsize=64)
def _load_domain(directory, extra):
    """Read once per process and registry: catalogs change only on deploy."""
    catalogs = {}
    found = load(extra)
    for code in found.codes():
        for path in found.catalog_files(directory, code):
            if path.exists():
                catalogs[code] = read_catalog(path)
    return catalogs


def read_catalog(path):
    """{key: text} of one .po file; fuzzy and empty entries are not translations yet."""
    with Path(path).open("rb") as handle:
        catalog = read_po(handle)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def read_headers(path):
    """The header fields of a .po file, custom ones (X-Review-Status) included."""
    text = Path(path).read_text(encoding="utf-8")
    head = text.split("\n\n", 1)[0] if 'msgid ""' in text else ""
    return {name: value.strip() for name, value in HEADER_RE.findall(head)}


def translate(directory, key, language, **values):
    """The text for `key` in `language`, else along its fallback chain, else the key itself."""
    extra = extra_dirs()
    catalogs = _load_domain(str(directory), extra)
    for code in load(extra).chain(language):
        text = catalogs.get(code, {}).get(key)
        if text and (filled := _fill(text, values, code, key)) is not None:
            return filled
    return key


def _fill(text, values, code, key):
    """The text with its placeholders filled, or None when a translation broke one."""
    if not values:
        return text
    try:
        return text.format(**values)
    except (KeyError, IndexError, ValueError):
        log.warning("i18n: %s text of %r has a broken placeholder; falling back", code, key)
        return None


def missing_translations(directory):
    """Keys one source language (id, en) has and another lacks: a meta-test keeps this empty.

    Translated languages may be partial: they fall back per key, and `asuh content check`
    reports how much of each part they cover.
    """
    catalogs = load_domain(directory)
    sources = [language.code for language in registry().sources()]
    every_key = set().union(*(set(catalogs.get(code, {})) for code in sources))
    return sorted(
        f"{code}: {key}" for code in sources for key in every_key - set(catalogs.get(code, {}))
    )

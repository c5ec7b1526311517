"""Meta-test: the language registry is the only place that lists languages.

Reads the application's code (not the tests) and flags literal lists of language codes
(`("id", "en")`, `{"id": ..., "en": ...}`) and branches on one (`language == "en"`): each
is a place a new language would be forgotten. The registry itself (service/languages.py and
its TOML) is where they belong.
"""

import ast
import re
from pathlib import Path

from service.languages import load

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("service", "menus", "messages", "workers")
REGISTRY = {ROOT / "service" / "languages.py"}


def _codes():
    return set(load().codes())


def _strings(nodes):
    return [n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def stray_lists(tree, codes):
    """(line, what) for each collection of two or more codes and each comparison with one."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            listed = [s for s in _strings(node.elts) if s in codes]
        elif isinstance(node, ast.Dict):
            listed = [s for s in _strings(k for k in node.keys if k is not None) if s in codes]
        elif isinstance(node, ast.Compare) and any(
            isinstance(op, ast.Eq | ast.NotEq) for op in node.ops
        ):
            listed = [s for s in _strings([node.left, *node.comparators]) if s in codes] * 2
        else:
            continue
        if len(listed) >= 2:
            found.append((node.lineno, ast.unparse(node)[:80]))
    return found


def test_no_language_is_listed_outside_the_registry():
    codes = _codes()
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path in REGISTRY:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found += [
                f"{path.relative_to(ROOT)}:{line}: {text}"
                for line, text in stray_lists(tree, codes)
            ]
    assert found == []


def template_strays(text, codes):
    """Lines of a template that branch on a language code or list two of them."""
    code = "|".join(sorted(codes, key=len, reverse=True))
    quoted = rf"""['"]({code})['"]"""
    pattern = re.compile(rf"(==|!=)\s*{quoted}|{quoted}\s*(==|!=)|{quoted}\s*[,:]\s*{quoted}")
    return [n for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]


def test_no_template_lists_or_branches_on_a_language():
    codes = _codes()
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted((ROOT / "service" / "web" / "templates").rglob("*.html"))
        for line in template_strays(path.read_text(encoding="utf-8"), codes)
    ]
    assert found == []
    assert template_strays("{{ 'English' if r.language == 'en' else 'x' }}", codes) == [1]


def test_the_meta_test_sees_each_kind_of_stray_list():
    codes = {"id", "en"}
    source = (
        'A = ("id", "en")\n'
        'B = {"id": 1, "en": 2}\n'
        'if language == "en":\n    pass\n'
        'C = language if language in ["id", "en"] else "id"\n'
        'D = {"id": 1, "name": 2}\n'  # one code among other keys: a record, not a list
        'E = "id"\n'
    )
    lines = [line for line, _ in stray_lists(ast.parse(source), codes)]
    assert sorted(set(lines)) == [1, 2, 3, 5]

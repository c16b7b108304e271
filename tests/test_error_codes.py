"""Each NQE code is defined once, means one thing, and is documented (issue 18)."""

from __future__ import annotations

import ast
import re
from collections import defaultdict

from narrative_qa.errors import CODES
from tests.conftest import ROOT

PACKAGE = ROOT / "narrative_qa"


def test_every_code_is_defined_once():
    """A dict literal keeps the last of two equal keys without a word: count them."""
    tree = ast.parse((PACKAGE / "errors.py").read_text(encoding="utf-8"))
    table = next(n.value for n in tree.body if isinstance(n, ast.AnnAssign)
                 and getattr(n.target, "id", "") == "CODES")
    keys = [k.value for k in table.keys]
    assert len(keys) == len(set(keys)) == len(CODES)
    assert all(re.fullmatch(r"NQE\d{3}", k) and all(CODES[k]) for k in keys)


def _code(node: ast.AST) -> str | None:
    value = getattr(node, "value", None) if isinstance(node, ast.Constant) else None
    return value if isinstance(value, str) and re.fullmatch(r"NQE\d{3}", value) else None


def web_statuses(source: str) -> dict[str, set[int]]:
    """code -> the HTTP statuses a module answers with it: WebError(status, code, …), and
    a table of statuses to codes ({404: "NQE111"} or {404: ("NQE111", detail)}). A code
    chosen by an expression on a status (`"NQE104" if status in (403, 404) else …`) hides
    which status it answers, so it is listed under the status 0 and fails the test below."""
    found: dict[str, set[int]] = defaultdict(set)
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "WebError" \
                and len(node.args) >= 2 and all(isinstance(a, ast.Constant)
                                                for a in node.args[:2]):
            found[node.args[1].value].add(node.args[0].value)
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(value, ast.Tuple) and value.elts:  # {404: ("NQE111", "…")}
                    value = value.elts[0]
                if isinstance(key, ast.Constant) and isinstance(key.value, int) and _code(value):
                    found[_code(value)].add(key.value)
        if isinstance(node, ast.IfExp) and "status" in ast.unparse(node.test):
            for branch in (node.body, node.orelse):
                if _code(branch):
                    found[_code(branch)].add(0)
    return found


def test_a_code_answers_with_one_status_and_never_as_not_found_or_a_crash():
    """A 404, a 405, a 409 and a 500 have codes of their own (NQE111-NQE114); no code is
    used for two kinds of answer, as NQE024 was for a bad value (422), a 404 and a 409, and
    NQE104 (not allowed for this account) for an unknown page (404) and a method (405)."""
    assert web_statuses('WebError(404, "NQE024", "x")\nWebError(422, "NQE024", "y")\n') == {
        "NQE024": {404, 422}}
    assert web_statuses('CODES = {404: "NQE111", 405: ("NQE114", "not here")}\n'
                        'code = "NQE104" if error.status_code in (403, 404) else "NQE106"\n'
                        ) == {"NQE111": {404}, "NQE114": {405}, "NQE104": {0}, "NQE106": {0}}
    statuses: dict[str, set[int]] = defaultdict(set)
    for path in sorted(PACKAGE.rglob("*.py")):
        for code, found in web_statuses(path.read_text(encoding="utf-8")).items():
            statuses[code] |= found
    assert {code: found for code, found in statuses.items() if len(found) > 1} == {}
    assert statuses["NQE111"] == {404} and statuses["NQE112"] == {409}
    assert statuses["NQE113"] == {500} and statuses["NQE104"] == {403}
    assert statuses["NQE114"] == {405}
    assert set(statuses) <= set(CODES)


def _documented(readme: str) -> set[str]:
    codes = set(re.findall(r"NQE\d{3}", readme))
    for first, last in re.findall(r"NQE(\d{3})[–-]NQE(\d{3})", readme):
        codes |= {f"NQE{n:03d}" for n in range(int(first), int(last) + 1)}
    return codes


def test_every_code_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert sorted(set(CODES) - _documented(readme)) == []

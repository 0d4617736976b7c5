"""Which app imports which (every import statement of the apps' code, module-level or inside a function): the
dependencies point one way (README, Where things are). `notifications` depends on `accounts` alone; the reminders,
which read the deadlines and the completeness, live in `reports`, so the cycle assessments → notifications →
reports → assessments is gone."""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("accounts", "api", "assessments", "communes", "data_exchange", "inventory", "jobs", "notifications",
        "operations", "reports")
# The project package: its urls and admin site wire every app together, and every app may use its helpers
# (settings, downloads, formats); it is not a node of the apps' graph.
PROJECT = "criteria_portal"
# The one edge that still closes a cycle: operations' /health/ and /metrics read the job queue, and the jobs log
# through operations. It must still exist (the list only shrinks); no other edge may close a cycle. (The jobs app
# runs the reports' and data_exchange's work without importing them: each registers its own, jobs/work.py.)
KNOWN_CYCLE_EDGES = {("operations", "jobs")}


def imports_of(app: str) -> dict[str, set[str]]:
    """First-party top-level package → the files of `app` that import it."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in (*APPS, PROJECT) and top != app:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def app_graph() -> dict[str, set[str]]:
    return {app: set(imports_of(app)) - {PROJECT} for app in APPS}


def test_the_import_reader_sees_imports():
    """The reader is not blind: it finds the workflow's call of notifications and a function-level import."""
    assert "notifications" in imports_of("assessments")
    assert "jobs" in imports_of("operations")  # imported inside a function (operations/health.py)


def test_notifications_depends_on_accounts_alone():
    assert set(imports_of("notifications")) <= {"accounts", PROJECT}, imports_of("notifications")


def test_no_app_reaches_back_to_itself():
    graph = app_graph()
    assert {edge for edge in KNOWN_CYCLE_EDGES if edge[1] not in graph[edge[0]]} == set(), "fixed: drop it"
    for source, target in KNOWN_CYCLE_EDGES:
        graph[source].discard(target)
    try:
        tuple(TopologicalSorter(graph).static_order())
    except CycleError as error:
        raise AssertionError(f"an import cycle between apps: {' → '.join(error.args[1])}") from None


def test_the_reminders_cycle_is_gone():
    """All notifications reach, even indirectly, is accounts and what accounts reads (the units of its scopes)."""
    graph = app_graph()
    reached, todo = set(), ["notifications"]
    while todo:
        for target in graph[todo.pop()] - reached:
            reached.add(target)
            todo.append(target)
    assert reached <= {"accounts", "communes"}, reached

"""The shape rules the linters cannot see: no module uses another module's private names.

The import rule itself (another app only through its `contracts` or `models`) is held by import-linter
(`.importlinter`, `scripts/importrules.py`); these tests check what it does not: names, and that the rule bites.
"""

import ast
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "jianguan"


def _app(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "jianguan" else None


def test_no_app_imports_another_apps_private_names():
    found = []
    for path in PACKAGE.rglob("*.py"):
        own = path.relative_to(PACKAGE).parts[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and _app(node.module) not in (None, own):
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {node.module}.{alias.name}"
                          for alias in node.names if alias.name.startswith("_")]
    assert found == []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_no_module_imports_another_modules_private_names():
    """A helper two modules share is public in the module meant for sharing (an app's `inputs`, `context`,
    `access` …) or in the shared kernel (`core.validation`, `core.numbering`); migrations keep what they froze."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                found += [f"{path.relative_to(ROOT)}:{node.lineno} {'.' * node.level}{node.module or ''}.{alias.name}"
                          for alias in node.names if _private(alias.name)]
    assert found == []


def test_the_door_rule_refuses_a_reach_into_another_apps_services(tmp_path):
    """A copy of the package with one import through a back door fails the lint."""
    copy = tmp_path / "jianguan"
    subprocess.run(["cp", "-r", str(PACKAGE), str(copy)], check=True)
    target = copy / "credit" / "services.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom jianguan.catalog import selectors  # noqa\n",
                      encoding="utf-8")
    for name in (".importlinter", "scripts"):
        subprocess.run(["cp", "-r", str(ROOT / name), str(tmp_path / name)], check=True)
    lint = Path(ROOT / ".venv" / "bin" / "lint-imports")
    command = [str(lint)] if lint.exists() else ["lint-imports"]
    result = subprocess.run([*command, "--contract", "doors", "--no-cache"], cwd=tmp_path, capture_output=True,
                            text=True, env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "jianguan.credit.services -> jianguan.catalog.selectors" in result.stdout


MAX_LINES = 500
# Longer by nature: the rule library of the exchange standards and the draw protocol (one standalone file that a
# verifier can read whole).
LONG_BY_NATURE = {"jianguan/exchange/standards/rules.py", "jianguan/spotchecks/protocol.py"}


def test_no_module_is_above_the_line_limit():
    """A module longer than `MAX_LINES` is a grab-bag to split by stage or job, not one to grow."""
    long = [f"{path.relative_to(ROOT)}: {lines} lines" for folder in ("jianguan", "provsim")
            for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts
            and str(path.relative_to(ROOT)) not in LONG_BY_NATURE
            and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert long == []


# The one vocabulary of who acts and who reads (core.actors, core.scoping): an actor is a `core.actors.Actor`, a
# `User` (or `User | ApiClient`) where the function needs a person of a department (or a system of one), the facts
# of a person a transition table judges (`Person`, `ActorFacts`); a reader is a `HasScope`, or a `User`.
ACTING = ("actor", "reader", "approver")
VOCABULARY = {"Actor", "Person", "ActorFacts", "SystemActor", "User", "ApiClient", "HasScope", "None"}


def _loose_actors(source: str, where: str) -> list[str]:
    """Parameters named `actor`, `reader` or `approver` without an annotation or typed outside the vocabulary."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for arg in (*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs):
                if arg.arg not in ACTING:
                    continue
                names = {n.id for n in ast.walk(arg.annotation) if isinstance(n, ast.Name)} if arg.annotation \
                    else set()
                if not names or not names <= VOCABULARY:
                    typed = ast.unparse(arg.annotation) if arg.annotation else "untyped"
                    found.append(f"{where}:{node.lineno} {node.name}({arg.arg}: {typed})")
    return found


def test_every_actor_and_reader_is_typed_by_the_vocabulary():
    """Every `actor`, `reader` and `approver` parameter is typed by the vocabulary: never untyped, `Any` or `object`."""
    found = [problem for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts
             for problem in _loose_actors(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))]
    assert found == []


def test_the_actor_rule_bites():
    assert _loose_actors("def f(*, actor, reader: Any, approver: object): ...", "x") == [
        "x:1 f(actor: untyped)", "x:1 f(reader: Any)", "x:1 f(approver: object)"]
    assert _loose_actors("def f(*, actor: Actor, reader: HasScope | None = None, approver: User): ...", "x") == []

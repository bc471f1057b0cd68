import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jianguan.core.env import Env, EnvError, parse_database_url


def test_typed_reads():
    env = Env({"A": "true", "B": "12", "C": "x, y ,,z", "D": "postgresql"})
    assert env.bool("A", False) is True
    assert env.int("B", 0) == 12
    assert env.list("C", []) == ["x", "y", "z"]
    assert env.choice("D", "sqlite", ("sqlite", "postgresql")) == "postgresql"
    assert env.int("MISSING", 5) == 5


@pytest.mark.parametrize(("method", "args", "value"), [
    ("bool", (False,), "maybe"),
    ("int", (1,), "abc"),
    ("int", (1,), "0"),
    ("choice", ("a", ("a", "b")), "c"),
    ("database", ("sqlite:///x",), "mysql://h/db"),
])
def test_wrong_type_names_the_variable(method, args, value):
    env = Env({"JIANGUAN_X": value})
    kwargs = {"minimum": 1} if method == "int" else {}
    with pytest.raises(EnvError) as caught:
        getattr(env, method)("JIANGUAN_X", *args, **kwargs)
    assert "JIANGUAN_X" in str(caught.value)
    assert caught.value.name == "JIANGUAN_X"


def test_database_urls():
    sqlite = parse_database_url("sqlite:////var/lib/jianguan/db.sqlite3")
    assert sqlite["ENGINE"].endswith("sqlite3") and sqlite["NAME"] == "/var/lib/jianguan/db.sqlite3"
    assert sqlite["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    pg = parse_database_url("postgresql://jg:p%40ss@db.example:6432/jianguan?sslmode=require")
    assert (pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "jg", "p@ss", "db.example", "6432", "jianguan")
    assert pg["OPTIONS"] == {"sslmode": "require"}


@pytest.mark.once
def test_start_up_refuses_a_wrong_value_with_its_name(tmp_path):
    env = {**os.environ, "JIANGUAN_LOGIN_MAX_FAILURES": "five", "JIANGUAN_VAR_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "jianguan", "check"], env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode != 0
    assert "JIANGUAN_LOGIN_MAX_FAILURES" in done.stderr


def test_env_example_names_every_variable_the_code_reads():
    """A deployment learns its settings from .env.example: every variable read from the environment is there."""
    root = Path(__file__).resolve().parent.parent
    example = (root / ".env.example").read_text(encoding="utf-8")
    pattern = re.compile(r"""(?:env\.\w+\(|environ(?:\.get)?[\[(])\s*["']((?:JIANGUAN|PROVSIM)_[A-Z0-9_]+)["']""")
    read = {name for folder in ("jianguan", "provsim") for path in (root / folder).rglob("*.py")
            for name in pattern.findall(path.read_text(encoding="utf-8"))}
    assert len(read) > 30  # the pattern finds the reads at all
    assert sorted(name for name in read if name not in example) == []

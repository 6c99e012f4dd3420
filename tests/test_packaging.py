"""What `pip install .` ships: the library, no benchmark harness (bench/ runs from a checkout) and no tests."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory) -> list[str]:
    out = tmp_path_factory.mktemp("wheel")
    # built from a copy: setuptools writes build/ and *.egg-info beside the sources it packs
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, source / name)
    for tree in ("src", "bench"):          # bench/ sits beside the package and must stay out of the wheel
        shutil.copytree(REPO / tree, source / tree, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"))
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), str(source)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    (wheel,) = out.glob("sqltrain-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def test_wheel_ships_no_benchmark_code(wheel_names):
    tops = {name.split("/", 1)[0] for name in wheel_names}
    assert "bench" not in tops, sorted(tops)
    assert not [n for n in wheel_names if "/bench" in n or n.startswith("bench")], [n for n in wheel_names if "bench" in n]
    assert not [n for n in wheel_names if n.startswith("tests/")]


def test_wheel_ships_the_library(wheel_names):
    assert {"sqltrain/cli.py", "sqltrain/py.typed", "sqltrain/__init__.py"} <= set(wheel_names)

"""Every public macro is complete: documented, tested the way users use it, and against the oracle.

The recipe "add a macro" in CONTRIBUTING.md ends here. A public macro is one defined under
macros/ whose name has no leading underscore and no adapter prefix (``default__``, ``duckdb__``…),
outside macros/operations/ (run-operations of the demo, not part of the models' API). Each has:

- a section of docs/macros.md headed with its name;
- an integration model ``integration_tests/models/<theme>/test_<macro>__<case>.sql``, where
  <theme> is its folder under macros/, with its expected seed and an ``equal_rows`` test;
- if it builds a relation (its front dispatches through ``sqltrain._or_portable``): a portable
  ``default__`` implementation, an oracle variant in macro_variants.py (run on DuckDB, portable SQL
  and Spark alike) and a clean case in the leakage corpus. The expression helpers (``interval``,
  ``as_of_literal``) return a literal, not a relation: their integration model, hand-computed over
  every form of input they take, is their oracle.

The shape of the package is checked here too: adapter implementations that only forward to
``default__`` are not written (dispatch falls back), only ``_or_portable`` reads the portable
switch, and only ``_fail`` raises a compiler error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from macro_variants import ALL

REPO = Path(__file__).resolve().parents[2]
MACROS = REPO / "macros"
IT_MODELS = REPO / "integration_tests" / "models"
EXPECTED = REPO / "integration_tests" / "seeds" / "expected"
CORPUS_CLEAN = REPO / "tests" / "leakage" / "corpus" / "clean"
ADAPTERS = ("default", "duckdb", "spark", "postgres", "snowflake", "bigquery", "redshift", "databricks")

_MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\s*\((.*?)\)\s*-?%\}(.*?)\{%-?\s*endmacro\s*-?%\}", re.S)


def _definitions() -> dict[str, tuple[Path, str]]:
    """{macro name: (file, body)} for every macro of the package."""
    found = {}
    for path in sorted(MACROS.rglob("*.sql")):
        for match in _MACRO.finditer(path.read_text()):
            assert match.group(1) not in found, f"macro {match.group(1)} is defined twice ({found[match.group(1)][0]}, {path})"
            found[match.group(1)] = (path, match.group(3))
    return found


DEFINITIONS = _definitions()
PUBLIC = sorted(name for name, (path, _) in DEFINITIONS.items()
                if not name.startswith("_") and "__" not in name and path.parent.name != "operations")
RELATION_MACROS = [name for name in PUBLIC if "sqltrain._or_portable(" in DEFINITIONS[name][1]]


def _theme(name: str) -> str:
    return DEFINITIONS[name][0].parent.name


def test_the_public_api_is_what_the_docs_promise():
    assert set(RELATION_MACROS) == {"point_in_time_join", "window_aggregates", "label_window", "cutoff_spine",
                                    "scd2_as_of_join", "temporal_split"}, RELATION_MACROS
    assert set(PUBLIC) - set(RELATION_MACROS) == {"interval", "as_of_literal"}, PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_macro_has_a_docs_section(name):
    headings = re.findall(r"^#{2,3} `?(\w+)`?\s*$", (REPO / "docs" / "macros.md").read_text(), re.M)
    assert name in headings, f"docs/macros.md has no section '## {name}' (its arguments and a runnable example)"


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_macro_has_an_integration_model_with_an_expected_seed(name):
    theme = _theme(name)
    models = sorted((IT_MODELS / theme).glob(f"test_{name}__*.sql"))
    assert models, f"no integration_tests/models/{theme}/test_{name}__<case>.sql (the folder mirrors macros/{theme}/)"
    declared = {}
    for path in (IT_MODELS / theme).glob("_*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            declared[model["name"]] = model
    for model in models:
        case = model.stem[len("test_"):]
        seed = EXPECTED / f"expected_{case}.csv"
        assert seed.is_file(), f"{model.relative_to(REPO)} has no expected seed {seed.relative_to(REPO)}"
        tests = yaml.safe_dump(declared.get(model.stem, {}).get("data_tests", []))
        assert f"expected_{case}" in tests and "equal_rows" in tests, (
            f"{model.stem} is not compared with its expected seed: declare "
            f"data_tests: [{{equal_rows: {{arguments: {{expected: ref('expected_{case}')}}}}}}] in models/{theme}/_{theme}.yml")


@pytest.mark.parametrize("name", RELATION_MACROS)
def test_every_relation_macro_has_a_portable_implementation(name):
    assert f"default__{name}" in DEFINITIONS, f"{name} has no default__{name}: other adapters would have nothing to run"
    assert f"adapter.dispatch('{name}', 'sqltrain')" in DEFINITIONS[name][1], f"{name} does not dispatch on its own name"


@pytest.mark.parametrize("name", RELATION_MACROS)
def test_every_relation_macro_has_an_oracle_variant(name):
    assert any(macro == name for macro, _, _ in ALL.values()), (
        f"no variant of {name} in tests/macros/macro_variants.py: add one (and its oracle in macro_oracle.py)")


@pytest.mark.parametrize("name", RELATION_MACROS)
def test_every_relation_macro_has_a_clean_leakage_corpus_case(name):
    calls = [p.name for p in CORPUS_CLEAN.glob("*.sql") if f"sqltrain.{name}(" in p.read_text()]
    assert calls, f"no clean model in tests/leakage/corpus/clean/ calls sqltrain.{name}: sqltrain check must accept it"


def test_no_adapter_implementation_only_forwards_to_default():
    forwarding = re.compile(r"^\s*\{\{\s*return\(\s*sqltrain\.default__\w+\(.*\)\s*\)\s*\}\}\s*$", re.S)
    forwards = [name for name, (_, body) in DEFINITIONS.items()
                if name.split("__")[0] in ADAPTERS and "__" in name and forwarding.match(body)]
    assert not forwards, f"{forwards} only forward to default__: delete them, adapter.dispatch falls back by itself"


def test_only_or_portable_reads_the_portable_switch():
    readers = [name for name, (_, body) in DEFINITIONS.items() if "_use_portable()" in body]
    assert readers == ["_or_portable"], f"{readers} read var('sqltrain_portable'); dispatch through sqltrain._or_portable"


def test_only_fail_raises_compiler_errors():
    raisers = [name for name, (_, body) in DEFINITIONS.items() if "raise_compiler_error" in body]
    assert raisers == ["_fail"], f"{raisers} raise errors by hand; call sqltrain._fail(context, message)"

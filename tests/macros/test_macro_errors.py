"""Bad macro arguments fail at compile time with one line that names the macro and the argument
at fault and says what to do (every error goes through sqltrain._fail)."""

from __future__ import annotations

import pytest

SPINE = "spine='s', entity_keys=['k'], cutoff='t'"
CASES = {
    "embargo": ("sqltrain.temporal_split(relation='r', cutoff='t', valid_start='2025-01-01', "
                "test_start='2025-02-01', embargo='a month')",
                "sqltrain: temporal_split embargo 'a month' is not an interval; write it like '30 days'"),
    "window": (f"sqltrain.window_aggregates({SPINE}, source='e', aggregates=[{{'agg': 'count'}}], windows=['7 dayz'])",
               "sqltrain: window_aggregates window '7 dayz' is not an interval"),
    "source": (f"sqltrain.point_in_time_join({SPINE}, sources=[{{'relation': 'e'}}])",
               "sqltrain: point_in_time_join source #1 (e) needs `columns`: the source columns to bring"),
    "maturity": (f"sqltrain.label_window({SPINE}, source='e', horizon='30 days', maturity='drop')",
                 "sqltrain: label_window maturity='drop' is not allowed; use 'exclude'"),
}


@pytest.fixture(scope="module")
def compile_inline(tmp_path_factory):
    """``compile_inline(jinja, capsys) -> what dbt printed`` in a tmp project that installs this repository
    (dbt prints the compiler error's text and raises a generic "Error parsing inline query")."""
    from dbt.cli.main import dbtRunner

    from bench.macro_project import compile_models

    workdir = tmp_path_factory.mktemp("macro_errors")
    compile_models(workdir, {}, {})          # the project, its profile and `dbt deps`
    project = workdir / "macro_project"
    runner = dbtRunner()

    def run(jinja: str, capsys) -> str:
        result = runner.invoke(["compile", "--inline", "{{ " + jinja + " }}", "--project-dir", str(project),
                                "--profiles-dir", str(project), "--target-path", str(workdir / "target"),
                                "--log-path", str(workdir / "logs"), "--quiet"])
        assert not result.success, f"{jinja} compiled"
        return capsys.readouterr().out
    return run


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_argument_names_the_macro_and_what_to_do(compile_inline, capsys, case):
    call, expected = CASES[case]
    message = compile_inline(call, capsys)
    assert expected in message, message

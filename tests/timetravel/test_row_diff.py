"""The row diff: exact equality (NULLs equal, floats bit for bit), per-column counts, examples."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqltrain.timetravel.diff import compare


@pytest.fixture
def con():
    con = duckdb.connect()
    con.execute("""create table a as select * from (values
        (1, date '2025-01-01', 0.1::double + 0.2::double, null::varchar, 5),
        (1, date '2025-02-01', 1.0::double,        'x',          6),
        (2, date '2025-01-01', 2.0,        'y',          7),
        (3, date '2025-01-01', 3.0,        'z',          8)
    ) t(id, cutoff, f, s, n)""")
    yield con
    con.close()


def test_identical_tables_with_nulls_are_identical(con):
    con.execute("create table b as select * from a")
    diff = compare(con, "a", "b", ["id", "cutoff"])
    assert diff.identical and diff.rows_full == diff.rows_truncated == 4


def test_floats_are_compared_exactly_and_columns_counted(con):
    con.execute("create table b as select * replace (case when id = 1 and cutoff = date '2025-01-01' then 0.3::double else f end as f, "
                "case when id = 2 then null else s end as s) from a")
    diff = compare(con, "a", "b", ["id", "cutoff"])
    assert not diff.identical
    assert {c.name: c.rows for c in diff.columns} == {"f": 1, "s": 1}  # 0.1 + 0.2 != 0.3; 1.0 == 1.0
    assert diff.changed_rows == 2
    first = diff.examples[0]
    assert first.key == {"id": 1, "cutoff": first.key["cutoff"]} and set(first.values) == {"f"}
    assert first.values["f"][1] == 0.3


def test_rows_missing_on_one_side_are_counted_by_key(con):
    con.execute("create table b as select * from a where id <> 3 union all select 4, date '2025-01-01', 1.0, 'q', 1")
    diff = compare(con, "a", "b", ["id", "cutoff"])
    assert (diff.only_full, diff.only_truncated, diff.changed_rows) == (1, 1, 0)
    assert {e.side for e in diff.examples} == {"full", "truncated"}


def test_duplicate_keys_fall_back_to_whole_row_multisets(con):
    con.execute("create table b as select * from a union all select * from a where id = 2")
    diff = compare(con, "a", "b", ["id"])
    assert diff.keys == [] and (diff.only_full, diff.only_truncated) == (0, 1)


def test_examples_show_several_entities_before_a_second_row_of_one():
    con = duckdb.connect()
    con.execute("create table x as select e, c, 0 as v from range(3) t(e), range(4) u(c)")
    con.execute("create table y as select e, c, 1 as v from x")
    diff = compare(con, "x", "y", ["e", "c"], spread=["e"])
    assert [(ex.key["e"], ex.key["c"]) for ex in diff.examples] == [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0)]
    assert compare(con, "x", "y", ["e", "c"]).examples[-1].key == {"e": 1, "c": 0}  # without spread: key order


# -- property: the diff agrees with a plain-Python oracle on random keyed tables ---------------

_values = st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([0.1, 0.2, 0.30000000000000004, 0.3]))
_rows = st.dictionaries(st.integers(0, 8), st.tuples(_values, _values), max_size=8)


@settings(max_examples=60, deadline=None)
@given(full=_rows, truncated=_rows)
def test_keyed_diff_matches_an_oracle(full, truncated):
    con = duckdb.connect()
    for name, rows in (("f", full), ("t", truncated)):
        con.execute(f"create table {name} (k integer, a double, b double)")
        for k, (a, b) in rows.items():
            con.execute(f"insert into {name} values (?, ?, ?)", [k, a, b])
    diff = compare(con, "f", "t", ["k"])
    both = full.keys() & truncated.keys()
    expected = {
        column: sum(1 for k in both if full[k][i] != truncated[k][i])
        for i, column in enumerate(("a", "b"))
    }
    assert {c.name: c.rows for c in diff.columns} == {c: n for c, n in expected.items() if n}
    assert diff.only_full == len(full.keys() - truncated.keys())
    assert diff.only_truncated == len(truncated.keys() - full.keys())
    assert diff.identical == (full == truncated)
    con.close()

"""Property tests of the macros on PostgreSQL: at least 500 generated cases per macro, batched
into one query per variant, zero mismatches with the brute-force oracle; the counts are printed."""

from __future__ import annotations

import math
import os

import pytest

from pg_macros import MACROS, PG_CASES, PgTables, check_variant, compile_for_postgres, variants_of

pytestmark = pytest.mark.slow
CASES_PER_MACRO = int(os.environ.get("SQLTRAIN_PG_PROPERTY_CASES", "500"))
SEED = int(os.environ.get("SQLTRAIN_PG_PROPERTY_SEED", "20261201"))


@pytest.fixture(scope="module")
def pg_compiled(pg_cluster, tmp_path_factory):
    """Every variant compiled for the postgres adapter, once."""
    return compile_for_postgres(tmp_path_factory.mktemp("pg_macros"), pg_cluster.env())


@pytest.fixture(scope="module")
def pg_tables(pg_project):
    from sqltrain.postgres.connect import connect

    con = connect(pg_project, autocommit=True)
    yield PgTables(con)
    con.close()


@pytest.mark.parametrize("macro", sorted(MACROS))
def test_macro_on_postgres_matches_oracle(macro, pg_compiled, pg_tables):
    variants = variants_of(macro)
    per_variant = math.ceil(CASES_PER_MACRO / len(variants))
    for i, variant in enumerate(variants):
        PG_CASES[macro] += check_variant(pg_tables, pg_compiled[variant], variant, per_variant, SEED + i,
                                         engine="PostgreSQL")
    assert PG_CASES[macro] >= CASES_PER_MACRO      # printed by conftest's terminal summary


def test_the_batched_check_catches_a_wrong_bound(pg_compiled, pg_tables):
    """The harness can fail: point_in_time_join with its cutoff made strict (an event at exactly
    the cutoff no longer seen) must not pass."""
    sql = pg_compiled["pit_plain"]
    assert sql.count("s.__sqltrain_ev <= p.__sqltrain_t") == 1
    broken = sql.replace("s.__sqltrain_ev <= p.__sqltrain_t", "s.__sqltrain_ev < p.__sqltrain_t")
    with pytest.raises(AssertionError, match="pit_plain on PostgreSQL"):
        check_variant(pg_tables, broken, "pit_plain", 50, SEED, engine="PostgreSQL")

"""Property tests of the macros on Spark: at least 500 generated cases per macro, batched into
one query per variant, zero mismatches with the brute-force oracle; the counts are printed."""

from __future__ import annotations

import math
import os

import pytest

from spark_harness import spark_session
from spark_macros import SPARK_CASES, MACROS, SparkTables, check_variant, compile_for_spark, variants_of

pytestmark = pytest.mark.slow
CASES_PER_MACRO = int(os.environ.get("SQLTRAIN_SPARK_PROPERTY_CASES", "500"))
SEED = int(os.environ.get("SQLTRAIN_SPARK_PROPERTY_SEED", "20261126"))


@pytest.fixture(scope="module")
def spark_compiled(spark_loaded, tmp_path_factory):
    """Every variant compiled for the spark adapter, once (Spark is running: spark_loaded)."""
    return compile_for_spark(tmp_path_factory.mktemp("spark_macros"))


@pytest.fixture(scope="module")
def spark_tables(spark_compiled):
    return SparkTables(spark_session())


@pytest.mark.parametrize("macro", sorted(MACROS))
def test_macro_on_spark_matches_oracle(macro, spark_compiled, spark_tables):
    variants = variants_of(macro)
    per_variant = math.ceil(CASES_PER_MACRO / len(variants))
    for i, variant in enumerate(variants):
        SPARK_CASES[macro] += check_variant(spark_tables, spark_compiled[variant], variant, per_variant, SEED + i)
    assert SPARK_CASES[macro] >= CASES_PER_MACRO      # printed by conftest's terminal summary


def test_the_batched_check_catches_a_wrong_bound(spark_compiled, spark_tables):
    """The harness can fail: spark__point_in_time_join with its cutoff made strict (pairs sorted
    before the rows of the same instant, so an event at exactly T is not seen) must not pass."""
    sql = spark_compiled["pit_plain"]
    assert sql.count("order by __sqltrain_v, __sqltrain_side") == 1
    broken = sql.replace("order by __sqltrain_v, __sqltrain_side", "order by __sqltrain_v, 1 - __sqltrain_side")
    with pytest.raises(AssertionError, match="pit_plain on Spark"):
        check_variant(spark_tables, broken, "pit_plain", 50, SEED)

"""Benchmark `sqltrain check` on a generated 200-model dbt project and print the time.

Not part of the test suite (it runs dbt on 200 models). Usage::

    python -m bench.check_project [--models 200] [--dir /tmp/sqltrain-bench]

The project has event sources, a spine, and layers of feature models (bounded joins, windowed
aggregates, CTE chains, a few deliberately leaky ones) that read each other, so the analyser
resolves facts across models as it would in a real project. It prints the time of a first
`sqltrain check` (which runs `dbt compile`), of a second one (the manifest is fresh, so the
analysis alone: target < 10 s), of `sqltrain check --no-compile`, and of the analysis in process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import yaml

SOURCES = ("orders", "sessions", "tickets", "payments")

FEATURE = """with visible as (
    select s.customer_id, s.as_of_ts, e.amount, e.event_ts
    from {{{{ ref('spine') }}}} as s
    join {{{{ ref('{src}') }}}} as e
      on e.customer_id = s.customer_id
     and e.event_ts <= s.as_of_ts and e.known_at <= s.as_of_ts
     and e.event_ts > s.as_of_ts - interval '{days} days'
),
ranked as (
    select *, row_number() over (partition by customer_id, as_of_ts order by event_ts desc) as rn
    from visible
)
select v.customer_id, v.as_of_ts,
       count(*) as n_{i}, sum(v.amount) as amount_{i}, max(r.amount) filter (where r.rn = 1) as last_amount_{i}
from visible as v
left join ranked as r on r.customer_id = v.customer_id and r.as_of_ts = v.as_of_ts and r.rn = 1
group by v.customer_id, v.as_of_ts
"""

COMBINE = """select f1.customer_id, f1.as_of_ts, f1.n_{a}, f2.amount_{b},
       f1.n_{a} / nullif(avg(f1.n_{a}) over (partition by f1.as_of_ts), 0) as n_{a}_rel
from {{{{ ref('feat_{a}') }}}} as f1
left join {{{{ ref('feat_{b}') }}}} as f2 using (customer_id, as_of_ts)
"""

LEAKY = """select s.customer_id, s.as_of_ts, count(e.amount) as lifetime_{i}
from {{{{ ref('spine') }}}} as s
left join {{{{ ref('{src}') }}}} as e on e.customer_id = s.customer_id
group by 1, 2
"""


def generate(root: Path, n_models: int) -> Path:
    """Write a dbt project of ``n_models`` models under ``root``."""
    if root.exists():
        shutil.rmtree(root)
    models = root / "models"
    models.mkdir(parents=True)
    (root / "dbt_project.yml").write_text(yaml.safe_dump({
        "name": "bench", "version": "1.0.0", "config-version": 2, "profile": "bench",
        "vars": {"as_of": "2025-12-01"}, "models": {"bench": {"+materialized": "view"}}}))
    (root / "profiles.yml").write_text(yaml.safe_dump({"bench": {"target": "dev", "outputs": {"dev": {
        "type": "duckdb", "path": str(root / "bench.duckdb"), "threads": 2}}}}))
    duckdb.connect(str(root / "bench.duckdb")).close()  # sqltrain never creates the warehouse it checks against
    meta = []
    for src in SOURCES:
        (models / f"{src}.sql").write_text(
            "select 1 as customer_id, timestamp '2025-01-01' as event_ts, timestamp '2025-01-02' as known_at, 1.0 as amount\n")
        meta.append({"name": src, "config": {"meta": {"sqltrain": {
            "kind": "feature_source", "entity": ["customer_id"], "event_ts": "event_ts", "known_at": "known_at"}}}})
    (models / "spine.sql").write_text("select 1 as customer_id, timestamp '2025-06-01' as as_of_ts\n")
    spine_role = {"kind": "spine", "entity": ["customer_id"], "cutoff": "as_of_ts"}
    meta.append({"name": "spine", "config": {"meta": {"sqltrain": spine_role}}})
    budget = n_models - len(SOURCES) - 1
    n_features = budget // 2
    for i in range(n_features):
        (models / f"feat_{i}.sql").write_text(FEATURE.format(src=SOURCES[i % len(SOURCES)], days=7 * (1 + i % 13), i=i))
    for j in range(budget - n_features):
        if j % 25 == 24:
            (models / f"combo_{j}.sql").write_text(LEAKY.format(src=SOURCES[j % len(SOURCES)], i=j))
        else:
            (models / f"combo_{j}.sql").write_text(COMBINE.format(a=j % n_features, b=(j * 7 + 3) % n_features))
    (models / "_models.yml").write_text(yaml.safe_dump({"version": 2, "models": meta}, sort_keys=False))
    return root


def timed(cmd: list[str], env: dict) -> tuple[float, int, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    last_line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr.strip()
    return time.perf_counter() - t0, done.returncode, last_line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "sqltrain-bench-check")
    args = parser.parse_args(argv)
    root = generate(args.dir, args.models)
    env = {**os.environ, "SQLTRAIN_WAREHOUSE": str(root / "bench.duckdb")}
    sqltrain = [sys.executable, "-m", "sqltrain.cli"]
    common = ["--project-dir", str(root), "--profiles-dir", str(root)]
    compile_s, rc, last = timed(sqltrain + ["check", *common], env)
    print(f"sqltrain check (dbt compile + analysis), {args.models} models: {compile_s:.1f} s  [exit {rc}] {last}")
    check_s, rc, last = timed(sqltrain + ["check", *common], env)
    print(f"sqltrain check again (manifest fresh: no dbt compile), {args.models} models: {check_s:.1f} s  [exit {rc}] {last}")
    check_s, rc, last = timed(sqltrain + ["check", "--no-compile", *common], env)
    print(f"sqltrain check --no-compile (analysis only), {args.models} models: {check_s:.1f} s  [exit {rc}] {last}")

    from sqltrain.leakage import check_project
    from sqltrain.project import Project

    t0 = time.perf_counter()
    report = check_project(Project.open(root, root))
    leaky = sum(1 for _ in root.glob("models/combo_*.sql")) // 25
    print(f"in-process analysis of {len(report.models)} models: {time.perf_counter() - t0:.2f} s "
          f"({len(report.errors)} error findings: the generated project has {leaky} leaky models)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A hand-written DuckDB warehouse unlike the demo: a lending library. Its own schema (``lib``), its
own key (``member_no``), a load time called ``recorded_at``, dates and decimals, and its own label
(a member lapses). Deterministic: the same file every time."""

from __future__ import annotations

from pathlib import Path

import duckdb

SQL = """
create schema lib;
set TimeZone = 'UTC';
create table lib.members as
select m as member_no,
       date '2023-01-01' + cast((m * 7) % 300 as integer) as joined_on,
       case m % 3 when 0 then 'adult' when 1 then 'student' else 'senior' end as tier
from range(1, 121) t(m);

create table lib.loans as
select l as loan_no,
       1 + (l * 37) % 120 as member_no,
       timestamp '2023-02-01 09:00:00' + to_minutes(cast((l * 7919) % 1000000 as bigint)) as borrowed_at,
       timestamp '2023-02-01 09:00:00' + to_minutes(cast((l * 7919) % 1000000 as bigint)) + to_hours(cast(1 + l % 72 as bigint)) as recorded_at,
       cast(80 + (l * 13) % 500 as integer) as pages,
       case l % 4 when 0 then 'fiction' when 1 then 'history' when 2 then 'science' else 'poetry' end as genre
from range(1, 3001) t(l);

create table lib.fines as
select f as fine_no,
       1 + (f * 53) % 120 as member_no,
       timestamp '2023-03-01' + to_minutes(cast((f * 104729) % 900000 as bigint)) as issued_at,
       cast(((f * 17) % 900) / 100.0 + 0.5 as decimal(8, 2)) as amount
from range(1, 401) t(f);

create table lib.lapses as
select 1 + (x * 29) % 120 as member_no,
       timestamp '2023-06-01' + to_hours(cast((x * 3571) % 14000 as bigint)) as lapsed_at
from range(1, 61) t(x);
"""


def build_library(path: Path) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(SQL)
    finally:
        con.close()
    return path

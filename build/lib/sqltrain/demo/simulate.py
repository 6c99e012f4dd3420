"""Simulate the demo shop, month by month, vectorised over a chunk of customers.

The story (docs/demo-warehouse.md): every customer has a latent *engagement* that drifts
from month to month around a personal mean. Engagement drives how often they order and
browse, and (inversely) how often they open support tickets. The monthly churn hazard is
a logistic function of things observable *before* the churn: engagement and its recent
fall, last month's tickets (worse when unresolved or rated badly), the basic plan, a
short tenure and a recent downgrade. So a model on 30/90-day activity, tickets, tenure and
plan beats the base rate, and the demo's training set has real signal in it.

Everything here is numpy on int64 "seconds since the Unix epoch" (naive UTC); the Python
loop runs over the 36 months, never over events. One ``numpy.random.Generator`` per chunk
makes a chunk's output a pure function of (seed, chunk index, its customers).
"""

from __future__ import annotations

import numpy as np

START = int(np.datetime64("2023-01-01T00:00:00", "s").astype(np.int64))
END = int(np.datetime64("2026-01-01T00:00:00", "s").astype(np.int64))  # exclusive; also the load horizon
MONTH_STARTS = (
    np.arange("2023-01", "2026-02", dtype="datetime64[M]").astype("datetime64[s]").astype(np.int64)
)
N_MONTHS = len(MONTH_STARTS) - 1
DAY = 86_400
MONTH = 30 * DAY

PLANS = ["basic", "standard", "premium"]
STATUSES = ["active", "cancelled"]
CHANGE_TYPES = ["signup", "upgrade", "downgrade", "cancel", "reactivate"]
COUNTRIES = ["US", "GB", "DE", "FR", "CA", "NL", "ES", "IT", "AU", "SE"]
COUNTRY_P = [0.40, 0.12, 0.10, 0.08, 0.07, 0.05, 0.05, 0.05, 0.04, 0.04]
CHANNELS = ["web", "app"]
ORDER_STATUSES = ["completed", "refunded"]
DEVICES = ["desktop", "mobile", "tablet"]
PRIORITIES = ["low", "normal", "high"]
TICKET_CATEGORIES = ["billing", "delivery", "product", "account", "cancellation"]
PRODUCT_CATEGORIES = ["pantry", "snacks", "beverages", "household", "personal_care", "pets", "baby", "gifts"]

# Orders by calendar month (Jan..Dec): a dip in summer, the peak in Nov-Dec.
ORDER_SEASON = np.array([0.95, 0.90, 1.00, 1.00, 0.95, 0.85, 0.78, 0.80, 0.95, 1.05, 1.45, 1.60])
# Sessions by weekday (Mon..Sun) and hour of day: weekends and evenings are busier.
WEEKDAY_WEIGHT = np.array([1.0, 1.0, 1.0, 1.0, 0.9, 1.25, 1.35])
HOUR_WEIGHT = np.array([0.3] * 7 + [0.9] * 5 + [1.0] * 6 + [1.6] * 5 + [0.8])

# Knobs of the behaviour model (rates are per active customer-month at engagement 0).
ORDER_RATE, SESSION_RATE, TICKET_RATE = 0.8, 4.0, 0.15
PLAN_ORDER_MULT = np.array([0.8, 1.0, 1.3])
CHURN_BASE = -3.9
LATE_SHARE = 0.03


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def signup_times(n: int, rng: np.random.Generator) -> np.ndarray:
    """Sorted signup instants for ``n`` customers: the shop grows about 3x over three years."""
    growth = np.exp(np.log(3.0) * np.arange(N_MONTHS) / N_MONTHS)
    january = np.where(np.arange(N_MONTHS) % 12 == 0, 1.25, 1.0)  # New Year's resolutions
    weights = growth * january
    month = rng.choice(N_MONTHS, size=n, p=weights / weights.sum())
    lo, hi = MONTH_STARTS[month], MONTH_STARTS[month + 1]
    return np.sort(lo + (rng.random(n) * (hi - lo)).astype(np.int64))


def loaded_at(event_ts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """When each row landed: minutes to hours after the event, ~3% 1-10 days late, never after END."""
    delay = 30 + rng.exponential(40 * 60, size=len(event_ts))
    late = rng.random(len(event_ts)) < LATE_SHARE
    delay = np.where(late, rng.uniform(1 * DAY, 10 * DAY, size=len(event_ts)), delay)
    return np.minimum(event_ts + delay.astype(np.int64), END)


def product_catalog(seed: int) -> dict[str, np.ndarray]:
    """A fixed catalogue of 300 products (category, price in cents, popularity)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7_000_001]))
    n = 300
    category = rng.integers(0, len(PRODUCT_CATEGORIES), size=n)
    base = np.array([6.0, 4.0, 5.0, 9.0, 11.0, 18.0, 15.0, 30.0])[category]
    price_cents = np.round(base * rng.lognormal(0.0, 0.45, size=n) * 100).astype(np.int64)
    popularity = 1.0 / np.arange(1, n + 1) ** 0.8
    popularity = rng.permutation(popularity)
    return {
        "product_id": np.arange(1001, 1001 + n, dtype=np.int64),
        "category": category,
        "price_cents": price_cents,
        "p": popularity / popularity.sum(),
    }


def _times_in(lo: np.ndarray, hi: np.ndarray, counts: np.ndarray, rng: np.random.Generator):
    """``counts[i]`` uniform instants in ``[lo[i], hi[i])``; returns (owner index, seconds)."""
    owner = np.repeat(np.arange(len(counts)), counts)
    span = (hi - lo)[owner]
    return owner, lo[owner] + (rng.random(len(owner)) * span).astype(np.int64)


def _session_weight(ts: np.ndarray) -> np.ndarray:
    days = ts // DAY
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    hour = (ts % DAY) // 3600
    return WEEKDAY_WEIGHT[weekday] * HOUR_WEIGHT[hour]


_SESSION_W_MAX = WEEKDAY_WEIGHT.max() * HOUR_WEIGHT.max()
_SESSION_W_MEAN = WEEKDAY_WEIGHT.mean() * HOUR_WEIGHT.mean()


class _Events:
    """Column lists for one table, appended month by month, concatenated at the end."""

    def __init__(self, *columns: str):
        self.parts: dict[str, list[np.ndarray]] = {c: [] for c in columns}

    def add(self, **cols: np.ndarray) -> None:
        for name, values in cols.items():
            self.parts[name].append(np.asarray(values))

    def arrays(self) -> dict[str, np.ndarray]:
        return {c: np.concatenate(v) if v else np.array([], dtype=np.int64) for c, v in self.parts.items()}


def simulate_chunk(customer_ids: np.ndarray, signup: np.ndarray, seed: int, chunk: int,
                   catalog: dict[str, np.ndarray]) -> dict[str, dict[str, np.ndarray]]:
    """Simulate one chunk of customers over 2023-01..2025-12; returns table -> column arrays.

    Categorical columns come back as int codes (-1 = NULL) into the label lists above;
    times as int64 epoch seconds (-1 = NULL). ``state`` holds every change of the mutable
    customer attributes (plan, country, status), from which the writer derives
    ``raw.customers`` and its SCD2 snapshot.
    """
    rng = np.random.default_rng(np.random.SeedSequence([seed, chunk]))
    n = len(customer_ids)
    mu = rng.normal(0.0, 0.55, size=n)  # personal engagement level
    eng = mu.copy()
    plan = np.full(n, -1)
    active = np.zeros(n, dtype=bool)
    cancel_at = np.full(n, -1, dtype=np.int64)
    sub_start = np.full(n, -1, dtype=np.int64)
    last_downgrade = np.full(n, -10 * MONTH, dtype=np.int64)
    tickets_prev = np.zeros(n)
    bad_prev = np.zeros(n)
    country = rng.choice(len(COUNTRIES), size=n, p=COUNTRY_P)
    country = np.where(rng.random(n) < 0.03, -1, country)

    changes = _Events("customer_id", "ts", "change_type", "from_plan", "to_plan")
    orders = _Events("customer_id", "ts", "engagement")
    sessions = _Events("customer_id", "ts", "engagement")
    tickets = _Events("customer_id", "ts", "engagement")

    for m in range(N_MONTHS):
        lo, hi = MONTH_STARTS[m], MONTH_STARTS[m + 1]
        eng_before = eng.copy()
        eng = 0.8 * eng + 0.2 * mu + 0.33 * rng.standard_normal(n)

        new = (signup >= lo) & (signup < hi)
        ws = np.full(n, lo, dtype=np.int64)
        eng[new] = mu[new] + 0.35 + 0.3 * rng.standard_normal(new.sum())  # honeymoon
        plan[new] = rng.choice(3, size=new.sum(), p=[0.5, 0.35, 0.15])
        active[new] = True
        ws[new] = sub_start[new] = signup[new]
        changes.add(customer_id=np.flatnonzero(new), ts=signup[new], change_type=np.zeros(new.sum(), int),
                    from_plan=np.full(new.sum(), -1), to_plan=plan[new])

        # Rare comebacks, likelier soon after cancelling.
        lapsed = ~active & (cancel_at >= 0)
        p_back = 0.035 * np.exp(-(lo - cancel_at) / (8 * MONTH))
        back = lapsed & (rng.random(n) < p_back)
        t_back = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
        new_plan = rng.choice(3, size=n, p=[0.45, 0.4, 0.15])
        changes.add(customer_id=np.flatnonzero(back), ts=t_back[back], change_type=np.full(back.sum(), 4),
                    from_plan=np.full(back.sum(), -1), to_plan=new_plan[back])
        plan[back] = new_plan[back]
        active[back] = True
        ws[back] = sub_start[back] = t_back[back]
        eng[back] = mu[back] + 0.2 + 0.3 * rng.standard_normal(back.sum())

        # Churn of customers subscribed since before this month, from what was observable.
        at_risk = active & ~new & ~back
        tenure = (lo - sub_start) / MONTH
        logit = (CHURN_BASE - 1.6 * eng - 1.2 * (eng - eng_before)
                 + 1.0 * bad_prev + 0.3 * tickets_prev
                 + 0.45 * (plan == 0) - 0.35 * (plan == 2)
                 + 0.6 * (tenure < 3) + 0.8 * (lo - last_downgrade < 2 * MONTH))
        churn = at_risk & (rng.random(n) < _sigmoid(logit))
        t_churn = lo + (rng.random(n) * (hi - lo)).astype(np.int64)
        we = np.where(churn, t_churn, hi)
        live = np.flatnonzero(active)
        frac = (we - ws)[live] / (hi - lo)
        e_live = eng[live]

        # Activity inside each live customer's window [ws, we) of this month.
        season = ORDER_SEASON[m % 12]
        k = rng.poisson(ORDER_RATE * np.exp(0.8 * e_live) * season * PLAN_ORDER_MULT[plan[live]] * frac)
        owner, ts = _times_in(ws[live], we[live], k, rng)
        orders.add(customer_id=live[owner], ts=ts, engagement=e_live[owner])

        lam = SESSION_RATE * np.exp(0.9 * e_live) * frac * _SESSION_W_MAX / _SESSION_W_MEAN
        owner, ts = _times_in(ws[live], we[live], rng.poisson(lam), rng)
        keep = rng.random(len(ts)) * _SESSION_W_MAX < _session_weight(ts)
        sessions.add(customer_id=live[owner[keep]], ts=ts[keep], engagement=e_live[owner[keep]])

        k = rng.poisson(TICKET_RATE * np.exp(-0.7 * e_live) * frac)
        owner, ts = _times_in(ws[live], we[live], k, rng)
        tickets.add(customer_id=live[owner], ts=ts, engagement=e_live[owner])

        # Plan moves: engaged customers upgrade, disengaged ones downgrade.
        u = rng.random(len(live))
        p_up = np.where(plan[live] < 2, _sigmoid(-3.6 + 0.9 * e_live), 0.0)
        p_down = np.where(plan[live] > 0, _sigmoid(-3.7 - 1.0 * e_live), 0.0)
        up, down = live[u < p_up], live[(u >= p_up) & (u < p_up + p_down)]
        t_move = ws + (rng.random(n) * (we - ws)).astype(np.int64)
        changes.add(customer_id=up, ts=t_move[up], change_type=np.ones(len(up), int),
                    from_plan=plan[up], to_plan=plan[up] + 1)
        plan[up] += 1
        # A double click on "upgrade": basic -> standard -> premium at the very same instant.
        double = up[(plan[up] == 1) & (rng.random(len(up)) < 0.1)]
        changes.add(customer_id=double, ts=t_move[double], change_type=np.ones(len(double), int),
                    from_plan=plan[double], to_plan=plan[double] + 1)
        plan[double] += 1
        changes.add(customer_id=down, ts=t_move[down], change_type=np.full(len(down), 2),
                    from_plan=plan[down], to_plan=plan[down] - 1)
        plan[down] -= 1
        last_downgrade[down] = t_move[down]

        gone = np.flatnonzero(churn)
        changes.add(customer_id=gone, ts=t_churn[gone], change_type=np.full(len(gone), 3),
                    from_plan=plan[gone], to_plan=np.full(len(gone), -1))
        active[gone] = False
        cancel_at[gone] = t_churn[gone]

        # Last month's tickets feed next month's hazard; computed like the ticket table below.
        month_tickets = tickets.parts["customer_id"][-1]
        month_bad = _ticket_outcomes(tickets.parts["ts"][-1], tickets.parts["engagement"][-1],
                                     np.random.default_rng(np.random.SeedSequence([seed, chunk, m, 1])))["bad"]
        tickets_prev = np.bincount(month_tickets, minlength=n).astype(float)
        bad_prev = np.bincount(month_tickets[month_bad], minlength=n).astype(float)

    out = {
        "plan_changes": changes.arrays(),
        "orders": orders.arrays(),
        "sessions": sessions.arrays(),
        "tickets": tickets.arrays(),
    }
    out["tickets"].update(_ticket_table(out["tickets"], seed, chunk))
    out["customers"] = {"customer_id": np.arange(n), "signup_at": signup,
                        "marketing_opt_in": rng.random(n) < 0.6}
    out["state"] = _state_changes(out["plan_changes"], signup, country, active, cancel_at, rng)
    _add_order_details(out, catalog, rng)
    _add_session_details(out, rng)
    for table in ("plan_changes", "orders", "sessions", "tickets"):
        out[table]["_loaded_at"] = loaded_at(out[table]["ts"], rng)
    for table in out.values():  # local positions -> global customer ids (-1 stays NULL)
        if "customer_id" in table:
            local = table["customer_id"]
            table["customer_id"] = np.where(local >= 0, customer_ids[np.maximum(local, 0)], -1)
    return out


def _ticket_outcomes(opened: np.ndarray, engagement: np.ndarray, rng: np.random.Generator) -> dict:
    """Resolution time, CSAT and whether the ticket went badly (slow, unresolved or CSAT <= 2).

    Drawn from a generator of their own (per chunk and month) so that the churn model and
    the stored ticket table see the same outcomes.
    """
    k = len(opened)
    hours = rng.lognormal(np.log(18.0), 1.0, size=k)
    resolved = opened + (hours * 3600).astype(np.int64)
    unresolved = (rng.random(k) < 0.04) | (resolved >= END)
    score = 3.7 + 0.8 * engagement - 0.4 * np.log1p(hours / 24) + rng.normal(0, 0.8, size=k)
    csat = np.clip(np.round(score), 1, 5).astype(np.int64)
    csat = np.where(unresolved | (rng.random(k) < 0.3), -1, csat)
    bad = unresolved | (hours > 96) | ((csat >= 1) & (csat <= 2))
    return {"resolved_at": np.where(unresolved, -1, resolved), "csat": csat, "bad": bad}


def _ticket_table(tickets: dict[str, np.ndarray], seed: int, chunk: int) -> dict[str, np.ndarray]:
    """Replays each month's ticket outcomes (same generators as the churn model) plus labels."""
    month = np.searchsorted(MONTH_STARTS, tickets["ts"], side="right") - 1
    cols = {"resolved_at": np.full(len(month), -1, dtype=np.int64), "csat": np.full(len(month), -1)}
    for m in np.unique(month):  # tickets were appended month by month, so each month is one run
        sel = month == m
        got = _ticket_outcomes(tickets["ts"][sel], tickets["engagement"][sel],
                               np.random.default_rng(np.random.SeedSequence([seed, chunk, int(m), 1])))
        cols["resolved_at"][sel] = got["resolved_at"]
        cols["csat"][sel] = got["csat"]
    rng = np.random.default_rng(np.random.SeedSequence([seed, chunk, 2]))
    cols["priority"] = rng.choice(3, size=len(month), p=[0.3, 0.55, 0.15])
    cols["category"] = rng.choice(len(TICKET_CATEGORIES), size=len(month), p=[0.3, 0.3, 0.2, 0.12, 0.08])
    return cols


def _state_changes(changes, signup, country, active, cancel_at, rng) -> dict[str, np.ndarray]:
    """Every change of plan / country / status; NULL (-1) means "unchanged by this event".

    About 5% of customers move country once, at some instant while they are customers.
    """
    n = len(signup)
    ct = changes["change_type"]
    plan = changes["to_plan"].copy()
    status = np.full(len(ct), -1)
    status[np.isin(ct, [0, 4])] = 0
    status[ct == 3] = 1
    country_col = np.full(len(ct), -1)
    is_signup = ct == 0
    country_col[is_signup] = country[changes["customer_id"][is_signup]]
    # Signup country may be NULL: mark it so the forward fill in SQL keeps it NULL.
    unknown_country = np.zeros(len(ct), dtype=bool)
    unknown_country[is_signup] = country[changes["customer_id"][is_signup]] < 0

    movers = np.flatnonzero(rng.random(n) < 0.05)
    alive_until = np.where(active | (cancel_at < 0), END, cancel_at)[movers]
    t_move = signup[movers] + (rng.random(len(movers)) * (alive_until - signup[movers])).astype(np.int64)
    dest = (np.maximum(country[movers], 0) + rng.integers(1, len(COUNTRIES), size=len(movers))) % len(COUNTRIES)
    return {
        "customer_id": np.concatenate([changes["customer_id"], movers]),
        "ts": np.concatenate([changes["ts"], t_move]),
        "plan": np.concatenate([plan, np.full(len(movers), -1)]),
        "country": np.concatenate([country_col, dest]),
        "status": np.concatenate([status, np.full(len(movers), -1)]),
    }


def _add_order_details(out, catalog, rng) -> None:
    """Items from the catalogue; amount = sum of the lines; refunds; channels; ~1% NULL amounts."""
    orders = out["orders"]
    _make_ties(orders, share=0.02, rng=rng)  # sorts by (customer, time): do it before items point at rows
    k = len(orders["ts"])
    n_items = 1 + rng.poisson(0.7, size=k)
    owner = np.repeat(np.arange(k), n_items)
    product = rng.choice(len(catalog["p"]), size=len(owner), p=catalog["p"])
    quantity = 1 + rng.poisson(0.4, size=len(owner))
    price = catalog["price_cents"][product]
    out["order_items"] = {"order": owner, "product_id": catalog["product_id"][product],
                          "category": catalog["category"][product], "quantity": quantity, "unit_price": price}
    amount = np.bincount(owner, weights=quantity * price, minlength=k).astype(np.int64)
    orders["amount"] = np.where(rng.random(k) < 0.01, -1, amount)
    orders["status"] = (rng.random(k) < 0.025 + 0.03 * (orders["engagement"] < -0.5)).astype(np.int64)
    orders["channel"] = (rng.random(k) < 0.45).astype(np.int64)


def _add_session_details(out, rng) -> None:
    """Durations, page views, devices; ~10% anonymous sessions (NULL customer_id); ties."""
    s = out["sessions"]
    _make_ties(s, share=0.01, rng=rng)
    k = len(s["ts"])
    # Anonymous visitors follow the same calendar: copy a random session's time, jittered
    # by up to 3 hours; one in ten keeps it exactly (a shared start time).
    n_anon = k // 10
    src = rng.integers(0, max(k, 1), size=n_anon) if k else np.array([], dtype=np.int64)
    jitter = np.where(rng.random(n_anon) < 0.1, 0, rng.integers(-3 * 3600, 3 * 3600, size=n_anon))
    anon_ts = np.clip(s["ts"][src] + jitter, START, END - 1)
    s["customer_id"] = np.concatenate([s["customer_id"], np.full(n_anon, -1)])
    s["ts"] = np.concatenate([s["ts"], anon_ts])
    s["engagement"] = np.concatenate([s["engagement"], np.full(n_anon, -0.5)])
    k = len(s["ts"])
    dur = rng.lognormal(np.log(240) + 0.3 * s["engagement"], 0.9, size=k)
    s["duration_s"] = np.clip(dur, 5, 4 * 3600).astype(np.int64)
    s["page_views"] = 1 + rng.poisson(s["duration_s"] / 75.0)
    anon = s["customer_id"] < 0
    s["device"] = np.where(anon, rng.choice(3, size=k, p=[0.3, 0.62, 0.08]),
                           rng.choice(3, size=k, p=[0.45, 0.45, 0.10]))


def _make_ties(table: dict[str, np.ndarray], share: float, rng: np.random.Generator) -> None:
    """Give ~``share`` of a customer's events exactly the time of their previous event."""
    order = np.lexsort((table["ts"], table["customer_id"]))
    for name in table:
        table[name] = table[name][order]
    cust, ts = table["customer_id"], table["ts"]
    same_customer = np.r_[False, cust[1:] == cust[:-1]]
    tie = same_customer & (rng.random(len(ts)) < share)
    # Copy from the nearest earlier non-tied row so chains of ties stay valid.
    anchor = np.maximum.accumulate(np.where(tie, 0, np.arange(len(ts))))
    table["ts"] = ts[anchor]

"""Shared helpers of the Flight Controller notebooks: the results database, the measures file, figures.

Environment (both optional):
  FC_DB        the results database: an SQLite file path (default: flight-controller-out/flight-controller.db, looked
               up in the working directory and its parent), a jdbc:sqlite: URL, or a PostgreSQL URL
               (postgresql://user@host:5432/db or the JDBC form jdbc:postgresql://host:5432/db?user=postgres).
  FC_MEASURES  the measures YAML file, for SLO thresholds, objectives and burn-rate rules; without it objectives come
               from the alerts table where it has them.

Tables and columns are those of the README's "Results" section (JdbcTables.java). Python packages come from Debian:
python3-pandas, python3-matplotlib, python3-yaml, python3-psycopg2 (PostgreSQL only).
"""
import json
import math
import os
import re
import sqlite3
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

DEFAULT_DB = os.path.join("flight-controller-out", "flight-controller.db")

# The default burn-rate rules of the job (README "SLOs, error budgets and alerts", Google SRE Workbook)
DEFAULT_BURN_RATE_ALERTS = [
    {"severity": "page", "long_window": "PT1H", "short_window": "PT5M", "burn_rate": 14.4},
    {"severity": "page", "long_window": "PT6H", "short_window": "PT30M", "burn_rate": 6.0},
    {"severity": "ticket", "long_window": "P3D", "short_window": "PT6H", "burn_rate": 1.0},
]

TIME_COLUMNS = {
    "lead_times": ["start_time", "end_time"],
    "measurements": ["start_time", "end_time"],
    "alerts": ["start_time", "deadline"],
    "window_aggregates": ["window_start", "window_end"],
    "error_budgets": ["time"],
    "open_cases": ["start_time"],
    "dead_letters": ["event_time"],
}
COLUMNS = {
    "lead_times": ["measure", "case_key", "cycle", "correlation_id", "start_time", "end_time", "duration_ms", "good",
                   "late", "after_timeout", "dimensions"],
    "measurements": ["measure", "kind", "case_key", "seq", "correlation_id", "start_time", "end_time", "value",
                     "max_value", "late", "dimensions"],
    "alerts": ["alert_id", "kind", "severity", "measure", "case_key", "correlation_id", "start_time", "deadline",
               "observed_lead_ms", "burn_rate", "objective", "subject"],
    "window_aggregates": ["measure", "window", "window_start", "window_end", "completed", "good", "bad", "compliance",
                          "p50_ms", "p90_ms", "p95_ms", "p99_ms"],
    "error_budgets": ["measure", "time", "window", "events", "good", "bad", "budget", "remaining_fraction",
                      "burn_rate"],
    "open_cases": ["measure", "case_key", "correlation_id", "start_time", "age_ms"],
    "dead_letters": ["dead_letter_id", "stage", "reason", "detail", "correlation_id", "event_time", "raw"],
}


# ---------------------------------------------------------------------------------------------------------- database

def db_location():
    """FC_DB, or the command line's default output found in the working directory or its parent."""
    loc = os.environ.get("FC_DB", "").strip()
    if loc:
        return loc
    for base in (".", ".."):
        candidate = os.path.join(base, DEFAULT_DB)
        if os.path.exists(candidate):
            return os.path.abspath(candidate)
    return DEFAULT_DB


def _postgres_dsn(url):
    """A libpq URL from postgresql://... or jdbc:postgresql://...; keeps the parameters libpq knows."""
    if url.startswith("jdbc:"):
        url = url[len("jdbc:"):]
    parts = urlsplit(url)
    known = {"user", "password", "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout",
             "application_name", "options", "target_session_attrs"}
    params = []
    for k, v in parse_qsl(parts.query):
        if k in known:
            params.append((k, v))
        elif k == "currentSchema":
            params.append(("options", "-csearch_path=" + v))
    return urlunsplit(("postgresql", parts.netloc, parts.path, urlencode(params), ""))


_CONNECTION = None


def connect():
    """One connection per kernel to FC_DB (read-only for SQLite)."""
    global _CONNECTION
    if _CONNECTION is not None:
        return _CONNECTION
    loc = db_location()
    if re.match(r"^(jdbc:)?postgres(ql)?://", loc):
        try:
            import psycopg2
        except ImportError as e:
            raise RuntimeError("FC_DB is a PostgreSQL URL but psycopg2 is missing: apt-get install python3-psycopg2") from e
        _CONNECTION = psycopg2.connect(_postgres_dsn(loc))
        _CONNECTION.set_session(readonly=True, autocommit=True)
        return _CONNECTION
    path = loc[len("jdbc:sqlite:"):] if loc.startswith("jdbc:sqlite:") else loc
    if not os.path.isfile(path):
        raise FileNotFoundError("FC_DB: no SQLite database at %s (run `local-cluster/flight-controller run ...` first, "
                                "or set FC_DB to a results database)" % os.path.abspath(path))
    _CONNECTION = sqlite3.connect("file:%s?mode=ro" % os.path.abspath(path), uri=True)
    return _CONNECTION


def query(sql):
    """Runs one SELECT and returns a DataFrame (column names from the cursor)."""
    cur = connect().cursor()
    try:
        cur.execute(sql)
        rows = cur.fetchall()
        return pd.DataFrame.from_records(rows, columns=[d[0] for d in cur.description])
    finally:
        cur.close()


def has_table(name):
    if isinstance(connect(), sqlite3.Connection):
        return not query("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '%s'" % name).empty
    return not query("SELECT table_name FROM information_schema.tables WHERE table_name = '%s'" % name).empty


def _times(s):
    if s.empty:
        return pd.to_datetime(s, utc=True)
    try:
        return pd.to_datetime(s, utc=True, format="ISO8601")
    except (TypeError, ValueError):
        return pd.to_datetime(s, utc=True)


def table(name):
    """A results table with its times parsed (UTC); empty with the right columns when the table is missing."""
    if not has_table(name):
        df = pd.DataFrame(columns=COLUMNS[name])
    else:
        window = '"window"'
        cols = ", ".join(window if c == "window" else c for c in COLUMNS[name])
        df = query("SELECT %s FROM %s" % (cols, name))
    for c in TIME_COLUMNS.get(name, []):
        df[c] = _times(df[c])
    return df


def lead_times():
    """lead_times plus lead_s (seconds) and dims (the dimensions JSON as a dict)."""
    df = table("lead_times")
    df["duration_ms"] = pd.to_numeric(df["duration_ms"])
    df["lead_s"] = df["duration_ms"] / 1000.0
    df["dims"] = [json.loads(d) if isinstance(d, str) and d else {} for d in df["dimensions"]]
    return df


def measurements():
    df = table("measurements")
    df["value"] = pd.to_numeric(df["value"])
    return df


def alerts():
    return table("alerts")


def window_aggregates():
    df = table("window_aggregates")
    for c in ("completed", "good", "bad"):
        df[c] = pd.to_numeric(df[c])
    return df


def error_budgets():
    df = table("error_budgets")
    for c in ("events", "good", "bad", "budget", "remaining_fraction", "burn_rate"):
        df[c] = pd.to_numeric(df[c])
    return df


def open_cases():
    df = table("open_cases")
    df["age_s"] = pd.to_numeric(df["age_ms"]) / 1000.0
    return df


def dead_letters():
    return table("dead_letters")


# ------------------------------------------------------------------------------------------------------ measures file

_DURATION = re.compile(r"^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def parse_duration(text):
    """An ISO-8601 duration (PT1H, P28D, P2W, P1DT2H30M) as a pandas Timedelta."""
    m = _DURATION.match(str(text).strip().upper())
    if not m or not any(m.groups()):
        raise ValueError("not an ISO-8601 duration: %r" % text)
    w, d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return pd.Timedelta(days=7 * w + d, hours=h, minutes=mi, seconds=s)


def measures():
    """FC_MEASURES as {name: {kind, process, dimensions, slo}}, slo = None or {threshold, objective, window,
    rules}; {} without FC_MEASURES."""
    path = os.environ.get("FC_MEASURES", "").strip()
    if not path:
        return {}
    import yaml
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    out = {}
    for m in doc.get("measures") or []:
        name = str(m.get("name"))
        slo = m.get("slo")
        info = {"kind": m.get("kind", "lead_time"), "process": m.get("process"),
                "dimensions": m.get("dimensions") or [], "slo": None}
        if slo:
            rules = []
            for r in slo.get("burn_rate_alerts") or DEFAULT_BURN_RATE_ALERTS:
                rules.append({"severity": r.get("severity"), "long_window": parse_duration(r["long_window"]),
                              "short_window": parse_duration(r["short_window"]),
                              "burn_rate": float(r["burn_rate"])})
            info["slo"] = {"threshold": parse_duration(slo["threshold"]), "objective": float(slo["objective"]),
                           "window": parse_duration(slo["window"]), "rules": rules}
        out[name] = info
    return out


def objective(measure, measures_config, alerts_df):
    """The SLO objective of a measure: from the measures file, else from its alerts, else None."""
    info = measures_config.get(measure)
    if info and info["slo"]:
        return info["slo"]["objective"]
    if alerts_df is not None and not alerts_df.empty:
        o = pd.to_numeric(alerts_df.loc[alerts_df["measure"] == measure, "objective"]).dropna()
        if not o.empty:
            return float(o.iloc[0])
    return None


def threshold_s(measure, measures_config):
    info = measures_config.get(measure)
    return info["slo"]["threshold"].total_seconds() if info and info["slo"] else None


# ----------------------------------------------------------------------------------------------------- sequences (hops)

def hop_groups(names):
    """Measures whose name contains '#' are hops of the sequence named before the '#': {sequence: [hops in order]},
    ordered by a numeric suffix (NAME#1, NAME#2, ...) and otherwise by name."""
    groups = {}
    for n in sorted(set(names)):
        if "#" in n:
            groups.setdefault(n.split("#", 1)[0], []).append(n)

    def order(n):
        suffix = n.split("#", 1)[1]
        head = re.match(r"^(\d+)", suffix)
        return (0, int(head.group(1)), suffix) if head else (1, 0, suffix)
    return {k: sorted(v, key=order) for k, v in groups.items()}


# ------------------------------------------------------------------------------------------------------------ output

def setup():
    """Small, readable figures (the report embeds them) and a line on what is read."""
    matplotlib.rcParams.update({"figure.dpi": 72, "figure.figsize": (10, 3.6), "axes.grid": True,
                                "grid.alpha": 0.3, "axes.spines.top": False, "axes.spines.right": False,
                                "font.size": 9})
    loc = db_location()
    shown = re.sub(r"(password=)[^&]*", r"\1***", re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", loc))
    print("results database: %s" % shown)
    print("measures file:    %s" % (os.environ.get("FC_MEASURES") or "(none: FC_MEASURES not set)"))


def note(text):
    """A sentence in the output (Markdown in Jupyter, plain text elsewhere)."""
    try:
        from IPython.display import Markdown, display
        display(Markdown(text))
    except ImportError:
        print(text)


def figure(label, n, median=None, seconds=True):
    """Prints one checked figure: 'figure: <label>: n = <n>[, median = <m>[ s (<human>)]]'. CI compares these lines
    with the database (NotebooksTest)."""
    line = "figure: %s: n = %d" % (label, n)
    if median is not None and not (isinstance(median, float) and math.isnan(median)):
        line += (", median = %.3f s (%s)" % (median, human(median))) if seconds else (", median = %.9g" % median)
    print(line)


def human(seconds):
    """1h 54m 9s, 4d 23h, 820ms."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "-"
    s = float(seconds)
    if s < 1:
        return "%dms" % round(s * 1000)
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if s >= size:
            parts.append("%d%s" % (s // size, unit))
            s -= (s // size) * size
    if s >= 0.5 and len(parts) < 3:
        parts.append("%ds" % round(s))
    return " ".join(parts[:3]) or "0s"


def grid(n, ncols=2, height=3.0, width=10.0, sharex=False):
    """n small axes in rows of ncols; the extra ones hidden. Returns (fig, [axes])."""
    ncols = max(1, min(ncols, n))
    nrows = int(math.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, height * nrows), squeeze=False, sharex=sharex)
    flat = [a for row in axes for a in row]
    for a in flat[n:]:
        a.set_visible(False)
    return fig, flat[:n]


def log_seconds_axis(ax, axis="y"):
    """A log axis of seconds labelled in human units."""
    ticks = [1, 10, 60, 600, 3600, 6 * 3600, 86400, 7 * 86400, 30 * 86400, 365 * 86400]
    labels = ["1s", "10s", "1m", "10m", "1h", "6h", "1d", "7d", "30d", "1y"]
    if axis == "y":
        ax.set_yscale("log")
        lo, hi = ax.get_ylim()
        keep = [(t, l) for t, l in zip(ticks, labels) if lo <= t <= hi]
        if keep:
            ax.set_yticks([t for t, _ in keep])
            ax.set_yticklabels([l for _, l in keep])
    else:
        ax.set_xscale("log")
        lo, hi = ax.get_xlim()
        keep = [(t, l) for t, l in zip(ticks, labels) if lo <= t <= hi]
        if keep:
            ax.set_xticks([t for t, _ in keep])
            ax.set_xticklabels([l for _, l in keep])
    ax.minorticks_off()


def period(times):
    """'D' (per day) for spans up to 60 days, else 'W' (per week)."""
    times = times.dropna()
    if times.empty:
        return "D"
    return "D" if (times.max() - times.min()) <= pd.Timedelta(days=60) else "W"


def period_name(p):
    return {"D": "day", "W": "week"}[p]


def floor_period(times, p):
    """Period starts (UTC, naive) of the times: days, or weeks starting on Monday."""
    t = times.dt.tz_convert("UTC").dt.tz_localize(None)
    if p == "D":
        return t.dt.floor("D")
    return (t - pd.to_timedelta(t.dt.weekday, unit="D")).dt.floor("D")


def window_name(iso):
    """PT672H -> 28d."""
    try:
        return human(parse_duration(iso).total_seconds())
    except ValueError:
        return str(iso)

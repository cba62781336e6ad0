#!/usr/bin/env python3
"""Summarises the difference between two sets of golden outputs (tests/golden/ layout).

    scripts/golden_diff.py OLD_DIR NEW_DIR [--roundoff REL]

For every case folder in either set: events added, removed and changed, by event kind (an event
is "changed" when an event of the same kind with the same non-numeric fields exists on the other
side at the same position among its peers, and only numbers differ), with the largest relative
change of a number; the counts of each kind; and every summary field that moved, old -> new.
Trial tables (trials.csv) are compared row by row.

With --roundoff REL the script is a check: it exits 1 unless the two sets hold the same events
and counts and every number agrees within REL (relative, or absolutely for numbers below 1), the
rule under which a pure-roundoff change may regenerate the goldens. Uses only the standard library.
"""

import argparse
import gzip
import json
import os
import sys
from collections import Counter, defaultdict


def load_events(path):
    if not os.path.exists(path):
        return None
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_json(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def flatten(value, prefix=""):
    """(path, leaf) pairs of a JSON value."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from flatten(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from flatten(v, f"{prefix}[{i}]")
    else:
        yield prefix, value


def is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def shape_key(event):
    """The event with every number blanked: events that differ only in numbers share it."""
    return json.dumps([(p, None if is_number(v) else v) for p, v in flatten(event)])


def rel_diff(a, b):
    if a == b:
        return 0.0
    scale = max(abs(a), abs(b), 1.0)
    return abs(a - b) / scale


def numeric_diff(old, new):
    """Largest relative difference between the numbers of two same-shape values."""
    worst = 0.0
    for (_, a), (_, b) in zip(flatten(old), flatten(new)):
        if is_number(a) and is_number(b):
            worst = max(worst, rel_diff(float(a), float(b)))
    return worst


def compare_events(old, new):
    """Per kind: (old count, new count, added, removed, changed, worst relative change)."""
    by_kind = defaultdict(lambda: [0, 0, 0, 0, 0, 0.0])
    for e in old:
        by_kind[e.get("event", "?")][0] += 1
    for e in new:
        by_kind[e.get("event", "?")][1] += 1
    old_groups = defaultdict(list)
    new_groups = defaultdict(list)
    for e in old:
        old_groups[shape_key(e)].append(e)
    for e in new:
        new_groups[shape_key(e)].append(e)
    for key in set(old_groups) | set(new_groups):
        a, b = old_groups.get(key, []), new_groups.get(key, [])
        kind = (a or b)[0].get("event", "?")
        stats = by_kind[kind]
        for x, y in zip(a, b):
            if x != y:
                stats[4] += 1
                stats[5] = max(stats[5], numeric_diff(x, y))
        if len(b) > len(a):
            stats[2] += len(b) - len(a)
        else:
            stats[3] += len(a) - len(b)
    return by_kind


def compare_case(name, old_dir, new_dir, roundoff, out):
    ok = True
    lines = []
    old_ev = load_events(os.path.join(old_dir, "events.jsonl.gz")) if old_dir else None
    new_ev = load_events(os.path.join(new_dir, "events.jsonl.gz")) if new_dir else None
    if old_ev is not None or new_ev is not None:
        if old_ev == new_ev:
            lines.append(f"  events: identical ({len(old_ev)})")
        else:
            by_kind = compare_events(old_ev or [], new_ev or [])
            lines.append(f"  events: {len(old_ev or [])} -> {len(new_ev or [])}")
            for kind in sorted(by_kind):
                n_old, n_new, added, removed, changed, worst = by_kind[kind]
                if added or removed or changed:
                    lines.append(
                        f"    {kind:24} {n_old:7} -> {n_new:7}  +{added} -{removed} ~{changed}"
                        f" (largest relative change {worst:.3g})"
                    )
                    if added or removed or worst > roundoff:
                        ok = False
    old_s = load_json(os.path.join(old_dir, "summary.json")) if old_dir else None
    new_s = load_json(os.path.join(new_dir, "summary.json")) if new_dir else None
    if old_s is not None or new_s is not None:
        a = dict(flatten(old_s)) if old_s is not None else {}
        b = dict(flatten(new_s)) if new_s is not None else {}
        moved = []
        for k in sorted(set(a) | set(b), key=lambda k: (k not in a, k)):
            x, y = a.get(k, "(absent)"), b.get(k, "(absent)")
            if x != y:
                numeric = is_number(x) and is_number(y)
                worst = rel_diff(float(x), float(y)) if numeric else float("inf")
                moved.append(f"    {k}: {x} -> {y}")
                if worst > roundoff:
                    ok = False
        lines.append("  summary.json: " + ("identical" if not moved else f"{len(moved)} fields moved"))
        lines.extend(moved)
    old_csv = os.path.join(old_dir, "trials.csv") if old_dir else None
    new_csv = os.path.join(new_dir, "trials.csv") if new_dir else None
    if (old_csv and os.path.exists(old_csv)) or (new_csv and os.path.exists(new_csv)):
        ra = open(old_csv).read().splitlines() if old_csv and os.path.exists(old_csv) else []
        rb = open(new_csv).read().splitlines() if new_csv and os.path.exists(new_csv) else []
        diff_rows = sum(1 for x, y in zip(ra, rb) if x != y) + abs(len(ra) - len(rb))
        lines.append(f"  trials.csv: " + ("identical" if diff_rows == 0 else f"{diff_rows} rows differ"))
        if diff_rows:
            ok = False if roundoff == 0 or ra[:1] != rb[:1] or len(ra) != len(rb) else ok
            for x, y in list(zip(ra, rb))[:400]:
                if x != y:
                    fx, fy = x.split(","), y.split(",")
                    for u, v in zip(fx, fy):
                        if u != v:
                            try:
                                if rel_diff(float(u), float(v)) > roundoff:
                                    ok = False
                            except ValueError:
                                ok = False
    out.append((name, ok, lines))
    return ok


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--roundoff", type=float, default=None, help="check mode: allowed relative change")
    args = p.parse_args()
    roundoff = args.roundoff if args.roundoff is not None else 0.0
    cases = sorted(
        set(d for d in os.listdir(args.old) if os.path.isdir(os.path.join(args.old, d)))
        | set(d for d in os.listdir(args.new) if os.path.isdir(os.path.join(args.new, d)))
    )
    out = []
    all_ok = True
    for c in cases:
        o = os.path.join(args.old, c)
        n = os.path.join(args.new, c)
        all_ok &= compare_case(c, o if os.path.isdir(o) else None, n if os.path.isdir(n) else None, roundoff, out)
    for name, ok, lines in out:
        print(f"{name}: {'same' if all(l.endswith('identical') or 'identical (' in l for l in lines) else 'differs'}")
        for l in lines:
            print(l)
    if args.roundoff is not None:
        verdict = "roundoff only" if all_ok else "NOT roundoff only"
        print(f"\nverdict (relative tolerance {args.roundoff:g}): {verdict}")
        sys.exit(0 if all_ok else 1)


if __name__ == "__main__":
    main()

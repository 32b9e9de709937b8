#!/usr/bin/env python3
"""Single-field mutations of a run folder, each judged by `failsim check` and
`failsim report`: every field of summary.json, verdict.json and
scenario.json (to depth 3), and of one line of each kind in events.jsonl and
history.jsonl, replaced by a value of the wrong type or out of range.

Usage: mutate_fields.py FAILSIM RUN_FOLDER WORK [--limit N]   (N: spread evenly)
Prints one line per mutation with both exit statuses, then a tally; exits 1
when any command ended by a signal (an abort: 134, 139, ...) or with a
status outside 0-3, 0 otherwise. A wrong-typed field accepted (exit 0 or 1)
is listed but not a failure: some fields are not read by either command.
"""
import json, os, shutil, subprocess, sys

def wrong_values(v):
    if isinstance(v, bool):
        return ["yes", 5]
    if isinstance(v, (int, float)):
        return ["many", {}, -1, 2**64, 1e300]
    if isinstance(v, str):
        return [5, None, []]
    if isinstance(v, list):
        return ["x", 5, {}]
    if isinstance(v, dict):
        return [5, "x", []]
    return [{}, "x"]

def paths(v, prefix=(), depth=0):
    """Every (path, value) to depth 3; arrays by their first item."""
    out = []
    if depth >= 3:
        return out
    if isinstance(v, dict):
        for k, x in v.items():
            out.append((prefix + (k,), x))
            out += paths(x, prefix + (k,), depth + 1)
    elif isinstance(v, list) and v:
        out.append((prefix + (0,), v[0]))
        out += paths(v[0], prefix + (0,), depth + 1)
    return out

def set_path(doc, path, value):
    d = doc
    for k in path[:-1]:
        d = d[k]
    d[path[-1]] = value

def mutations(base):
    """(file, line index or None, path, value) for every mutation."""
    out = []
    for name in ["summary.json", "verdict.json", "scenario.json"]:
        p = os.path.join(base, name)
        if not os.path.exists(p):
            continue
        doc = json.load(open(p))
        for path, v in paths(doc):
            for w in wrong_values(v):
                out.append((name, None, path, w))
    for name, key in [("events.jsonl", "kind"), ("history.jsonl", "type")]:
        lines = open(os.path.join(base, name)).read().splitlines()
        seen = set()
        for i, line in enumerate(lines):
            obj = json.loads(line)
            kind = obj.get(key)
            if kind in seen:
                continue
            seen.add(kind)
            for path, v in paths(obj):
                for w in wrong_values(v):
                    out.append((name, i, path, w))
    return out

def apply(base, folder, m):
    name, line, path, value = m
    shutil.copytree(base, folder)
    p = os.path.join(folder, name)
    if line is None:
        doc = json.load(open(p))
        set_path(doc, path, value)
        open(p, "w").write(json.dumps(doc))
    else:
        lines = open(p).read().splitlines()
        obj = json.loads(lines[line])
        set_path(obj, path, value)
        lines[line] = json.dumps(obj, separators=(",", ":"))
        open(p, "w").write("\n".join(lines) + "\n")

def main():
    failsim, base, work = sys.argv[1:4]
    limit = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[4] == "--limit" else None
    ms = mutations(base)
    if limit and len(ms) > limit:  # spread over every file, not the first ones only
        step = -(-len(ms) // limit)
        ms = ms[::step]
    bad = 0
    tally = {}
    for i, m in enumerate(ms):
        folder = os.path.join(work, "m%d" % i)
        apply(base, folder, m)
        codes = []
        for cmd in ["check", "report"]:
            r = subprocess.run([failsim, cmd, folder], capture_output=True, timeout=120)
            codes.append(r.returncode if r.returncode >= 0 else 128 - r.returncode)
        name, line, path, value = m
        where = name + ("" if line is None else ":%d" % (line + 1))
        print("%s %s = %s: check %d, report %d" % (where, ".".join(map(str, path)), json.dumps(value)[:40], *codes))
        for c in codes:
            tally[c] = tally.get(c, 0) + 1
            if c > 3 or c < 0:
                bad += 1
        shutil.rmtree(folder)
    print("mutations: %d; exit statuses: %s; aborts: %d" % (len(ms), dict(sorted(tally.items())), bad))
    return 1 if bad else 0

if __name__ == "__main__":
    sys.exit(main())

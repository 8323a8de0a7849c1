"""Checks a Chrome trace-event JSON file the way Perfetto's JSON importer
reads it: every complete slice (ph X) properly nested on its track (a slice
that starts inside another ends inside it too, or Perfetto drops it), every
async begin (b) closed by an end (e) of the same cat and id, every flow start
(s) and finish (f) paired by cat, name and id, each bound to a slice that
encloses its timestamp on its own track, the finish no earlier than the start.

usage: check_perfetto.py FILE.json   (exit 0: consistent)"""
import json
import sys
from collections import defaultdict


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    evs = doc["traceEvents"]
    errors = []
    slices = defaultdict(list)  # tid -> [(start, end, name)]
    for e in evs:
        if e["ph"] == "X":
            slices[e["tid"]].append((e["ts"], e["ts"] + e["dur"], e["name"]))
    eps = 1e-6
    for tid, ss in slices.items():
        ss.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for s in ss:
            while stack and stack[-1][1] <= s[0] + eps:
                stack.pop()
            if stack and s[1] > stack[-1][1] + eps:
                errors.append(f"track {tid}: '{s[2]}' [{s[0]}, {s[1]}] overlaps '{stack[-1][2]}' "
                              f"[{stack[-1][0]}, {stack[-1][1]}] without nesting")
            stack.append(s)

    def enclosing(tid, ts):
        return any(a - eps <= ts <= b + eps for a, b, _ in slices.get(tid, []))

    async_open = {}
    flows = {}
    for e in evs:
        ph = e["ph"]
        if ph == "b":
            async_open[(e["cat"], e["id"])] = e["ts"]
        elif ph == "e":
            if async_open.pop((e["cat"], e["id"]), None) is None:
                errors.append(f"async end without begin: {e}")
        elif ph == "s":
            flows[(e["cat"], e["name"], e["id"])] = e
            if not enclosing(e["tid"], e["ts"]):
                errors.append(f"flow start binds to no slice: {e}")
        elif ph == "f":
            s = flows.pop((e["cat"], e["name"], e["id"]), None)
            if s is None:
                errors.append(f"flow finish without start: {e}")
            elif e["ts"] < s["ts"]:
                errors.append(f"flow finishes before it starts: {s} -> {e}")
            if not enclosing(e["tid"], e["ts"]):
                errors.append(f"flow finish binds to no slice: {e}")
    errors += [f"async begin never ended: {k}" for k in async_open]
    errors += [f"flow never finished: {k}" for k in flows]
    for x in errors[:20]:
        print(x)
    n_x = sum(len(v) for v in slices.values())
    print(f"{sys.argv[1]}: {len(evs)} events, {n_x} slices on {len(slices)} tracks, {len(errors)} problems")
    sys.exit(1 if errors else 0)


main()

#!/usr/bin/env python3
"""wt_run.py: runs Wine's conformance tests against fakewin and counts
(tests/winetests/README.md).

    wt_run.py --personality windows|wine8 --source WINE_SRC [--seeds N]
              [--baseline FILE [--update-baseline]] [--out REPORT] PROGRAM...

Each PROGRAM is a wt_<file> built by tests/winetests/CMakeLists.txt; every
entry it lists runs in its own fake world, once per seed (IOCPSIM_SEED).
The harness prints one line per check (wt_harness.c).  A check site is a
file:line of the test file:
  failed   - it failed in some run;
  passed   - it passed in every run that reached it (with wine8, a failure
             inside an active todo_wine counts as passed, as Wine counts it);
  not run  - no run reached it, and it lies in an entry that a stub (an API
             fakewin does not have) or the world's end cut short;
  skipped  - only skip/win_skip reached it.
Sites in entries that ran to the end but were never reached (other
branches) are not counted.  The pass rate is passed / (passed + failed).

With --baseline, a site the baseline lists as passed that does not pass now
fails the run (exit 1): the rate can only rise.  --update-baseline rewrites
the file with the sites that pass now."""
import argparse
import concurrent.futures
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wt_extract  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
PATHS = {"pipe": "kernel32/tests/pipe.c", "sock": "ws2_32/tests/sock.c",
         "file": "kernel32/tests/file.c"}


def entry_functions(name):
    """{entry: test function} from wt_<name>.c's ENTRY(...) lines."""
    res = {}
    with open(os.path.join(HERE, "wt_%s.c" % name)) as f:
        text = f.read()
    for m in re.finditer(r"^ENTRY\((\w+)(?:,\s*(\w+))?", text, re.M):
        res[m.group(1)] = m.group(2) or "test_" + m.group(1)
    return res


def static_sites(src_path, funcs):
    """{function: set of lines} the check sites each function reaches: lines
    with ok(...) in it or in the helpers it calls, and lines calling a macro
    that passes __LINE__ on (a helper reporting at its caller's line)."""
    with open(src_path, encoding="utf-8", errors="replace") as f:
        its = wt_extract.items(f.read())
    defs = wt_extract.index(its)
    line_macros = set()
    for kind, _, raw, clean in its:
        if kind == "pp" and "__LINE__" in "\n".join(raw):
            m = re.match(r"\s*#\s*define\s+(\w+)\s*\(", clean[0])
            if m:
                line_macros.add(m.group(1))
    pattern = re.compile(r"\b(ok|%s)\s*\(" % "|".join(sorted(line_macros) or ["ok"]))
    res = {}
    for fn in funcs:
        lines = set()
        for k in wt_extract.reach(its, defs, [fn]):
            kind, first, _, clean = its[k]
            if kind != "func":
                continue
            for i, line in enumerate(clean):
                if pattern.search(line):
                    lines.add(first + 1 + i)
        res[fn] = lines
    return res


def run_one(prog, entry, seed, personality):
    env = dict(os.environ, IOCPSIM_SEED=str(seed), IOCPSIM_PERSONALITY=personality)
    env.pop("IOCPSIM_TRACE", None)
    try:
        p = subprocess.run([prog, entry], env=env, capture_output=True, timeout=120)
        out, err, code = p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace")
        err, code = "timeout after 120 s", -1
    return prog, entry, seed, out, err, code


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--personality", default="windows")
    ap.add_argument("--source", required=True)
    ap.add_argument("--seeds", type=int, default=int(os.environ.get("WT_SEEDS", "10")))
    ap.add_argument("--jobs", type=int, default=int(os.environ.get("WT_JOBS", "2")))
    ap.add_argument("--baseline")
    ap.add_argument("--update-baseline", action="store_true")
    ap.add_argument("--out")
    ap.add_argument("--reviewed", help="the reviewed list of failing sites (file:line reason)")
    ap.add_argument("programs", nargs="+")
    a = ap.parse_args()

    jobs = []
    statics = {}  # (file, entry) -> set of "file:line"
    for prog in a.programs:
        name = os.path.basename(prog)[3:]
        fname = os.path.basename(PATHS[name])
        listing = subprocess.run([prog, "--list"], capture_output=True, check=True,
                                 env=dict(os.environ, IOCPSIM_PERSONALITY=a.personality))
        entries = listing.stdout.decode().split()
        funcs = entry_functions(name)
        per_fn = static_sites(os.path.join(a.source, "dlls", PATHS[name]), set(funcs.values()))
        for e in entries:
            statics[(prog, e)] = set("%s:%d" % (fname, l) for l in per_fn.get(funcs.get(e), ()))
            for s in range(a.seeds):
                jobs.append((prog, e, s))

    passed, failed, todo, skipped = {}, {}, {}, {}
    first_msg = {}
    cut = {}  # (prog, entry) -> [reason per seed]
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as ex:
        results = list(ex.map(lambda j: run_one(*j, a.personality), jobs))
    for prog, entry, seed, out, err, code in results:
        ended = False
        reason = None
        for line in out.splitlines():
            kind, _, rest = line.partition(" ")
            site, _, msg = rest.partition(" ")
            if kind == "P":
                passed[site] = passed.get(site, 0) + 1
            elif kind == "T":
                todo[site] = todo.get(site, 0) + 1
            elif kind == "F":
                failed[site] = failed.get(site, 0) + 1
                first_msg.setdefault(site, "%s seed %d: %s" % (entry, seed, msg))
            elif kind == "S":
                skipped[site] = skipped.get(site, 0) + 1
            elif kind == "N":
                api, _, where = rest.partition(" ")
                reason = "stub %s (called at %s)" % (api, where)
            elif kind == "E":
                ended = True
        if not ended:
            if reason is None:
                last = err.strip().splitlines()[-1:] or ["no output"]
                reason = "world ended, status %d: %s" % (code, last[0][:200])
            cut.setdefault((prog, entry), []).append("seed %d: %s" % (seed, reason))

    ran = set(passed) | set(failed) | set(todo)
    s_failed = set(failed)
    s_passed = (set(passed) | set(todo)) - s_failed
    s_notrun = set()
    for key in cut:
        s_notrun |= statics.get(key, set()) - ran - set(skipped)
    s_skipped = set(skipped) - ran - s_notrun
    n_pass = sum(passed.values()) + sum(todo.values())
    n_fail = sum(failed.values())
    counted = len(s_passed) + len(s_failed)
    rate = 100.0 * len(s_passed) / counted if counted else 0.0
    total = counted + len(s_notrun)
    nr_rate = 100.0 * len(s_notrun) / total if total else 0.0

    summary = [
        "%s: %d entries x %d seeds; checks: %d passed, %d failed, %d not run (sites); %d skips"
        % (a.personality, len(statics), a.seeds, n_pass, n_fail, len(s_notrun), sum(skipped.values())),
        "%s: check sites: %d passed, %d failed, %d not run, %d only skipped; "
        "pass rate %.1f%% of the sites that ran, not run %.1f%% of the sites"
        % (a.personality, len(s_passed), len(s_failed), len(s_notrun), len(s_skipped), rate, nr_rate)]
    for line in summary:
        print("winetests " + line)

    report = list(summary)
    report.append("# winetests report, personality %s, %d seeds" % (a.personality, a.seeds))
    report.append("## entries cut short")
    for (prog, entry), rs in sorted(cut.items()):
        n = len(statics.get((prog, entry), set()) & s_notrun)
        report.append("%s %s: %d sites not run; %s" % (os.path.basename(prog), entry, n, rs[0]))
    report.append("## failed sites (first failure)")
    key = lambda s: (s.split(":")[0], int(s.split(":")[1]))
    for s in sorted(s_failed, key=key):
        report.append("%s: %s" % (s, first_msg[s]))
    report.append("## not run sites")
    for s in sorted(s_notrun, key=key):
        report.append(s)
    if a.out:
        with open(a.out, "w") as f:
            f.write("\n".join(report) + "\n")
        print("winetests %s: report in %s" % (a.personality, a.out))

    status = 0
    if a.baseline:
        if a.update_baseline:
            with open(a.baseline, "w") as f:
                f.write("# Check sites that pass (tests/winetests/README.md); "
                        "written by wt_run.py --update-baseline.\n")
                for s in sorted(s_passed, key=key):
                    f.write(s + "\n")
            print("winetests %s: baseline %s updated (%d sites)" % (a.personality, a.baseline, len(s_passed)))
        else:
            base = set()
            if os.path.exists(a.baseline):
                with open(a.baseline) as f:
                    base = set(l.strip() for l in f if l.strip() and not l.startswith("#"))
            lost = sorted(base - s_passed, key=key)
            new = s_passed - base
            for s in lost:
                why = first_msg.get(s) or ("not run" if s in s_notrun else "not reached")
                print("REGRESSION %s: %s" % (s, why))
            if lost:
                status = 1
            if new:
                print("winetests %s: %d sites pass that the baseline does not list "
                      "(wt_run.py --update-baseline to raise it)" % (a.personality, len(new)))
    if a.reviewed:
        listed = {}
        with open(a.reviewed) as f:
            for l in f:
                l = l.strip()
                if l and not l.startswith("#"):
                    site, _, why = l.partition(" ")
                    listed[site] = why
        unlisted = sorted(s_failed - set(listed), key=key)
        for s in unlisted:
            print("UNREVIEWED failure %s: %s" % (s, first_msg[s]))
        fixed = sorted(set(listed) - s_failed, key=key)
        if fixed:
            print("winetests %s: %d sites listed in %s no longer fail: %s"
                  % (a.personality, len(fixed), os.path.basename(a.reviewed), " ".join(fixed)))
        if unlisted:
            status = 1
    return status


sys.exit(main())

"""Validates JSONL traces against docs/trace.schema.json, line by line, and
the rules a schema cannot state across lines (docs/trace.md): event numbers
1, 2, ... without gaps, virtual time that never goes back, every
IoCompletion naming an earlier IoRequest, no request completed twice, and
each scenario step's return after its invoke on the same fiber.

usage: validate_trace.py SCHEMA TRACE.jsonl...   (exit 0: all valid)"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("validate_trace: Python's jsonschema module is missing: run scripts/setup "
             "(it installs Debian's python3-jsonschema)")


def check(schema, path):
    validator = jsonschema.Draft202012Validator(schema)
    errors = []
    requests, completed, open_steps = set(), set(), {}
    last_t, n = 0, 0
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                ev = json.loads(line)
            except json.JSONDecodeError as e:
                errors.append(f"{path}:{n}: not JSON: {e}")
                continue
            for e in validator.iter_errors(ev):
                errors.append(f"{path}:{n}: {e.message} (at {'/'.join(map(str, e.absolute_path)) or 'the line'})")
            if not isinstance(ev, dict):
                continue
            if ev.get("i") != n:
                errors.append(f"{path}:{n}: event number {ev.get('i')}, expected {n}")
            t = ev.get("t", 0)
            if isinstance(t, int):
                if t < last_t:
                    errors.append(f"{path}:{n}: virtual time goes back from {last_t} to {t}")
                last_t = max(last_t, t)
            call = ev.get("call")
            if call == "IoRequest":
                if ev["ret"] in requests:
                    errors.append(f"{path}:{n}: request {ev['ret']} made twice")
                requests.add(ev["ret"])
            elif call == "IoCompletion":
                if ev["ret"] not in requests:
                    errors.append(f"{path}:{n}: completion of request {ev['ret']}, which no IoRequest made")
                if ev["ret"] in completed:
                    errors.append(f"{path}:{n}: request {ev['ret']} completed twice")
                completed.add(ev["ret"])
            elif isinstance(call, str) and call.startswith("scn."):
                key = ev["f"]
                if ev["args"]["phase"] == 0:
                    if key in open_steps:
                        errors.append(f"{path}:{n}: a step invoked on fiber {key} while line {open_steps[key]} is open")
                    open_steps[key] = ev["args"]["line"]
                else:
                    if open_steps.get(key) != ev["args"]["line"]:
                        errors.append(f"{path}:{n}: return of line {ev['args']['line']} on fiber {key} without its invoke")
                    open_steps.pop(key, None)
    if n == 0:
        errors.append(f"{path}: empty trace")
    return n, errors


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    bad = 0
    for path in sys.argv[2:]:
        n, errors = check(schema, path)
        for e in errors[:20]:
            print(e)
        if errors:
            bad += 1
            print(f"{path}: {len(errors)} errors in {n} events")
        else:
            print(f"{path}: {n} events valid")
    sys.exit(1 if bad else 0)


main()

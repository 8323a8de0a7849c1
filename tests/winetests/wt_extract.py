#!/usr/bin/env python3
"""wt_extract.py SRC OUT FUNC...: the part of one of Wine's test files that the
selected test functions need, written to OUT with #line markers so every
check keeps the test file's own line (tests/winetests/README.md).

The source is not edited: OUT is the file's top-level items, in their order,
minus the function definitions and variable definitions that no selected
function reaches.  Preprocessor lines, type definitions and prototypes are
all kept.  Items are found with Wine's layout (a top-level item ends at a
depth-0 ';' or at the '}' that closes its body); comments, strings and
character literals are skipped while counting."""
import re
import sys

IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def strip(text):
    """The text with comments, strings and char literals blanked (same length)."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            j = min(j + 1, n)
            out.append(c + re.sub(r"[^\n]", " ", text[i + 1:j - 1]) + c if j - i >= 2 else text[i:j])
            i = j
        else:
            out.append(c)
            i += 1
    return "".join(out)


def items(text):
    """[(kind, first_line, raw_text, stripped_text)] of the file's top-level items."""
    raw = text.split("\n")
    clean = strip(text).split("\n")
    res = []
    i = 0
    while i < len(raw):
        s = clean[i].strip()
        if not s:
            i += 1
            continue
        if s.startswith("#"):
            j = i
            while raw[j].rstrip().endswith("\\") and j + 1 < len(raw):
                j += 1
            res.append(("pp", i, raw[i:j + 1], clean[i:j + 1]))
            i = j + 1
            continue
        depth = 0
        paren = 0
        j = i
        kind = None
        while j < len(raw):
            for ch in clean[j]:
                if ch == "(":
                    paren += 1
                elif ch == ")":
                    paren -= 1
                elif ch == "{":
                    if depth == 0 and paren == 0 and kind is None:
                        kind = "body"
                    depth += 1
                elif ch == "}":
                    depth -= 1
                elif ch == ";" and depth == 0 and paren == 0:
                    kind = kind or "decl"
            line = clean[j].strip()
            if depth == 0 and paren == 0 and (line.endswith(";") or (kind == "body" and line.endswith("}"))):
                break
            j += 1
        body = "\n".join(clean[i:j + 1])
        if kind == "body":
            head = body[:body.index("{")]
            if re.match(r"\s*(typedef\s+)?(static\s+)?(const\s+)?(struct|union|enum)\b", head) or "=" in head:
                kind = "type" if "=" not in head else "decl"
            else:
                kind = "func"
        res.append((kind, i, raw[i:j + 1], clean[i:j + 1]))
        i = j + 1
    return res


def func_name(clean):
    head = "\n".join(clean)
    head = head[:head.index("{")]
    head = head[:head.index("(")] if "(" in head else head
    names = IDENT.findall(head)
    return names[-1] if names else None


def decl_names(clean):
    text = "\n".join(clean)
    names = set(m.group(1) for m in re.finditer(r"\*\s*([A-Za-z_]\w*)\s*\)\s*\(", text))
    if names:
        return names
    flat = re.sub(r"\{[^{}]*\}", "", text)
    while re.search(r"\{[^{}]*\}", flat):
        flat = re.sub(r"\{[^{}]*\}", "", flat)
    flat = re.sub(r"=[^,;]*", "", flat)
    for m in re.finditer(r"([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)*[,;]", flat):
        names.add(m.group(1))
    return names


def index(its):
    """{name: [item index]} of the functions, variables and macros the items define."""
    defs = {}
    for k, (kind, _, _, clean) in enumerate(its):
        if kind == "func":
            defs.setdefault(func_name(clean), []).append(k)
        elif kind == "decl" and re.search(r"\(\s*(WINAPI|CALLBACK)?\s*\*", clean[0]):
            for n in decl_names(clean):
                defs.setdefault(n, []).append(k)
        elif kind == "decl" and not re.match(r"\s*(typedef|extern)\b", clean[0]) and "(" not in "".join(clean).split("=")[0]:
            for n in decl_names(clean):
                defs.setdefault(n, []).append(k)
        elif kind == "pp":
            m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)", clean[0])
            if m:
                defs.setdefault(m.group(1), []).append(k)
    return defs


def reach(its, defs, wanted):
    """The items the wanted names reach, transitively."""
    keep = set()
    todo = [k for w in wanted for k in defs.get(w, [])]
    while todo:
        k = todo.pop()
        if k in keep:
            continue
        keep.add(k)
        for ident in set(IDENT.findall("\n".join(its[k][3]))):
            for d in defs.get(ident, []):
                if d not in keep:
                    todo.append(d)
    return keep


def main():
    src, out, wanted = sys.argv[1], sys.argv[2], sys.argv[3:]
    with open(src, encoding="utf-8", errors="replace") as f:
        its = items(f.read())
    defs = index(its)
    missing = [w for w in wanted if w not in defs]
    if missing:
        sys.exit("wt_extract: %s: no definition of %s" % (src, " ".join(missing)))
    keep = reach(its, defs, wanted)
    skipped = set(k for ks in defs.values() for k in ks if its[k][0] != "pp")
    with open(out, "w") as f:
        f.write("/* Generated by tests/winetests/wt_extract.py from %s; do not edit. */\n" % src)
        for k, (kind, first, raw, _) in enumerate(its):
            if k in skipped and k not in keep:
                continue
            f.write('#line %d "%s"\n' % (first + 1, src.split("/")[-1]))
            f.write("\n".join(raw) + "\n")


if __name__ == "__main__":
    main()

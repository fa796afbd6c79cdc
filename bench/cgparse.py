#!/usr/bin/env python3
"""Reads a callgrind output file (one event: Ir) and prints, for each function
name given, its inclusive cost and how many times it was called.

    cgparse.py callgrind.out FUNC [FUNC...]     -> JSON on stdout
    {"total": N, "functions": {"FUNC": {"inclusive": N, "calls": N}}}

Inclusive cost = the function's own cost lines + the cost of every call it
makes (the line after each calls=).  Costs of all contexts of a function
(several files, several objects) are summed; the functions measured here are
not recursive, so nothing is counted twice.
"""
import json
import re
import sys

NAME_RE = re.compile(r"^\((\d+)\)(?:\s+(.*))?$")


def parse(path, wanted):
    names = {}          # compressed id -> name, for fn/cfn
    incl = {w: 0 for w in wanted}
    calls = {w: 0 for w in wanted}
    total = 0
    summary = None
    fn = None
    pending_call = None  # callee name of the calls= line just read
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            c = line[0]
            if c.isdigit() or c in "+-*":
                parts = line.split()
                cost = int(parts[1]) if len(parts) > 1 else 0
                if pending_call is not None:
                    if fn in incl:
                        incl[fn] += cost
                    if pending_call in calls:
                        calls[pending_call] += pending_count
                    pending_call = None
                else:
                    total += cost
                    if fn in incl:
                        incl[fn] += cost
                continue
            key, _, val = line.partition("=")
            if key in ("fn", "cfn", "cfi", "cfl", "fi", "fe", "fl", "ob", "cob"):
                name = val
                m = NAME_RE.match(val)
                if m:
                    if m.group(2) is not None:
                        names[(key in ("fn", "cfn"), m.group(1))] = m.group(2)
                        name = m.group(2)
                    else:
                        name = names.get((key in ("fn", "cfn"), m.group(1)), val)
                if key == "fn":
                    fn = name
                elif key == "cfn":
                    callee = name
            elif key == "calls":
                pending_count = int(val.split()[0])
                pending_call = callee
            elif key in ("summary", "totals"):
                summary = int(val.split()[0])
    return {"total": summary if summary is not None else total,
            "functions": {w: {"inclusive": incl[w], "calls": calls[w]} for w in wanted}}


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    print(json.dumps(parse(sys.argv[1], sys.argv[2:]), indent=1))

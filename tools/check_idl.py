#!/usr/bin/env python3
"""Check plugin/idl/ms-dhcpm.idl: on its own, against plugin/semantics/dhcpsrv-opnums.h, and against the vectors.

    tools/check_idl.py [--idl FILE] [--vectors DIR]

1. Internal consistency: every type used is declared; size_is/length_is/switch_is name a sibling member
   (or parameter); union case labels are values of the union's switch_type (or #defines for a ULONG
   switch); enums have unique values; ws_ annotations are known and well formed.
2. The methods: both interfaces, every opnum once and in order, names exactly as plugin/semantics/dhcpsrv-opnums.h.
3. The vectors (when DIR, default <repo>/../shared/vectors, exists): for every frame of dhcpm-ndr.json and
   dhcpm-ndr64.json, every parameter name of `values` is a parameter of that method in the right
   direction, and every leaf path resolves through the description (same names, same nesting) to a member
   whose type fits the leaf's kind (ipv4 -> DHCP_IP_ADDRESS/MASK or ws_display(ipv4*), string -> a
   string, count -> a size_is target, enum -> an enum or a switch_is discriminant, bool -> BOOL, bytes ->
   a byte array, int/reserved -> an integer).
Prints every problem and exits 1 when there is any.
"""

import argparse
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from idl_subset import BASE_TYPES, parse  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KNOWN_ATTRS = {
    "in", "out", "ref", "unique", "ptr", "string", "size_is", "length_is", "switch_is", "switch_type",
    "range", "case", "default", "v1_enum",
    "ws_name", "ws_display", "ws_info", "ws_switch_mask", "ws_blob", "ws_api_extension",
}
DISPLAYS = {"ipv4", "ipv4_mask", "hex", "dec", "date", "ipv6", "bool", "bytes"}
INT_BASES = {b for b, (k, _) in BASE_TYPES.items() if k == "int"}


# Leaves whose kind in the vectors is not what the spec says the member is (docs/description.md,
# "Disagreements"): the value still compares (an ipv4 leaf also carries the integer).
KIND_EXCEPTIONS = {
    # DHCP_SUBNET_INFO_V6.ScopeId: 2.2.1.2.? says a DWORD identifier of the IPv6 prefix, not an IPv4 address.
    ("ipv4", "ScopeId"),
}


class _ParamsAsType:
    """A method's parameters seen as the members of one structure (for size_is/switch_is lookups)."""
    def __init__(self, method):
        self.members = method.params
        self.kind = "struct"
        self.name = method.name


class Checker:
    def __init__(self, idl):
        self.idl = idl
        self.problems = []

    def problem(self, where, text):
        self.problems.append(f"{where}: {text}")

    # -- type helpers --
    def resolve(self, name):
        return self.idl.resolve(name)

    def declared(self, name):
        target, _ = self.resolve(name)
        return target in self.idl.types or target in BASE_TYPES

    def type_of(self, name):
        target, _ = self.resolve(name)
        return self.idl.types.get(target)

    def base_of(self, name):
        """The base type behind scalar typedefs (DHCP_IP_ADDRESS -> DWORD), or None."""
        target, _ = self.resolve(name)
        if target in BASE_TYPES:
            return target
        typ = self.idl.types.get(target)
        if typ and typ.kind == "scalar":
            return self.base_of(typ.base)
        return None

    def display_of(self, member):
        if "ws_display" in member.attrs:
            return member.attrs["ws_display"]
        target, _ = self.resolve(member.type)
        while True:
            typ = self.idl.types.get(target)
            if not typ:
                return None
            if "ws_display" in typ.attrs:
                return typ.attrs["ws_display"]
            if typ.kind != "scalar":
                return None
            target, _ = self.resolve(typ.base)

    # -- 1. internal consistency --
    def check_attrs(self, where, attrs):
        for a, arg in attrs.items():
            if a not in KNOWN_ATTRS:
                self.problem(where, f"unknown attribute {a}")
            if a == "ws_display" and arg not in DISPLAYS:
                self.problem(where, f"ws_display({arg}) is not one of {sorted(DISPLAYS)}")
            if a == "ws_name" and not re.fullmatch(r'"[a-z0-9_.]+"', arg):
                self.problem(where, f"ws_name({arg}) must be a quoted lowercase_with_underscores name")
            if a == "ws_api_extension" and arg not in ("in", "out"):
                self.problem(where, f"ws_api_extension({arg}) must be in or out")

    def check_types(self):
        for typ in self.idl.types.values():
            where = f"{typ.name} (line {typ.line})"
            self.check_attrs(where, typ.attrs)
            if typ.kind == "scalar" and not self.declared(typ.base):
                self.problem(where, f"base type {typ.base} not declared")
            if typ.kind == "enum" and len(set(typ.values.values())) != len(typ.values):
                self.problem(where, "two enum names share a value")
            if typ.kind == "struct":
                self.check_struct(typ, where)
            if typ.kind == "union":
                self.check_union(typ, where)

    def check_struct(self, typ, where):
        names = {m.name for m in typ.members}
        for m in typ.members:
            mw = f"{typ.name}.{m.name} (line {m.line})"
            self.check_attrs(mw, m.attrs)
            if not self.declared(m.type):
                self.problem(mw, f"type {m.type} not declared")
            for a in ("size_is", "length_is", "switch_is"):
                if a in m.attrs:
                    ref = m.attrs[a].strip().lstrip(",").strip()
                    if ref not in names:
                        self.problem(mw, f"{a}({ref}) is not a member of {typ.name}")
            if "switch_is" in m.attrs:
                u = self.type_of(m.type)
                if not u or u.kind != "union":
                    self.problem(mw, "switch_is on a member that is not a union")
            elif self.type_of(m.type) and self.type_of(m.type).kind == "union":
                self.problem(mw, "union member without switch_is")
            if m.array and not (m.array.isdigit() or m.array in self.idl.defines):
                self.problem(mw, f"array size {m.array} is neither a literal nor a #define")
            if "ws_switch_mask" in m.attrs and "switch_is" not in m.attrs:
                self.problem(mw, "ws_switch_mask without switch_is")

    def check_union(self, typ, where):
        st = typ.attrs.get("switch_type")
        if not st:
            self.problem(where, "union without switch_type")
            return
        enum = self.type_of(st)
        seen = set()
        for m in typ.members:
            mw = f"{typ.name}.{m.name} (line {m.line})"
            self.check_attrs(mw, m.attrs)
            if m.type and not self.declared(m.type):
                self.problem(mw, f"type {m.type} not declared")
            for label in m.cases:
                if label == "default":
                    value = "default"
                elif label.isdigit():
                    value = int(label)
                elif enum and enum.kind == "enum" and label in enum.values:
                    value = enum.values[label]
                elif label in self.idl.defines and self.base_of(st) in INT_BASES:
                    value = self.idl.defines[label]
                else:
                    self.problem(mw, f"case({label}) is not a value of {st}")
                    continue
                if value in seen:
                    self.problem(mw, f"case {label} given twice")
                seen.add(value)

    # -- 2. methods against plugin/semantics/dhcpsrv-opnums.h --
    def check_methods(self, opnums_h):
        text = open(opnums_h, encoding="utf-8").read()
        want = {}
        for block in re.finditer(r"#define\s+(\w+)\(X\)(.*?)(?:\n\s*\n|\Z)", text, re.S):
            pairs = re.findall(r"X\(\s*(\d+)\s*,\s*(\w+)\s*\)", block.group(2))
            if pairs:
                want[block.group(1)] = [(int(o), n) for o, n in pairs]
        by_count = {len(v): v for v in want.values()}
        for name, count in (("dhcpsrv", 51), ("dhcpsrv2", 133)):
            iface = self.idl.interfaces.get(name)
            if not iface:
                self.problem(name, "interface missing")
                continue
            expected = by_count.get(count)
            if expected is None:
                self.problem(opnums_h, f"no X-macro list of {count} methods found")
                continue
            got = [(m.opnum, m.name) for m in iface.methods]
            if got != expected:
                for i, (g, e) in enumerate(zip(got, expected)):
                    if g != e:
                        self.problem(name, f"method {i}: description has {g}, dhcpsrv-opnums.h has {e}")
                        break
                if len(got) != len(expected):
                    self.problem(name, f"{len(got)} methods, dhcpsrv-opnums.h has {len(expected)}")
            uuid = iface.attrs.get("uuid", "").replace(" ", "")
            if not uuid:
                self.problem(name, "no uuid")
            for m in iface.methods:
                mw = f"{name}.{m.name} (line {m.line})"
                pnames = {p.name for p in m.params}
                for p in m.params:
                    pw = f"{mw} {p.name}"
                    self.check_attrs(pw, p.attrs)
                    if not ("in" in p.attrs or "out" in p.attrs):
                        self.problem(pw, "parameter without [in] or [out]")
                    if not self.declared(p.type):
                        self.problem(pw, f"type {p.type} not declared")
                    if "size_is" in p.attrs and p.attrs["size_is"].strip() not in pnames:
                        self.problem(pw, f"size_is({p.attrs['size_is']}) is not a parameter")

    # -- 3. the vectors --
    def method(self, iface, opnum):
        i = self.idl.interfaces.get(iface)
        for m in (i.methods if i else []):
            if m.opnum == opnum:
                return m
        return None

    def walk(self, container_type, names, where):
        """Follow member names from a (struct/union) type; return the last Member and its parent type."""
        member, parent = None, None
        typ = container_type
        for n in names:
            if typ is None or typ.kind not in ("struct", "union"):
                return None, None, f"{where}: cannot go into {n!r}: {member.type if member else '?'} has no members"
            hit = [m for m in typ.members if m.name == n]
            if not hit:
                return None, None, f"{where}: {typ.name} has no member {n!r} (has {[m.name for m in typ.members if m.name]})"
            member, parent = hit[0], typ
            typ = self.type_of(member.type)
        return member, parent, None

    def kind_fits(self, kind, member, parent):
        base = self.base_of(member.type)
        target, lp = self.resolve(member.type)
        disp = self.display_of(member) or ""
        is_string = base in ("LPWSTR", "DHCP_SRV_HANDLE") or (base in ("WCHAR", "wchar_t") and (member.stars or lp))
        if kind == "ipv4":
            return disp.startswith("ipv4")
        if kind == "string":
            return is_string
        if kind == "bool":
            return base == "BOOL"
        if kind == "bytes":
            return base in ("BYTE", "LPBYTE") and (member.stars or lp or member.array or base == "LPBYTE")
        if kind == "enum":
            t = self.type_of(member.type)
            switch = parent is not None and any(m.attrs.get("switch_is") == member.name for m in parent.members)
            return (t is not None and t.kind == "enum") or switch
        if kind == "count":
            sized = parent is not None and any(
                m.attrs.get("size_is", "").strip().lstrip(",").strip() == member.name for m in parent.members)
            return sized and base in INT_BASES
        if kind in ("int", "reserved"):
            return base in INT_BASES or base in ("LPDWORD",) or disp == "date"
        return False

    def check_vectors(self, vectors_dir):
        files = [f for f in ("dhcpm-ndr.json", "dhcpm-ndr64.json") if os.path.exists(os.path.join(vectors_dir, f))]
        if not files:
            print(f"vectors: {vectors_dir} absent, skipped")
            return 0
        leaves = 0
        for f in files:
            data = json.load(open(os.path.join(vectors_dir, f), encoding="utf-8"))
            for num, fr in data["frames"].items():
                where = f"{f} frame {num} {fr['method']} {fr['direction']}"
                m = self.method(fr["interface"], fr["opnum"])
                if m is None or m.name != fr["method"]:
                    self.problem(where, f"description has {m.name if m else None} at {fr['interface']} opnum {fr['opnum']}")
                    continue
                direction = "in" if fr["direction"] == "request" else "out"
                params = {p.name: p for p in m.params}
                for pname in fr["values"]:
                    if pname == "Return":
                        continue
                    p = params.get(pname)
                    if p is None:
                        self.problem(where, f"parameter {pname} not in the description")
                    elif direction not in p.attrs and not self.sizes_out_param(m, pname):
                        self.problem(where, f"parameter {pname} is not [{direction}] in the description")
                for leaf in fr["leaves"]:
                    leaves += 1
                    self.check_leaf(where, m, params, leaf)
        print(f"vectors: {leaves} leaves checked in {len(files)} files")
        return leaves

    @staticmethod
    def sizes_out_param(method, pname):
        """The vectors list an [in] size (UnameSize) among a response's values when it sizes an [out]
        array of that response (R_DhcpQueryDnsRegCredentials): it is not on the wire there."""
        return any(p.attrs.get("size_is", "").strip() == pname and "out" in p.attrs for p in method.params)

    def check_leaf(self, where, method, params, leaf):
        path = leaf["path"]
        names = [re.sub(r"\[\d+\]$", "", n) for n in path.split(".")]
        w = f"{where} leaf {path}"
        if names == ["Return"]:
            return
        p = params.get(names[0])
        if p is None:
            self.problem(w, f"no parameter {names[0]}")
            return
        if len(names) == 1:
            member, parent = p, _ParamsAsType(method)
        else:
            member, parent, err = self.walk(self.type_of(p.type), names[1:], w)
            if err:
                self.problem(w, err)
                return
        if (leaf["kind"], names[-1]) in KIND_EXCEPTIONS:
            return
        if not self.kind_fits(leaf["kind"], member, parent):
            self.problem(w, f"kind {leaf['kind']} does not fit {member.type} {member.name} "
                            f"(display {self.display_of(member)})")


def check_spec_refs(text, checker):
    """Every typedef is preceded by a `spec:` comment, every `/* Opnum N */` is followed by
    `/* spec: 3.1.4.(N+1) */` (dhcpsrv) or `3.2.4.(N+1)` (dhcpsrv2).  Returns how many typedef
    references still lack their section number (written 2.2.1.x.?)."""
    lines = text.split("\n")
    iface, unnumbered = None, 0
    for i, line in enumerate(lines):
        m = re.match(r"interface (\w+)", line)
        if m:
            iface = m.group(1)
        if line.startswith("typedef"):
            j = i - 1
            block = []
            while j >= 0 and (lines[j].startswith(("/*", " *")) or lines[j].rstrip().endswith("*/")):
                block.insert(0, lines[j])
                j -= 1
            ref = next((b for b in block if "spec:" in b), None)
            if ref is None:
                checker.problem(f"line {i + 1}", f"no spec: reference before {line.strip()[:60]}")
            elif re.search(r"spec: 2\.2\.1\.[12]\.\?", ref):
                unnumbered += 1
        m = re.match(r"/\* Opnum (\d+) \*/$", line)
        if m:
            sect = "3.1.4." if iface == "dhcpsrv" else "3.2.4."
            want = f"/* spec: {sect}{int(m.group(1)) + 1} */"
            if i + 1 >= len(lines) or lines[i + 1].strip() != want:
                checker.problem(f"line {i + 2}", f"expected {want} after the Opnum comment")
    return unnumbered


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--idl", default=os.path.join(REPO, "plugin", "idl", "ms-dhcpm.idl"))
    ap.add_argument("--opnums", default=os.path.join(REPO, "plugin", "semantics", "dhcpsrv-opnums.h"))
    ap.add_argument("--vectors", default=os.environ.get("DHCPSRV2_VECTORS_DIR",
                                                        os.path.join(REPO, "..", "shared", "vectors")))
    args = ap.parse_args()
    idl = parse(open(args.idl, encoding="utf-8").read())
    c = Checker(idl)
    c.check_types()
    c.check_methods(args.opnums)
    c.check_vectors(args.vectors)
    unnumbered = check_spec_refs(open(args.idl, encoding="utf-8").read(), c)
    print(f"spec references: {unnumbered} typedef(s) cite their 2.2.1.x page by name only (number to fill in)")
    kinds = {}
    for t in idl.types.values():
        kinds[t.kind] = kinds.get(t.kind, 0) + 1
    print(f"description: {kinds}, methods {({n: len(i.methods) for n, i in idl.interfaces.items()})}")
    for p in c.problems:
        print("PROBLEM", p)
    print(f"{len(c.problems)} problem(s)")
    return 1 if c.problems else 0


if __name__ == "__main__":
    sys.exit(main())

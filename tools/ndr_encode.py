#!/usr/bin/env python3
"""An NDR 2.0 / NDR64 encoder driven by plugin/idl/ms-dhcpm.idl (our own encoder side: fuzz seeds, stubs).

    from idl_subset import parse
    from ndr_encode import Values, Marshal
    vals = Values(idl, seed=1).call("dhcpsrv2", 97)          # {"in": {...}, "out": {...}} value trees
    req = Marshal(idl, ndr64=False).stub(method, "in", vals["in"])

Values(...) fills every parameter with deterministic pseudo-random values (NULL pointers, empty and
non-empty arrays, every union arm over the variants).  Marshal(...) encodes a value tree; the trees have the
shape of the vectors' `values` (struct -> dict of members, union -> {"_switch": n, arm: value}, array ->
list, NULL -> None, string -> str, byte buffers -> hex), so `tools/check_encoder.py` can re-encode the
vectors' values and compare the bytes with go-msrpc's: the layout rules below are checked against an
independent encoder on all 640 frames.

Rules ([C706] 14, [MS-RPCE] 2.2.5): primitives aligned to their size; enums 2 bytes (NDR) / 4 (NDR64);
pointers are a 4/8-byte referent id (0 = NULL); an embedded pointer's pointee is deferred to the end of the
outermost construct, depth first; a parameter's pointer chain is marshalled in place, its first level being
[ref] (no wire form) unless [unique]; [string] = max count, offset, actual count (4/8 bytes each), the
characters and a NUL; a conformant array = max count, then the elements; structures are aligned to their
largest member and, in NDR64, padded at the end to it (2.2.5.3.4.1); non-encapsulated unions: NDR writes
the discriminant and the arm each at its own alignment, NDR64 aligns the union to the largest alignment of
discriminant and arms and the arm to the largest arm alignment (2.2.5.3.4.2).  ELEMENT_MASK
(ws_switch_mask) applies to the discriminant.  ws_api_extension parameters are left out (the spec's form)
unless api_extensions=True.
"""

import random
import struct

from idl_subset import BASE_TYPES

PRIM = {"BYTE": 1, "UCHAR": 1, "CHAR": 1, "char": 1, "WORD": 2, "USHORT": 2, "SHORT": 2, "short": 2,
        "DWORD": 4, "ULONG": 4, "LONG": 4, "INT": 4, "int": 4, "BOOL": 4, "ULONGLONG": 8, "DWORD64": 8,
        "INT64": 8, "wchar_t": 2, "WCHAR": 2}
STRINGS = {"LPWSTR", "DHCP_SRV_HANDLE"}
SIGNED = {"CHAR", "char", "SHORT", "short", "LONG", "INT", "int", "INT64"}
ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ0123456789-._"


def element_mask(v):
    return 0 if 5 <= v <= 7 else v


class Shape:
    """Type questions shared by the value generator and the marshaller."""

    def __init__(self, idl):
        self.idl = idl

    def resolve(self, name, stars=0):
        target, extra = self.idl.resolve(name)
        return target, stars + extra

    def typ(self, name):
        return self.idl.types.get(name)

    def base(self, name):
        """The base type behind scalar typedefs, or None for enums/structs/unions."""
        while True:
            if name in BASE_TYPES:
                return name
            t = self.typ(name)
            if t is None or t.kind != "scalar":
                return None
            name, _ = self.resolve(t.base)

    def kind(self, name):
        b = self.base(name)
        if b in STRINGS:
            return "string"
        if b == "LPBYTE":
            return "lpbyte"
        if b is not None:
            return "prim"
        return self.typ(name).kind

    def size_ref(self, attrs):
        return attrs["size_is"].strip().lstrip(",").strip() if "size_is" in attrs else None

    def case_value(self, union, arm):
        label = arm.cases[0]
        if label == "default":
            return None
        if label.isdigit():
            return int(label)
        if label in self.idl.defines:
            return self.idl.defines[label]
        return self.typ(self.resolve(union.attrs["switch_type"])[0]).values[label]

    def arm_for(self, union, value):
        for arm in union.members:
            for label in arm.cases:
                v = None if label == "default" else (
                    int(label) if label.isdigit() else self.idl.defines.get(label)
                    if label in self.idl.defines else
                    self.typ(self.resolve(union.attrs["switch_type"])[0]).values.get(label))
                if v == value:
                    return arm
        return next((a for a in union.members if "default" in a.cases), None)


# ------------------------------------------------------------------------------------------------------
class Values(Shape):
    def __init__(self, idl, seed=0, max_array=3):
        super().__init__(idl)
        self.rng = random.Random(seed)
        self.max_array = max_array
        self.variant = 0

    def text(self):
        return "".join(self.rng.choice(ALPHABET) for _ in range(self.rng.randint(1, 12)))

    def hexbytes(self, n):
        return bytes(self.rng.getrandbits(8) for _ in range(n)).hex()

    def integer(self, size):
        r = self.rng.random()
        if r < 0.15:
            return 0
        if r < 0.25:
            return (1 << (8 * size)) - 1
        return self.rng.getrandbits(8 * size)

    def null(self):
        return self.rng.random() < 0.15

    def of(self, name, stars=0, attrs=None, count=None, array=None):
        """A value for a member/parameter of type `name` with `stars` pointer levels."""
        attrs = attrs or {}
        target, stars = self.resolve(name, stars)
        k = self.kind(target)
        if array:
            n = int(array) if array.isdigit() else self.idl.defines[array]
            return self.hexbytes(self.rng.randint(0, 8)) if self.base(target) == "BYTE" else \
                [self.of(target) for _ in range(n)]
        if count is not None:                       # [size_is] pointer: an array of `count`
            if k == "lpbyte" or self.base(target) in ("BYTE",):
                return self.hexbytes(count)
            if self.base(target) in ("WCHAR", "wchar_t"):
                return "".join(self.rng.choice(ALPHABET) for _ in range(count))
            inner = stars - (0 if k in ("string", "lpbyte") else 1)
            return [self.of(target, inner) for _ in range(count)]
        if k == "string" or (self.base(target) in ("WCHAR", "wchar_t") and stars):
            return None if self.null() and "ref" not in attrs else self.text()
        if stars and self.null() and "ref" not in attrs:
            return None
        if k == "prim":
            b = self.base(target)
            if b == "BOOL":
                return bool(self.rng.getrandbits(1))
            v = self.integer(PRIM[b])
            if b in SIGNED and v >= 1 << (8 * PRIM[b] - 1):
                v -= 1 << (8 * PRIM[b])              # INT64, LONG, ...: a signed value
            return v
        if k == "enum":
            return self.rng.choice(list(self.typ(target).values.values()))
        if k == "struct":
            return self.struct(self.typ(target))
        raise ValueError(f"no value for {name}")

    def struct(self, t):
        counts, out = {}, {}
        for m in t.members:
            ref = self.size_ref(m.attrs)
            if ref:
                counts[ref] = self.rng.randint(0, self.max_array)
        for m in t.members:
            if m.name in counts:
                out[m.name] = counts[m.name]
            elif "switch_is" in m.attrs:
                union = self.typ(self.resolve(m.type)[0])
                arms = union.members
                arm = arms[(self.variant + self.rng.randint(0, 0)) % len(arms)] if self.variant else \
                    self.rng.choice(arms)
                disc = self.case_value(union, arm)
                if "ws_switch_mask" in m.attrs and disc == 0 and union.attrs["switch_type"] == "DHCP_SUBNET_ELEMENT_TYPE":
                    disc_type = self.rng.choice([0, 5, 6, 7])
                else:
                    disc_type = disc
                out[m.attrs["switch_is"].strip()] = disc_type
                uv = {"_switch": element_mask(disc_type) if "ws_switch_mask" in m.attrs else disc_type}
                if arm.type:
                    uv[arm.name] = self.of(arm.type, arm.stars, arm.attrs)
                out[m.name] = uv
        for m in t.members:
            if m.name in out:
                continue
            ref = self.size_ref(m.attrs)
            out[m.name] = self.of(m.type, m.stars, m.attrs, count=counts.get(ref) if ref else None,
                                  array=m.array)
        # reorder as declared (the discriminant was set by its union)
        return {m.name: out[m.name] for m in t.members}

    def call(self, iface, opnum, variant=0):
        self.variant = variant
        meth = next(m for m in self.idl.interfaces[iface].methods if m.opnum == opnum)
        sizes = {}
        for p in meth.params:
            ref = self.size_ref(p.attrs)
            if ref:
                sizes[ref] = self.rng.randint(0, self.max_array)
        vals = {"in": {}, "out": {}}
        for p in meth.params:
            for d in ("in", "out"):
                if d not in p.attrs:
                    continue
                if p.name in sizes:
                    vals[d][p.name] = sizes[p.name]
                    continue
                ref = self.size_ref(p.attrs)
                attrs = dict(p.attrs)
                _, levels = self.resolve(p.type, p.stars)
                if self.kind(self.resolve(p.type)[0]) == "string":
                    levels += 1
                if "unique" not in attrs and levels < 2:
                    attrs["ref"] = ""            # a parameter's first pointer level is [ref]: never NULL
                vals[d][p.name] = self.of(p.type, p.stars, attrs, count=sizes.get(ref) if ref else None)
        vals["out"]["Return"] = self.rng.choice([0, 0, 0, 2, 5, 87, 259, 20005, 20070])
        return meth, vals


# ------------------------------------------------------------------------------------------------------
class Marshal(Shape):
    def __init__(self, idl, ndr64=False, big_endian=False, api_extensions=False):
        super().__init__(idl)
        self.ndr64, self.e = ndr64, ">" if big_endian else "<"
        self.api_extensions = api_extensions

    # alignment
    def ptr_size(self):
        return 8 if self.ndr64 else 4

    def align_of(self, name):
        k = self.kind(name)
        if k in ("string", "lpbyte"):
            return self.ptr_size()
        if k == "prim":
            return PRIM[self.base(name)]
        t = self.typ(name)
        if k == "enum":
            return 4 if self.ndr64 else 2
        if k == "struct":
            return max(self.member_align(m) for m in t.members)
        return max([self.disc_align(t)] + [self.member_align(a) for a in t.members if a.type])

    def member_align(self, m):
        target, stars = self.resolve(m.type, m.stars)
        return self.ptr_size() if stars else self.align_of(target)

    def disc_align(self, union):
        st, _ = self.resolve(union.attrs["switch_type"])
        t = self.typ(st)
        return (4 if self.ndr64 else 2) if t is not None and t.kind == "enum" else PRIM[self.base(st)]

    # primitives
    def pad(self, n):
        while len(self.buf) % n:
            self.buf.append(0)

    def prim(self, size, v):
        self.pad(size)
        v = int(v)
        self.buf += struct.pack(self.e + {1: "B", 2: "H", 4: "I", 8: "Q"}[size], v & ((1 << (8 * size)) - 1))

    def count(self, n):
        self.prim(self.ptr_size(), n)

    def referent(self, present):
        if present:
            self.ref += 4
        self.count(self.ref if present else 0)
        if present:
            self.ref_offsets.append(len(self.buf) - self.ptr_size())

    def wchars(self, text, nul):
        units = text.encode("utf-16-be" if self.e == ">" else "utf-16-le") + (b"\0\0" if nul else b"")
        return units, len(units) // 2

    def string(self, text):
        units, n = self.wchars(text, True)
        self.count(n)
        self.count(0)
        self.count(n)
        self.buf += units

    # deferral
    def defer(self, fn):
        if self.deferring:
            self.deferred.append(fn)
        else:
            self.top(fn)

    def top(self, fn):
        outer, was = self.deferred, self.deferring
        self.deferred, self.deferring = [], True
        fn()
        while self.deferred:
            batch, self.deferred = self.deferred, []
            for g in batch:
                self.top(g)
        self.deferred, self.deferring = outer, was

    # values
    def value(self, name, v):
        """A value of type `name` (no pointer level) inline; its embedded pointees deferred."""
        k = self.kind(name)
        if k == "string":
            self.referent(v is not None)
            if v is not None:
                self.defer(lambda: self.string(v))
        elif k == "prim":
            self.prim(PRIM[self.base(name)], v)
        elif k == "enum":
            self.prim(4 if self.ndr64 else 2, v)
        elif k == "struct":
            self.struct(self.typ(name), v)
        else:
            raise ValueError(f"{name} inline")

    def struct(self, t, v):
        al = self.align_of(t.name)
        self.pad(al)
        for m in t.members:
            if "switch_is" in m.attrs:
                self.union(self.typ(self.resolve(m.type)[0]), v[m.name], "ws_switch_mask" in m.attrs,
                           v.get(m.attrs["switch_is"].strip()))
            else:
                self.member(m, v.get(m.name), v)
        if self.ndr64:
            self.pad(al)

    def union(self, union, uv, masked, disc_member):
        disc = uv.get("_switch", disc_member)
        if disc is None:
            disc = element_mask(disc_member) if masked else disc_member
        arm = self.arm_for(union, disc)
        arm_al = max([self.member_align(a) for a in union.members if a.type] or [1])
        if self.ndr64:
            self.pad(max(self.disc_align(union), arm_al))
        self.prim(self.disc_align(union), disc)
        if arm is None or arm.type is None:
            return
        if self.ndr64:
            self.pad(arm_al)
        av = next((uv[k] for k in uv if k != "_switch" and k != "_arm"), None)
        if arm.name in uv:
            av = uv[arm.name]
        self.member(arm, av, {})

    def member(self, m, v, siblings):
        target, stars = self.resolve(m.type, m.stars)
        k = self.kind(target)
        if m.array:
            n = int(m.array) if m.array.isdigit() else self.idl.defines[m.array]
            data = bytes.fromhex(v or "").ljust(n, b"\0")
            self.buf += data[:n]
            return
        if k == "lpbyte":                  # LPBYTE = BYTE *
            target, stars, k = "BYTE", stars + 1, "prim"
        if stars == 0:
            self.value(target, v)
            return
        ref = self.size_ref(m.attrs)
        self.referent(v is not None)
        if v is None:
            return
        if ref is not None:
            self.defer(lambda: self.carray(target, stars - 1, v, siblings.get(ref)))
        elif self.base(target) in ("WCHAR", "wchar_t") and "string" in m.attrs:
            self.defer(lambda: self.string(v))
        else:
            self.defer(lambda: self.pointee(target, stars - 1, v))

    def pointee(self, target, stars, v):
        if stars:
            self.referent(v is not None)
            if v is not None:
                self.defer(lambda: self.pointee(target, stars - 1, v))
            return
        self.value(target, v)

    def carray(self, target, stars, v, n=None):
        k = self.kind(target)
        if k == "lpbyte" or self.base(target) == "BYTE":
            data = bytes.fromhex(v)
            self.count(len(data) if n is None else n)
            self.buf += data
            return
        if self.base(target) in ("WCHAR", "wchar_t"):
            units, cnt = self.wchars(v, False)
            self.count(cnt if n is None else n)
            self.buf += units
            return
        self.count(len(v) if n is None else n)
        if stars:                                   # an array of pointers: ids in place, pointees deferred
            for e in v:
                self.referent(e is not None)
                if e is not None:
                    self.defer((lambda e: lambda: self.pointee(target, stars - 1, e))(e))
            return
        self.pad(self.align_of(target))
        for e in v:
            self.value(target, e)

    # parameters
    def param(self, p, v, values):
        target, stars = self.resolve(p.type, p.stars)
        k = self.kind(target)
        ref = self.size_ref(p.attrs)
        if ref is not None:                                  # [size_is(n)] T *p: the array in place
            self.top(lambda: self.carray(target, stars - 1, v, values.get(ref)))
            return
        levels = stars + (1 if k == "string" else 0)
        if self.base(target) in ("WCHAR", "wchar_t") and "string" in p.attrs:
            k, levels = "string", stars
        if levels == 0:
            self.top(lambda: self.value(target, v))
            return
        # level 1 is [ref] (no wire) unless [unique]; deeper levels are unique pointers in place
        for level in range(levels):
            if level > 0 or "unique" in p.attrs:
                self.referent(v is not None)
                if v is None:
                    return
        if k == "string":
            self.string(v)
        else:
            self.top(lambda: self.value(target, v))

    def stub(self, method, direction, values):
        self.buf, self.ref, self.deferred, self.deferring = bytearray(), 0x20000 - 4, [], False
        self.ref_offsets = []
        for p in method.params:
            if direction not in p.attrs:
                continue
            if p.attrs.get("ws_api_extension") == direction and not self.api_extensions:
                continue
            if p.name not in values:
                if p.attrs.get("ws_api_extension"):
                    continue
                if self.kind(self.resolve(p.type)[0]) != "prim" or p.stars:
                    raise KeyError(f"{method.name}: no value for {p.name}")
                values = dict(values, **{p.name: 0})     # reserved parameters (dwReserved, ...): 0
            self.param(p, values[p.name], values)
        if direction == "out":
            self.prim(4, values.get("Return", 0))
        return bytes(self.buf)

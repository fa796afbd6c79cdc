#!/usr/bin/env python3
"""A reader of plugin/idl/ms-dhcpm.idl: the MIDL subset described in docs/description.md ("Syntax").

It is the reference reading of the description for the checks in tools/check_idl.py (the engine has its
own generator; both must agree with docs/description.md).  It knows only the subset: comments, #define,
scalar/alias typedefs, enums, structs, unions with case labels, and interfaces with methods.

    parse(text) -> Idl with .defines, .types {name: Type}, .aliases {alias: target}, .interfaces
"""

import re
import sys
from dataclasses import dataclass, field

BASE_TYPES = {
    # name: (wire kind, size in NDR)
    "BYTE": ("int", 1), "UCHAR": ("int", 1), "CHAR": ("int", 1), "char": ("int", 1),
    "WORD": ("int", 2), "USHORT": ("int", 2), "SHORT": ("int", 2), "short": ("int", 2),
    "DWORD": ("int", 4), "ULONG": ("int", 4), "LONG": ("int", 4), "INT": ("int", 4), "int": ("int", 4),
    "BOOL": ("bool", 4), "ULONGLONG": ("int", 8), "DWORD64": ("int", 8), "INT64": ("int", 8),
    "wchar_t": ("wchar", 2), "WCHAR": ("wchar", 2),
    "LPWSTR": ("string", None), "DHCP_SRV_HANDLE": ("string", None),
    "LPBYTE": ("byteptr", None), "LPDWORD": ("dwordptr", None), "handle_t": ("none", 0),
}


class IdlError(Exception):
    pass


@dataclass
class Member:
    name: str
    type: str            # as written (may be an LP typedef)
    stars: int           # '*' written before the name
    attrs: dict          # attribute name -> argument string ('' when none)
    array: str = None    # fixed array size (literal or #define) for NAME[N]
    cases: list = None   # union arms: case labels
    line: int = 0


@dataclass
class Type:
    kind: str            # struct | union | enum | scalar
    name: str
    attrs: dict
    members: list = field(default_factory=list)   # struct members / union arms (arm with name None = empty)
    values: dict = field(default_factory=dict)    # enum: name -> value
    base: str = None     # scalar typedef: base type
    pointer_names: dict = field(default_factory=dict)  # LPX -> stars
    line: int = 0


@dataclass
class Method:
    name: str
    opnum: int
    params: list
    line: int = 0


@dataclass
class Interface:
    name: str
    attrs: dict
    methods: list


@dataclass
class Idl:
    defines: dict
    types: dict
    aliases: dict        # pointer / alias typedef names -> (target type name, extra stars)
    interfaces: dict

    def resolve(self, name):
        """Type name as written -> (declared type name, pointer levels added by typedef names)."""
        stars = 0
        seen = set()
        while name in self.aliases and name not in seen:
            seen.add(name)
            target, extra = self.aliases[name]
            stars += extra
            name = target
        return name, stars


def strip_comments(text):
    """Remove comments but keep line numbers (each comment becomes spaces/newlines)."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    text = re.sub(r"/\*.*?\*/", blank, text, flags=re.S)
    return re.sub(r"//[^\n]*", blank, text)


TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(0x[0-9A-Fa-f]+|\d+)|(.))', re.S)


def tokenize(text):
    out = []
    for m in TOKEN.finditer(text):
        tok = next((g for g in m.groups() if g is not None), None)
        if tok is not None and not tok.isspace():
            out.append((tok, text.count("\n", 0, m.end()) + 1))
    return out


class Parser:
    def __init__(self, text):
        self.toks = tokenize(strip_comments(text))
        self.i = 0
        self.idl = Idl({}, {}, {}, {})
        self.comments = text

    # -- token helpers --
    def peek(self, k=0):
        j = self.i + k
        return self.toks[j][0] if j < len(self.toks) else None

    def line(self):
        return self.toks[min(self.i, len(self.toks) - 1)][1]

    def take(self, expect=None):
        if self.i >= len(self.toks):
            raise IdlError("unexpected end of file")
        tok, line = self.toks[self.i]
        if expect is not None and tok != expect:
            raise IdlError(f"line {line}: expected {expect!r}, got {tok!r}")
        self.i += 1
        return tok

    def ident(self):
        tok = self.take()
        if not re.match(r"[A-Za-z_]\w*$", tok):
            raise IdlError(f"line {self.line()}: expected a name, got {tok!r}")
        return tok

    def attrs(self):
        """[a, b(x, y), c("s")] -> {'a': '', 'b': 'x, y', 'c': '"s"'}; {} when no '['."""
        out = {}
        if self.peek() != "[":
            return out
        self.take("[")
        while True:
            name = self.ident()
            arg = ""
            if self.peek() == "(":
                self.take("(")
                depth, parts = 1, []
                while True:
                    t = self.take()
                    if t == "(":
                        depth += 1
                    elif t == ")":
                        depth -= 1
                        if depth == 0:
                            break
                    parts.append(t)
                arg = " ".join(parts).replace(" , ", ", ")
            if name in out and name != "case":
                raise IdlError(f"line {self.line()}: attribute {name} given twice")
            out[name] = arg
            if self.peek() == ",":
                self.take(",")
                continue
            self.take("]")
            return out

    # -- top level --
    def parse(self):
        while self.i < len(self.toks):
            t = self.peek()
            if t == "#":
                self.define()
            elif t == "typedef":
                self.typedef()
            elif t == "[":
                self.interface()
            else:
                raise IdlError(f"line {self.line()}: unexpected {t!r} at top level")
        return self.idl

    def define(self):
        self.take("#")
        self.take("define")
        name = self.ident()
        value = self.take()
        self.idl.defines[name] = int(value, 0)

    def declarators(self, target, line):
        """After the body: NAME, *PNAME, *LPNAME ;  -> the first name is the type, pointers are aliases."""
        names = []
        while True:
            stars = 0
            while self.peek() == "*":
                self.take("*")
                stars += 1
            names.append((self.ident(), stars))
            if self.peek() == ",":
                self.take(",")
                continue
            self.take(";")
            return names

    def register(self, typ, names):
        first, stars = names[0]
        if stars:
            raise IdlError(f"line {typ.line}: the first declarator must be the type itself")
        typ.name = first
        if first in self.idl.types:
            raise IdlError(f"line {typ.line}: {first} declared twice")
        self.idl.types[first] = typ
        for alias, stars in names[1:]:
            self.idl.aliases[alias] = (first, stars)
            typ.pointer_names[alias] = stars

    def typedef(self):
        line = self.line()
        self.take("typedef")
        attrs = self.attrs()
        kind = self.peek()
        if kind in ("struct", "union"):
            self.take()
            if self.peek() != "{":
                self.ident()              # tag
            members = self.body(kind)
            typ = Type(kind, None, attrs, members=members, line=line)
            self.register(typ, self.declarators(typ, line))
        elif kind == "enum":
            self.take()
            if self.peek() != "{":
                self.ident()
            self.take("{")
            values, nxt = {}, 0
            while self.peek() != "}":
                name = self.ident()
                if self.peek() == "=":
                    self.take("=")
                    nxt = int(self.take(), 0)
                values[name] = nxt
                nxt += 1
                if self.peek() == ",":
                    self.take(",")
            self.take("}")
            typ = Type("enum", None, attrs, values=values, line=line)
            self.register(typ, self.declarators(typ, line))
        else:
            base = self.ident()
            names = self.declarators(None, line)
            first, stars = names[0]
            if base in BASE_TYPES:
                typ = Type("scalar", None, attrs, base=base, line=line)
                self.register(typ, names)
            else:
                # alias of a declared type (DHCP_CLIENT_UID = DHCP_BINARY_DATA)
                for alias, stars in names:
                    self.idl.aliases[alias] = (base, stars)

    def body(self, kind):
        self.take("{")
        members = []
        while self.peek() != "}":
            line = self.line()
            attrs = self.attrs()
            cases = None
            if kind == "union":
                labels = [a for a in ("case", "default") if a in attrs]
                if not labels:
                    raise IdlError(f"line {line}: union arm without [case()] or [default]")
                cases = [c.strip() for c in attrs.get("case", "").split(",") if c.strip()] if "case" in attrs else ["default"]
                if self.peek() == ";":
                    self.take(";")
                    members.append(Member(None, None, 0, attrs, cases=cases, line=line))
                    continue
            typ = self.ident()
            if typ in ("struct", "union"):
                raise IdlError(f"line {line}: anonymous {typ} not allowed in the subset; lift it to a typedef")
            stars = 0
            while self.peek() == "*":
                self.take("*")
                stars += 1
            name = self.ident()
            array = None
            if self.peek() == "[":
                self.take("[")
                array = self.take()
                self.take("]")
            self.take(";")
            members.append(Member(name, typ, stars, attrs, array=array, cases=cases, line=line))
        self.take("}")
        return members

    def interface(self):
        attrs = self.attrs()
        self.take("interface")
        name = self.ident()
        self.take("{")
        methods = []
        while self.peek() != "}":
            line = self.line()
            self.ident()                  # return type
            mname = self.ident()
            self.take("(")
            params = []
            while self.peek() != ")":
                pline = self.line()
                pattrs = self.attrs()
                ptype = self.ident()
                stars = 0
                while self.peek() == "*":
                    self.take("*")
                    stars += 1
                pname = self.ident()
                params.append(Member(pname, ptype, stars, pattrs, line=pline))
                if self.peek() == ",":
                    self.take(",")
            self.take(")")
            self.take(";")
            methods.append(Method(mname, None, params, line=line))
        self.take("}")
        self.idl.interfaces[name] = Interface(name, attrs, methods)


def opnum_comments(text):
    """Line number -> opnum for every `/* Opnum N` comment (the subset puts one before each method)."""
    out = {}
    for m in re.finditer(r"/\*\s*Opnum\s+(\d+)", text):
        out[text.count("\n", 0, m.start()) + 1] = int(m.group(1))
    return out


def parse(text):
    idl = Parser(text).parse()
    marks = sorted(opnum_comments(text).items())
    for iface in idl.interfaces.values():
        for meth in iface.methods:
            before = [op for ln, op in marks if ln < meth.line]
            meth.opnum = before[-1] if before else None
    return idl


if __name__ == "__main__":
    idl = parse(open(sys.argv[1], encoding="utf-8").read())
    kinds = {}
    for t in idl.types.values():
        kinds[t.kind] = kinds.get(t.kind, 0) + 1
    print(kinds, {n: len(i.methods) for n, i in idl.interfaces.items()})

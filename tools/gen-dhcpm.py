#!/usr/bin/env python3
"""gen-dhcpm.py -- derive the decoder tables, the field registration, the
manifest and the field reference from the MS-DHCPM description.

    tools/gen-dhcpm.py [--idl plugin/idl/ms-dhcpm.idl] [--out plugin/idl]
                       [--prefix dhcpm] [--readme README.md] [--fields-md docs/fields.md]

Reads the description (the spec's MIDL, restricted to the subset described in
docs/description.md, "Syntax") and writes
COMMITTED files (why committed: docs/description.md):

  <out>/<prefix>-types.c / .h   descriptor tables for plugin/ndr/ndr-type.c, the
                                field table and the value_strings of the enums
  <out>/<prefix>-manifest.json  which field decodes which IDL member
  docs/fields.md                the field reference (and the README section
                                between the "fields:begin/end" markers)

Python 3 standard library only.  Output is deterministic (same input, same
bytes), so `unit.generated_up_to_date` can compare it with what is committed.
"""
import argparse
import json
import os
import re
import sys

# ---------------------------------------------------------------------------
# Base types of the subset: name -> leaf kind

BASE = {
    'BYTE': 'u8', 'UCHAR': 'u8', 'CHAR': 'i8', 'char': 'i8', 'boolean': 'u8',
    'WORD': 'u16', 'USHORT': 'u16', 'SHORT': 'i16', 'short': 'i16',
    'DWORD': 'u32', 'ULONG': 'u32', 'UINT': 'u32', 'LONG': 'i32', 'INT': 'i32', 'int': 'i32',
    'BOOL': 'bool32',
    'ULONGLONG': 'u64', 'DWORD64': 'u64', 'INT64': 'i64',
    'wchar_t': 'wchar', 'WCHAR': 'wchar',
    'handle_t': 'handle', 'void': 'void',
}
# Aliases the contract defines: name -> (target, pointer levels, [string])
BUILTIN_ALIASES = {
    'LPWSTR': ('wchar_t', 1, True),
    'LPBYTE': ('BYTE', 1, False),
    'DHCP_SRV_HANDLE': ('wchar_t', 1, True),
}
# Typedef names whose leaf is shown with a meaning beyond its layout.
SPECIAL_SCALARS = {'DHCP_IP_ADDRESS': 'ipv4', 'DHCP_IP_MASK': 'ipv4mask'}
SPECIAL_STRUCTS = {'DATE_TIME': 'date_time', 'DHCP_IPV6_ADDRESS': 'ipv6'}

# leaf kind -> (ndrt kind, NDR align, NDR64 align, min size, ftype, display)
LEAF = {
    'u8':       ('NDRT_U8',  1, 1, 1, 'FT_UINT8',  'BASE_DEC'),
    'i8':       ('NDRT_U8',  1, 1, 1, 'FT_INT8',   'BASE_DEC'),
    'u16':      ('NDRT_U16', 2, 2, 2, 'FT_UINT16', 'BASE_DEC'),
    'i16':      ('NDRT_U16', 2, 2, 2, 'FT_INT16',  'BASE_DEC'),
    'wchar':    ('NDRT_U16', 2, 2, 2, 'FT_UINT16', 'BASE_HEX'),
    'u32':      ('NDRT_U32', 4, 4, 4, 'FT_UINT32', 'BASE_DEC'),
    'i32':      ('NDRT_U32', 4, 4, 4, 'FT_INT32',  'BASE_DEC'),
    'bool32':   ('NDRT_U32', 4, 4, 4, 'FT_BOOLEAN', '32'),
    'u64':      ('NDRT_U64', 8, 8, 8, 'FT_UINT64', 'BASE_DEC'),
    'i64':      ('NDRT_U64', 8, 8, 8, 'FT_INT64',  'BASE_DEC'),
    'ipv4':     ('NDRT_IPV4', 4, 4, 4, 'FT_IPv4',  'BASE_NONE'),
    'ipv4mask': ('NDRT_IPV4', 4, 4, 4, 'FT_IPv4',  'BASE_NETMASK'),
    'date_time': ('NDRT_DATE_TIME', 4, 4, 8, 'FT_ABSOLUTE_TIME', 'ABSOLUTE_TIME_UTC'),
    'ipv6':     ('NDRT_IPV6', 8, 8, 16, 'FT_IPv6', 'BASE_NONE'),
    'time32':   ('NDRT_TIME32', 4, 4, 4, 'FT_ABSOLUTE_TIME', 'ABSOLUTE_TIME_UTC'),
    'enum':     ('NDRT_ENUM', 2, 4, 2, 'FT_UINT32', 'BASE_DEC'),
    'v1_enum':  ('NDRT_ENUM32', 4, 4, 4, 'FT_UINT32', 'BASE_DEC'),
    'wstring':  ('NDRT_WSTRING', 4, 8, 12, 'FT_STRING', 'BASE_NONE'),
    'wchars':   ('NDRT_WCHARS', 4, 8, 4, 'FT_STRING', 'BASE_NONE'),
    'bytes':    ('NDRT_BYTES', 4, 8, 4, 'FT_BYTES', 'BASE_NONE'),
    'cvbytes':  ('NDRT_CVBYTES', 4, 8, 12, 'FT_BYTES', 'BASE_NONE'),
}
# [ws_display(x)] -> (ftype, display) overrides
WS_DISPLAY = {
    'ipv4': ('FT_IPv4', 'BASE_NONE'), 'ipv4_mask': ('FT_IPv4', 'BASE_NETMASK'),
    'hex': (None, 'BASE_HEX'), 'dec': (None, 'BASE_DEC'),
    'date': ('FT_ABSOLUTE_TIME', 'ABSOLUTE_TIME_UTC'), 'ipv6': ('FT_IPv6', 'BASE_NONE'),
    'bool': ('FT_BOOLEAN', None), 'bytes': ('FT_BYTES', 'BASE_NONE'),
}
PROTOS = ['dhcpsrv', 'dhcpsrv2']
MAX_MEMBERS = 64        # the decoder's frame of member values (ndr-type.h)


class IdlError(Exception):
    pass


# ---------------------------------------------------------------------------
# Lexer and parser of the subset

TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*|0[xX][0-9a-fA-F]+|\d+|@opnum|@spec|\S')


def strip_comments(text):
    """Removes comments; `/* Opnum N */` and `// Opnum N` become `@opnum N`,
    `/* spec: x */` becomes `@spec x` (kept for the manifest and docs)."""
    out = []
    i = 0
    while i < len(text):
        if text.startswith('/*', i):
            j = text.find('*/', i + 2)
            if j < 0:
                raise IdlError('unterminated comment')
            body = text[i + 2:j]
            m = re.match(r'\s*Opnum\s+(\d+)\s*$', body, re.I)
            s = re.match(r'\s*spec:\s*(\S+)\s*$', body)
            out.append(' @opnum %s ' % m.group(1) if m else
                       ' @spec S%s ' % re.sub(r'[^0-9A-Za-z]', '_', s.group(1)) if s else
                       ' ' + '\n' * body.count('\n'))
            i = j + 2
        elif text.startswith('//', i):
            j = text.find('\n', i)
            j = len(text) if j < 0 else j
            m = re.match(r'\s*Opnum\s+(\d+)\s*$', text[i + 2:j], re.I)
            out.append(' @opnum %s ' % m.group(1) if m else ' ')
            i = j
        else:
            out.append(text[i])
            i += 1
    return ''.join(out)


class Parser:
    def __init__(self, text):
        self.defines = {}
        lines = []
        for line in strip_comments(text).split('\n'):
            m = re.match(r'\s*#\s*define\s+(\w+)\s+(\S+)\s*$', line)
            if m:
                self.defines[m.group(1)] = int(m.group(2), 0)
                lines.append('')
            elif re.match(r'\s*#', line):
                lines.append('')        # other preprocessor lines: ignored
            else:
                lines.append(line)
        self.toks = TOKEN.findall('\n'.join(lines))
        self.pos = 0
        self.typedefs = {}      # name -> dict
        self.order = []         # typedef names in order of definition
        self.enum_values = {}   # enumerator -> value
        self.interfaces = []
        self.pending_spec = None

    # -- token helpers
    def peek(self, k=0):
        return self.toks[self.pos + k] if self.pos + k < len(self.toks) else None

    def next(self):
        t = self.peek()
        if t is None:
            raise IdlError('unexpected end of description')
        self.pos += 1
        return t

    def expect(self, t):
        got = self.next()
        if got != t:
            raise IdlError('expected %r, got %r near %s' % (t, got, ' '.join(self.toks[self.pos - 5:self.pos + 5])))

    def number(self, tok):
        if tok in self.defines:
            return self.defines[tok]
        if tok in self.enum_values:
            return self.enum_values[tok]
        if tok == '-':
            return -self.number(self.next())
        return int(tok, 0)

    def attrs(self):
        """[a, b(x, y), ...] -> list of (name, [arg token lists]) or []."""
        if self.peek() != '[':
            return []
        self.next()
        out = []
        while True:
            name = self.next()
            if name == ']':
                break
            args = []
            if self.peek() == '(':
                self.next()
                depth, cur = 1, []
                while True:
                    t = self.next()
                    if t == '(':
                        depth += 1
                    elif t == ')':
                        depth -= 1
                        if depth == 0:
                            args.append(cur)
                            break
                    if t == ',' and depth == 1:
                        args.append(cur)
                        cur = []
                        continue
                    cur.append(t)
            out.append((name, args))
            t = self.next()
            if t == ']':
                break
            if t != ',':
                raise IdlError('bad attribute list near %r' % t)
        return out

    # -- top level
    def parse(self):
        while self.peek() is not None:
            t = self.peek()
            if t == '@spec':
                self.next()
                self.pending_spec = self.next()[1:].replace('_', '.')
            elif t == '@opnum':
                raise IdlError('Opnum comment outside an interface')
            elif t == 'typedef':
                self.typedef()
            elif t == '[' or t == 'interface':
                self.interface()
            elif t in ('import', 'cpp_quote', 'midl_pragma', 'const'):
                while self.next() != ';':
                    pass
            elif t == ';':
                self.next()
            else:
                raise IdlError('unexpected %r at top level' % t)
        return self

    def declarators(self):
        """NAME, *PNAME, **PPNAME ; -> [(name, stars)]"""
        out = []
        while True:
            stars = 0
            while self.peek() == '*':
                self.next()
                stars += 1
            out.append((self.next(), stars))
            t = self.next()
            if t == ';':
                return out
            if t != ',':
                raise IdlError('bad declarator list near %r' % t)

    def typedef(self):
        spec, self.pending_spec = self.pending_spec, None
        self.expect('typedef')
        attrs = self.attrs()
        kind = self.peek()
        if kind in ('struct', 'union', 'enum'):
            self.next()
            if self.peek() != '{':
                self.next()     # the tag
            if kind == 'enum':
                body = self.enum_body()
            elif kind == 'struct':
                body = self.struct_body()
            else:
                body = self.union_body()
            decls = self.declarators()
            name = [n for n, s in decls if s == 0][0]
            td = {'name': name, 'kind': kind, 'attrs': dict(attrs), 'body': body, 'spec': spec}
            self.add(td)
            for n, s in decls:
                if s:
                    self.add({'name': n, 'kind': 'alias', 'target': name, 'stars': s, 'string': False})
            return
        target = self.next()
        decls = self.declarators()
        plain = [n for n, s in decls if s == 0]
        for n, s in decls:
            # `typedef DWORD X, *LPX;`: LPX points to X (keeps X's meaning, e.g. an address)
            t = plain[0] if (s and plain) else target
            self.add({'name': n, 'kind': 'alias', 'target': t, 'stars': s,
                      'string': any(a == 'string' for a, _ in attrs), 'attrs': dict(attrs), 'spec': spec})

    def add(self, td):
        if td['name'] in self.typedefs:
            raise IdlError('typedef %s defined twice' % td['name'])
        self.typedefs[td['name']] = td
        self.order.append(td['name'])

    def enum_body(self):
        self.expect('{')
        values, v = [], 0
        while self.peek() != '}':
            name = self.next()
            if self.peek() == '=':
                self.next()
                v = self.number(self.next())
            values.append((name, v))
            self.enum_values[name] = v
            v += 1
            if self.peek() == ',':
                self.next()
        self.next()
        return values

    def member(self):
        attrs = self.attrs()
        if self.peek() == ';':          # an empty union arm
            self.next()
            return {'attrs': attrs, 'type': None, 'name': None, 'stars': 0}
        typ = self.next()
        if typ in ('struct', 'union', 'enum', 'unsigned', 'signed'):
            raise IdlError('anonymous or qualified member type %r: lift it to a typedef' % typ)
        if typ == 'const':
            typ = self.next()
        stars = 0
        while self.peek() == '*':
            self.next()
            stars += 1
        name = self.next()
        dim = None
        if self.peek() == '[':
            self.next()
            dim = self.number(self.next())
            self.expect(']')
        self.expect(';')
        return {'attrs': attrs, 'type': typ, 'name': name, 'stars': stars, 'dim': dim}

    def struct_body(self):
        self.expect('{')
        members = []
        while self.peek() != '}':
            members.append(self.member())
        self.next()
        return members

    def union_body(self):
        self.expect('{')
        arms = []
        while self.peek() != '}':
            arms.append(self.member())
        self.next()
        return arms

    def interface(self):
        attrs = self.attrs()
        self.expect('interface')
        name = self.next()
        self.expect('{')
        methods, opnum = [], None
        while self.peek() != '}':
            t = self.peek()
            if t == '@opnum':
                self.next()
                opnum = int(self.next())
            elif t == '@spec':
                self.next()
                self.pending_spec = self.next()[1:].replace('_', '.')
            elif t == 'typedef':
                self.typedef()
            elif t in ('import', 'cpp_quote', 'midl_pragma'):
                while self.next() != ';':
                    pass
            else:
                m = self.method()
                if opnum is None:
                    raise IdlError('method %s has no /* Opnum N */ comment' % m['name'])
                m['opnum'] = opnum
                m['spec'], self.pending_spec = self.pending_spec, None
                methods.append(m)
                opnum = None
        self.next()
        if self.peek() == ';':
            self.next()
        uuid = None
        for a, args in attrs:
            if a == 'uuid':
                uuid = ''.join(args[0])
        self.interfaces.append({'name': name, 'uuid': uuid, 'methods': methods})

    def method(self):
        self.attrs()
        ret = self.next()
        name = self.next()
        self.expect('(')
        params = []
        if self.peek() == 'void' and self.peek(1) == ')':
            self.next()
        while self.peek() != ')':
            attrs = self.attrs()
            typ = self.next()
            if typ == 'const':
                typ = self.next()
            stars = 0
            while self.peek() == '*':
                self.next()
                stars += 1
            pname = self.next()
            params.append({'attrs': attrs, 'type': typ, 'name': pname, 'stars': stars, 'dim': None})
            if self.peek() == ',':
                self.next()
        self.next()
        self.expect(';')
        return {'name': name, 'ret': ret, 'params': params}


# ---------------------------------------------------------------------------
# Naming rules (contract §2, docs/description.md)

HUNGARIAN = re.compile(r'^(pp|lp|dw|sz|p|b|f)(?=[A-Z])')


def snake(name):
    """IDL member name -> field name part."""
    name = HUNGARIAN.sub('', name)
    s = re.sub(r'([a-z0-9])([A-Z])', r'\1_\2', name)
    s = re.sub(r'([A-Z]+)([A-Z][a-z])', r'\1_\2', s)
    return s.lower()


def attr(attrs, name):
    for a, args in attrs:
        if a == name:
            return args
    return None


def attr_str(attrs, name):
    args = attr(attrs, name)
    if not args:
        return None
    tok = args[0][0]
    return tok.strip('"') if tok.startswith('"') else tok


# ---------------------------------------------------------------------------
# The model: wire types, fields, methods

class Model:
    def __init__(self, p):
        self.p = p
        self.types = []          # wire type nodes (dicts), index = C index
        self.type_keys = {}      # canonical key -> index
        self.named = {}          # typedef name -> index of its struct/union/enum node
        self.fields = []         # field dicts
        self.field_keys = {}
        self.members = []        # member/arm/param entries of the C member table
        self.enums = {}          # enum typedef name -> values
        self.prefix_of = {}
        for n in p.order:
            if p.typedefs[n]['kind'] == 'enum':
                self.enums[n] = p.typedefs[n]['body']

    # -- type names and prefixes
    def resolve(self, name):
        """Follows aliases: -> (final name, pointer levels, string, special leaf)."""
        stars, string, special = 0, False, None
        seen = 0
        while True:
            seen += 1
            if seen > 50:
                raise IdlError('typedef loop at %s' % name)
            if special is None and name in SPECIAL_SCALARS:
                special = SPECIAL_SCALARS[name]
            if name in self.p.typedefs:
                td = self.p.typedefs[name]
                wd = (td.get('attrs') or {}).get('ws_display')
                if special is None and wd and td['kind'] == 'alias':
                    special = {'ipv4': 'ipv4', 'ipv4_mask': 'ipv4mask', 'date': 'time32'}.get(wd[0][0])
                if td['kind'] != 'alias':
                    return name, stars, string, special
                stars += td['stars']
                string = string or td['string']
                name = td['target']
            elif name in BUILTIN_ALIASES:
                t, s, st = BUILTIN_ALIASES[name]
                stars += s
                string = string or st
                name = t
            elif name in BASE:
                return name, stars, string, special
            else:
                raise IdlError('unknown type %s' % name)

    def type_prefix(self, name):
        if name in self.prefix_of:
            return self.prefix_of[name]
        td = self.p.typedefs[name]
        wn = None
        if isinstance(td.get('attrs'), dict) and td['attrs'].get('ws_name'):
            wn = td['attrs']['ws_name'][0][0].strip('"')
        if wn:
            pre = wn
        elif name.startswith('DHCPV4_'):
            rest = name[len('DHCPV4_'):]
            pre = ('v4_' + rest if ('DHCP_' + rest) in self.p.typedefs else rest).lower()
        elif name.startswith('DHCPV6_'):
            pre = 'v6_' + name[len('DHCPV6_'):].lower()
        elif name.startswith('DHCP_'):
            pre = name[len('DHCP_'):].lower()
        else:
            pre = name.lower()
        self.prefix_of[name] = pre
        return pre

    # -- wire type nodes
    def node(self, key, **kw):
        if key in self.type_keys:
            return self.type_keys[key]
        idx = len(self.types)
        self.type_keys[key] = idx
        kw['key'] = key
        kw['index'] = idx
        self.types.append(kw)
        return idx

    def leaf_node(self, leaf):
        k = LEAF[leaf]
        return self.node(('leaf', leaf), kind=k[0], leaf=leaf, align=(k[1], k[2]), min=k[3],
                         fixed=(k[3], k[3]) if leaf not in ('wstring', 'wchars', 'bytes', 'cvbytes') else None,
                         name=leaf)

    def struct_special(self, name):
        td = self.p.typedefs.get(name)
        wd = (td.get('attrs') or {}).get('ws_display') if td else None
        if wd and wd[0][0] in ('date', 'ipv6'):
            return {'date': 'date_time', 'ipv6': 'ipv6'}[wd[0][0]]
        return SPECIAL_STRUCTS.get(name)

    def named_node(self, name, prefix=None, blob=None):
        """Node of a struct/union/enum typedef (built on first use).  `prefix`
        (ws_name on an embedded struct member) registers this use's fields
        under another prefix; `blob` (ws_blob on a DHCP_BINARY_DATA member)
        names the field of its bytes: both make a copy of the node."""
        special = self.struct_special(name)
        if special:
            return self.leaf_node(special)
        if prefix or blob:
            key = ('named', name, prefix, blob)
            if key in self.type_keys:
                return self.type_keys[key]
            td = self.p.typedefs[name]
            if td['kind'] != 'struct':
                raise IdlError('ws_name/ws_blob on a member of type %s (not a struct)' % name)
            idx = self.node(key, kind='NDRT_STRUCT', name=name, align=None, min=None, fixed=None,
                            prefix_override=prefix, blob=blob)
            self.build_struct(idx, td, prefix)
            return idx
        if name in self.named:
            return self.named[name]
        td = self.p.typedefs[name]
        if td['kind'] == 'enum':
            leaf = 'v1_enum' if 'v1_enum' in td['attrs'] else 'enum'
            k = LEAF[leaf]
            idx = self.node(('enum', name), kind=k[0], leaf=leaf, align=(k[1], k[2]), min=k[3],
                            fixed=(2, 4) if leaf == 'enum' else (4, 4), name=name, enum=name)
            self.named[name] = idx
            return idx
        idx = self.node(('named', name), kind='NDRT_STRUCT' if td['kind'] == 'struct' else 'NDRT_UNION',
                        name=name, align=None, min=None, fixed=None)
        self.named[name] = idx
        if td['kind'] == 'struct':
            self.build_struct(idx, td)
        else:
            self.build_union(idx, td)
        return idx

    def value_type(self, typ, stars, attrs, dim, toplevel, clone=(None, None)):
        """The wire type of a member or parameter declared `[attrs] typ *..* name[dim]`."""
        base, levels, string, special = self.resolve(typ)
        levels += stars
        string = string or attr(attrs, 'string') is not None
        if BASE.get(base) in ('handle', 'void') and levels == 0:
            return None
        size_is = attr(attrs, 'size_is')
        length_is = attr(attrs, 'length_is')
        size_args = [(' '.join(a) if a else None) for a in (size_is or [])]
        # the innermost value
        if base in BASE:
            leaf = BASE[base]
            inner_leaf = special or leaf
            t = None
        else:
            leaf = None
            t = self.named_node(base, clone[0], clone[1])
        ws_display = attr_str(attrs, 'ws_display')
        if leaf in ('u32', 'i32') and ws_display == 'date':
            inner_leaf = 'time32'

        def leaf_of(lk):
            return self.leaf_node(lk)

        if levels == 0:
            if dim is not None:
                if leaf in ('u8', 'i8'):
                    return self.node(('fbytes', dim), kind='NDRT_FBYTES', count=dim, align=(1, 1),
                                     min=dim, fixed=(dim, dim), name='BYTE[%d]' % dim, leaf='fbytes')
                el = t if t is not None else leaf_of(inner_leaf)
                return self.node(('farray', el, dim), kind='NDRT_FARRAY', elem=el, count=dim,
                                 align=None, min=None, fixed=None, name='[%d]' % dim)
            return t if t is not None else leaf_of(inner_leaf)
        # pointers: build from the innermost pointee outwards
        cur = t
        for level in range(levels, 0, -1):
            sz = size_args[level - 1] if level - 1 < len(size_args) else None
            if cur is None:
                if sz and leaf in ('u8', 'i8'):
                    lk = 'cvbytes' if length_is else 'bytes'
                    cur = leaf_of(lk)
                elif leaf == 'wchar' and string:
                    cur = leaf_of('wstring')
                elif sz and leaf == 'wchar':
                    cur = leaf_of('wchars')
                else:
                    cur = leaf_of(inner_leaf)
                    if sz:
                        cur = self.array_node(cur, bool(length_is))
            elif sz:
                cur = self.array_node(cur, bool(length_is))
            if level == 1:
                kind = ('NDR_PTR_UNIQUE' if attr(attrs, 'unique') is not None else
                        'NDR_PTR_FULL' if attr(attrs, 'ptr') is not None else
                        'NDR_PTR_REF' if attr(attrs, 'ref') is not None or toplevel else
                        'NDR_PTR_UNIQUE')
            else:
                kind = 'NDR_PTR_UNIQUE'
            cur = self.node(('ptr', kind, cur), kind='NDRT_POINTER', ptr=kind, elem=cur,
                            align=(4, 8), min=4, fixed=None, name='*')
        return cur

    def array_node(self, el, varying):
        k = 'NDRT_CVARRAY' if varying else 'NDRT_CARRAY'
        return self.node(('array', varying, el), kind=k, elem=el, align=(4, 8), min=4,
                         fixed=None, name='[]')

    # -- fields
    def field(self, suffix, label, ftype, display, strings, blurb, proto_set):
        key = (suffix, ftype, display, strings)
        if key in self.field_keys:
            f = self.fields[self.field_keys[key] - 1]
            f['protos'] |= set(proto_set)
            return f['index']
        f = {'index': len(self.fields) + 1, 'suffix': suffix, 'label': label, 'ftype': ftype,
             'display': display, 'strings': strings, 'blurb': blurb, 'protos': set(proto_set)}
        self.fields.append(f)
        self.field_keys[key] = f['index']
        return f['index']

    def leaf_field_spec(self, tidx, attrs, idl_type=None):
        """(ftype, display, strings) for a value type ending in a leaf, or None
        when the value is constructed (walk into its type)."""
        t = self.types[tidx]
        while t['kind'] in ('NDRT_POINTER', 'NDRT_CARRAY', 'NDRT_CVARRAY', 'NDRT_FARRAY'):
            t = self.types[t['elem']]
        if t['kind'] in ('NDRT_STRUCT', 'NDRT_UNION'):
            return None
        if t['kind'] == 'NDRT_FBYTES':
            ftype, display, strings = 'FT_BYTES', 'BASE_NONE', None
        else:
            k = LEAF[t['leaf']]
            ftype, display = k[4], k[5]
            strings = t.get('enum')
        wd = attr_str(attrs, 'ws_display')
        if not wd and idl_type:
            # a typedef's own ws_display (e.g. `typedef [ws_display(hex)] DWORD X`)
            name = idl_type
            while name in self.p.typedefs and self.p.typedefs[name]['kind'] == 'alias':
                a = self.p.typedefs[name].get('attrs') or {}
                if a.get('ws_display'):
                    wd = a['ws_display'][0][0]
                    break
                name = self.p.typedefs[name]['target']
        if wd in ('ipv4', 'ipv4_mask', 'date') and t['kind'] in ('NDRT_IPV4', 'NDRT_TIME32'):
            wd = None if wd != 'ipv4_mask' else wd     # already shown so (the leaf kind says it)
        if wd == 'date' and t['kind'] == 'NDRT_DATE_TIME':
            wd = None
        if wd == 'ipv6' and t['kind'] == 'NDRT_IPV6':
            wd = None
        if wd:
            if wd not in WS_DISPLAY:
                raise IdlError('unknown ws_display(%s)' % wd)
            ft, dp = WS_DISPLAY[wd]
            if ft == 'FT_BOOLEAN':
                size = {'NDRT_U8': '8', 'NDRT_U16': '16', 'NDRT_U32': '32', 'NDRT_U64': '64'}.get(t['kind'], '32')
                ftype, display, strings = 'FT_BOOLEAN', size, None
            else:
                if ft:
                    ftype = ft
                if dp:
                    display = dp
        if ftype in ('FT_IPv4',) and t['kind'] not in ('NDRT_IPV4', 'NDRT_U32'):
            raise IdlError('ws_display ipv4 on a non-DWORD')
        return ftype, display, strings

    def member_field(self, owner_prefix, member_name, tidx, attrs, blurb, idl_type=None, suffix=None):
        spec = self.leaf_field_spec(tidx, attrs, idl_type)
        if spec is None:
            return 0
        if suffix is None:
            wn = attr_str(attrs, 'ws_name')
            part = wn if wn else snake(member_name)
            suffix = (owner_prefix + '.' + part) if owner_prefix else part
        return self.field(suffix, member_name, spec[0], spec[1], spec[2], blurb, [])

    # -- structs and unions
    def clone_of(self, owner_prefix, m):
        """(prefix, blob) of an embedded member's copy of its type, or (None, None)."""
        wn = attr_str(m['attrs'], 'ws_name')
        if attr(m['attrs'], 'ws_blob') is not None:
            return None, '%s.%s' % (owner_prefix, wn or snake(m['name']))
        base, levels, _, _ = self.resolve(m['type'])
        if wn and levels + m['stars'] == 0 and base in self.p.typedefs \
                and self.p.typedefs[base]['kind'] == 'struct' and not self.struct_special(base):
            return '%s.%s' % (owner_prefix, wn), None
        return None, None

    def build_struct(self, idx, td, prefix=None):
        owner_prefix = prefix or self.type_prefix(td['name'])
        members = []
        names = [m['name'] for m in td['body']]
        if len(names) > MAX_MEMBERS:
            raise IdlError('%s has more than %d members' % (td['name'], MAX_MEMBERS))
        for m in td['body']:
            clone = self.clone_of(owner_prefix, m)
            mt = self.value_type(m['type'], m['stars'], m['attrs'], m.get('dim'), False, clone)
            sz = attr(m['attrs'], 'size_is')
            size_ref = -1
            if sz:
                arg = [a for a in sz if a]
                toks = [x for x in (arg[0] if arg else []) if re.match(r'\w+$', x)]
                for tk in toks:
                    if tk in names:
                        size_ref = names.index(tk)
            # [switch_is(D)] (or switch_is(ELEMENT_MASK(D)) / ws_switch_mask): the
            # union's wire discriminant is checked against D (masked)
            sw = attr(m['attrs'], 'switch_is')
            switch_ref, mask = -1, None
            if sw:
                toks = sw[0]
                for tk in toks:
                    if tk in names:
                        switch_ref = names.index(tk)
                if 'ELEMENT_MASK' in toks or attr(m['attrs'], 'ws_switch_mask') is not None:
                    lo = self.p.enum_values.get('DhcpIpRangesDhcpOnly')
                    hi = self.p.enum_values.get('DhcpIpRangesBootpOnly')
                    if lo is None or hi is None:
                        raise IdlError('ELEMENT_MASK needs DhcpIpRangesDhcpOnly..DhcpIpRangesBootpOnly')
                    mask = (lo, hi)
            members.append({'name': m['name'], 'type': mt, 'attrs': m['attrs'], 'size_is': size_ref,
                            'switch_is': switch_ref, 'mask': mask,
                            'idl_type': m['type'], 'stars': m['stars'], 'dim': m.get('dim'),
                            'clone': clone})
        self.types[idx]['members_src'] = members
        self.types[idx]['td'] = td

    def build_union(self, idx, td):
        st = td['attrs'].get('switch_type')
        disc = 'NDRT_ENUM'
        if st:
            dname = st[0][0]
            b, lv, _, _ = self.resolve(dname)
            if b in self.p.typedefs and self.p.typedefs[b]['kind'] == 'enum':
                disc = 'NDRT_ENUM32' if 'v1_enum' in self.p.typedefs[b]['attrs'] else 'NDRT_ENUM'
            else:
                disc = {'u16': 'NDRT_U16', 'i16': 'NDRT_U16', 'u32': 'NDRT_U32', 'i32': 'NDRT_U32',
                        'u8': 'NDRT_U8'}.get(BASE.get(b), 'NDRT_U32')
        arms = []
        for m in td['body']:
            cases = attr(m['attrs'], 'case')
            default = attr(m['attrs'], 'default') is not None
            values = []
            for c in cases or []:
                values.append(self.p.number(c[0]) if len(c) == 1 else self.p.number(''.join(c)))
            mt = None
            clone = (None, None)
            if m['type'] is not None:
                clone = self.clone_of(self.type_prefix(td['name']), m)
                mt = self.value_type(m['type'], m['stars'], m['attrs'], m.get('dim'), False, clone)
            arms.append({'name': m['name'], 'type': mt, 'attrs': m['attrs'], 'cases': values,
                         'default': default, 'idl_type': m['type'], 'stars': m['stars'], 'clone': clone})
        self.types[idx]['arms_src'] = arms
        self.types[idx]['disc'] = disc
        self.types[idx]['td'] = td

    # -- layout: alignment, minimum and fixed sizes, per syntax
    def layout(self):
        changed = True
        for t in self.types:
            if t['kind'] in ('NDRT_STRUCT', 'NDRT_UNION', 'NDRT_FARRAY'):
                t['align'] = None
        while changed:
            changed = False
            for t in self.types:
                if t['align'] is not None:
                    continue
                if t['kind'] == 'NDRT_FARRAY':
                    e = self.types[t['elem']]
                    if e['align'] is None:
                        continue
                    t['align'] = e['align']
                    t['min'] = e['min'] * t['count']
                    t['fixed'] = None if e['fixed'] is None else (e['fixed'][0] * t['count'], e['fixed'][1] * t['count'])
                    changed = True
                elif t['kind'] == 'NDRT_STRUCT':
                    ms = [self.types[m['type']] for m in t['members_src'] if m['type'] is not None]
                    if any(m['align'] is None for m in ms):
                        continue
                    a = tuple(max([1] + [m['align'][s] for m in ms]) for s in (0, 1))
                    t['align'] = a
                    t['min'] = max(1, sum(m['min'] for m in ms))
                    if all(m['fixed'] is not None for m in ms):
                        fx = []
                        for s in (0, 1):
                            off = 0
                            for m in ms:
                                off = (off + m['align'][s] - 1) & ~(m['align'][s] - 1)
                                off += m['fixed'][s]
                            if s == 1:
                                off = (off + a[1] - 1) & ~(a[1] - 1)
                            fx.append(off)
                        t['fixed'] = tuple(fx)
                    changed = True
                elif t['kind'] == 'NDRT_UNION':
                    ms = [self.types[m['type']] for m in t['arms_src'] if m['type'] is not None]
                    if any(m['align'] is None for m in ms):
                        continue
                    dsz = {'NDRT_ENUM': (2, 4), 'NDRT_ENUM32': (4, 4), 'NDRT_U16': (2, 2),
                           'NDRT_U32': (4, 4), 'NDRT_U8': (1, 1)}[t['disc']]
                    t['disc_size'] = dsz
                    t['arm_align'] = tuple(max([1] + [m['align'][s] for m in ms]) for s in (0, 1))
                    t['align'] = tuple(max(dsz[s], t['arm_align'][s]) for s in (0, 1))
                    t['min'] = dsz[0]
                    t['fixed'] = None
                    changed = True
        for t in self.types:
            if t['align'] is None:
                raise IdlError('cannot lay out %s (recursive by value?)' % t['name'])

    # -- fields of structs and unions, for the interfaces that use them
    def assign_fields(self):
        for t in self.types:
            if t['kind'] == 'NDRT_STRUCT':
                prefix = t.get('prefix_override') or self.type_prefix(t['name'])
                for m in t['members_src']:
                    suffix = None
                    if t.get('blob') and self.types[m['type']]['kind'] == 'NDRT_POINTER':
                        suffix = t['blob']          # the bytes of a ws_blob DHCP_BINARY_DATA
                    elif t.get('blob'):
                        prefix_b = self.type_prefix(t['name'])
                        suffix = prefix_b + '.' + snake(m['name'])
                    m['field'] = self.member_field(prefix, m['name'], m['type'], m['attrs'],
                                                   '%s.%s' % (t['name'], m['name']), m['idl_type'],
                                                   suffix) if m['type'] is not None else 0
            elif t['kind'] == 'NDRT_UNION':
                for m in t['arms_src']:
                    m['field'] = self.member_field(self.type_prefix(t['name']), m['name'], m['type'],
                                                   m['attrs'], '%s.%s' % (t['name'], m['name']),
                                                   m['idl_type']) if m['type'] is not None else 0

    def reach(self, tidx, acc):
        if tidx is None or tidx in acc:
            return
        acc.add(tidx)
        t = self.types[tidx]
        if 'elem' in t:
            self.reach(t['elem'], acc)
        for m in t.get('members_src', []) + t.get('arms_src', []):
            self.reach(m['type'], acc)

    def build_methods(self):
        self.ifaces = []
        for itf in self.p.interfaces:
            if itf['name'] not in PROTOS:
                raise IdlError('unknown interface %s' % itf['name'])
            methods = []
            used = set()
            for m in itf['methods']:
                params = []
                for prm in m['params']:
                    dirs = [d for d in ('in', 'out') if attr(prm['attrs'], d) is not None]
                    if not dirs:
                        dirs = ['in']
                    pt = self.value_type(prm['type'], prm['stars'], prm['attrs'], None, True)
                    if pt is None:
                        continue        # handle_t: no wire form
                    self.reach(pt, used)
                    params.append({'name': prm['name'], 'type': pt, 'dirs': dirs, 'attrs': prm['attrs'],
                                   'idl_type': prm['type'], 'stars': prm['stars'],
                                   'info': attr(prm['attrs'], 'ws_info') is not None,
                                   'api_ext': [a[0] for a in (attr(prm['attrs'], 'ws_api_extension') or [])],
                                   'server': prm['type'] == 'DHCP_SRV_HANDLE'})
                methods.append({'name': m['name'], 'opnum': m['opnum'], 'params': params,
                                'status': m['ret'] in ('DWORD', 'ULONG', 'LONG', 'HRESULT', 'error_status_t'),
                                'spec': m.get('spec')})
            opnums = [m['opnum'] for m in methods]
            if len(set(opnums)) != len(opnums):
                raise IdlError('%s: an opnum is used twice' % itf['name'])
            self.ifaces.append({'name': itf['name'], 'uuid': itf['uuid'], 'methods': methods, 'used': used})

    def assign_param_fields(self):
        for itf in self.ifaces:
            proto = itf['name']
            # fields of the types this interface uses
            for tidx in sorted(itf['used']):
                t = self.types[tidx]
                for m in t.get('members_src', []) + t.get('arms_src', []):
                    if m.get('field'):
                        self.fields[m['field'] - 1]['protos'].add(proto)
            # parameters: same name, different wire type -> disambiguated
            variants = {}
            for m in itf['methods']:
                for prm in m['params']:
                    spec = self.leaf_field_spec(prm['type'], prm['attrs'], prm['idl_type'])
                    prm['spec'] = spec
                    if spec is None:
                        prm['field'] = 0
                        continue
                    wn = attr_str(prm['attrs'], 'ws_name')
                    base = wn if wn else snake(prm['name'])
                    prm['base'] = base
                    variants.setdefault(base, []).append((spec, m['opnum']))
            plain = {}
            for base, uses in variants.items():
                counts = {}
                for spec, op in uses:
                    c = counts.setdefault(spec, [0, op])
                    c[0] += 1
                best = sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[1][1]))[0][0]
                plain[base] = best
            for m in itf['methods']:
                for prm in m['params']:
                    if prm['spec'] is None:
                        continue
                    suffix = prm['base']
                    if prm['spec'] != plain[suffix]:
                        suffix = suffix + '_' + self.spec_tag(prm['spec'])
                    prm['field'] = self.field(suffix, prm['name'], prm['spec'][0], prm['spec'][1],
                                              prm['spec'][2], '%s parameter %s' % (m['name'], prm['name']),
                                              [proto])
        # a struct member suffix must not collide with another field of the same protocol
        seen = {}
        for f in self.fields:
            for proto in sorted(f['protos']):
                k = (proto, f['suffix'])
                if k in seen:
                    raise IdlError('field %s.%s has two definitions (%s / %s); add a ws_name'
                                   % (proto, f['suffix'], f['blurb'], seen[k]['blurb']))
                seen[k] = f

    @staticmethod
    def spec_tag(spec):
        ftype, display, strings = spec
        if strings:
            return snake(strings).replace('dhcp_', '')
        return {'FT_IPv4': 'ipv4', 'FT_STRING': 'string', 'FT_BYTES': 'bytes', 'FT_UINT8': 'u8',
                'FT_UINT16': 'u16', 'FT_UINT32': 'u32', 'FT_UINT64': 'u64', 'FT_BOOLEAN': 'bool',
                'FT_ABSOLUTE_TIME': 'time', 'FT_IPv6': 'ipv6', 'FT_INT32': 'i32'}.get(ftype, 'x')

    def run(self):
        for n in self.p.order:         # every typedef gets a node (unused ones too)
            td = self.p.typedefs[n]
            if td['kind'] in ('struct', 'union', 'enum'):
                self.named_node(n)
        self.build_methods()
        self.layout()
        self.assign_fields()
        self.assign_param_fields()
        return self


# ---------------------------------------------------------------------------
# Output: C tables

def c_str(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"' if s is not None else 'NULL'


def emit_c(model, prefix, header_name):
    P = prefix
    out = []
    w = out.append
    w('/* %s-types.c -- GENERATED by tools/gen-dhcpm.py from the MS-DHCPM description.' % P)
    w(' * Do not edit: change the description (or the generator) and regenerate;')
    w(' * ctest unit.generated_up_to_date fails when this file is stale.')
    w(' *')
    w(' * SPDX-License-Identifier: GPL-2.0-or-later')
    w(' */')
    w('#include <wireshark.h>')
    w('#include <epan/packet.h>')
    w('')
    w('#include "ws-compat.h"     /* value_string (moved in 4.6) */')
    w('#include "%s"' % header_name)
    w('')
    w('/* ---- value_strings of the enums ---- */')
    used = set(f['strings'] for f in model.fields if f['strings'])
    for name in sorted(model.enums):
        if name not in used:
            continue        # an enum no field shows (e.g. flag bit names): no table
        w('static const value_string vs_%s[] = {' % name)
        for en, v in model.enums[name]:
            w('    { %d, %s },' % (v & 0xffffffff, c_str(en)))
        w('    { 0, NULL }')
        w('};')
    w('')
    # member table: struct members, union arms, method params (in that order per owner)
    mtab = []

    def add_member(name, tidx, field, size_is=-1, value=0, default=0, dirs=0, flags=0):
        mtab.append((name, tidx, field, size_is, value, default, dirs, flags))
        return len(mtab) - 1

    for t in model.types:
        if t['kind'] == 'NDRT_STRUCT':
            t['first'] = len(mtab)
            for m in t['members_src']:
                if m.get('switch_is', -1) >= 0:
                    # size_is slot = the discriminant member; value = the ELEMENT_MASK
                    # range (lo | hi << 16) that travels as 0
                    lo, hi = m['mask'] or (0, 0)
                    add_member(m['name'], m['type'], m['field'], m['switch_is'], lo | (hi << 16),
                               0, 0, 16 | (32 if m['mask'] else 0))
                else:
                    add_member(m['name'], m['type'], m['field'], m['size_is'])
            t['count'] = len(t['members_src'])
        elif t['kind'] == 'NDRT_UNION':
            t['first'] = len(mtab)
            n = 0
            for m in t['arms_src']:
                vals = m['cases'] or [0]
                for v in vals:
                    add_member(m['name'] or '(empty)', m['type'] if m['type'] is not None else 0xFFFF,
                               m['field'], -1, v, 1 if m['default'] else 0)
                    n += 1
                    if m['default']:
                        break
            t['count'] = n
    for itf in model.ifaces:
        for m in itf['methods']:
            m['first'] = len(mtab)
            for prm in m['params']:
                dirs = (1 if 'in' in prm['dirs'] else 0) | (2 if 'out' in prm['dirs'] else 0)
                flags = ((1 if prm['info'] else 0) | (2 if prm['server'] else 0) |
                         (4 if 'in' in prm['api_ext'] else 0) | (8 if 'out' in prm['api_ext'] else 0))
                add_member(prm['name'], prm['type'], prm['field'], -1, 0, 0, dirs, flags)
    w('/* ---- fields: label, abbreviation after "<proto>.", type, display, strings, blurb ---- */')
    w('const ndrt_field %s_fields[%s_FIELD_COUNT] = {' % (P, P.upper()))
    w('    { NULL, NULL, FT_NONE, BASE_NONE, NULL, NULL, 0 },   /* 0: no field */')
    for f in model.fields:
        mask = ' | '.join('NDRT_PROTO_%s' % p.upper() for p in PROTOS if p in f['protos']) or '0'
        strings = 'VALS(vs_%s)' % f['strings'] if f['strings'] else 'NULL'
        w('    { %s, %s, %s, %s, %s, %s, %s },' % (c_str(f['label']), c_str(f['suffix']), f['ftype'],
                                                  f['display'], strings, c_str(f['blurb']), mask))
    w('};')
    w('')
    w('/* ---- members, union arms and parameters ---- */')
    w('const ndrt_member %s_members[%d] = {' % (P, max(1, len(mtab))))
    for i, (name, tidx, field, size_is, value, default, dirs, flags) in enumerate(mtab):
        w('    /* %4d */ { %s, %d, %d, %d, %uu, %d, %d, %d },' % (
            i, c_str(name), tidx, field, size_is, value & 0xffffffff, default, dirs, flags))
    if not mtab:
        w('    { NULL, 0, 0, -1, 0, 0, 0, 0 }')
    w('};')
    w('')
    w('/* ---- wire types: kind, pointer kind, discriminant, align NDR/NDR64, arm align')
    w(' *      NDR/NDR64, element, first member, count, min size, fixed size NDR/NDR64, name ---- */')
    w('const ndrt_type %s_types[%s_TYPE_COUNT] = {' % (P, P.upper()))
    for t in model.types:
        kind = t['kind']
        ptr = t.get('ptr', 'NDR_PTR_REF')
        disc = t.get('disc', 'NDRT_U32')
        al = t['align']
        arm = t.get('arm_align', (1, 1))
        elem = t.get('elem', 0)
        first = t.get('first', 0)
        count = t.get('count', 0)
        fx = t['fixed'] or (0, 0)
        w('    /* %4d */ { %s, %s, %s, { %d, %d }, { %d, %d }, %d, %d, %d, %d, { %d, %d }, %s },' % (
            t['index'], kind, ptr, disc, al[0], al[1], arm[0], arm[1], elem, first, count,
            min(t['min'], 65535), fx[0], fx[1], c_str(t['name'])))
    w('};')
    w('')
    for itf in model.ifaces:
        nmax = max([m['opnum'] for m in itf['methods']] + [-1]) + 1
        w('/* ---- %s methods, indexed by opnum (name NULL: not described) ---- */' % itf['name'])
        w('const ndrt_method %s_methods_%s[%d] = {' % (P, itf['name'], max(1, nmax)))
        by = {m['opnum']: m for m in itf['methods']}
        for op in range(nmax):
            m = by.get(op)
            if m:
                w('    { %s, %d, %d, %d, %d },' % (c_str(m['name']), op, m['first'], len(m['params']),
                                                   1 if m['status'] else 0))
            else:
                w('    { NULL, %d, 0, 0, 0 },' % op)
        if nmax == 0:
            w('    { NULL, 0, 0, 0, 0 }')
        w('};')
        w('const guint %s_method_count_%s = %d;' % (P, itf['name'], nmax))
        w('')
    w('/* ---- type names, for hooks bound at registration ---- */')
    w('const ndrt_desc %s_desc = {' % P)
    w('    %s_types, %s_members, %s_fields, %s_TYPE_COUNT, %s_FIELD_COUNT' % (P, P, P, P.upper(), P.upper()))
    w('};')
    return '\n'.join(out) + '\n'


def emit_h(model, prefix):
    P = prefix
    g = '%s_TYPES_H' % P.upper()
    out = ['/* %s-types.h -- GENERATED by tools/gen-dhcpm.py (see %s-types.c). */' % (P, P),
           '#ifndef %s' % g, '#define %s' % g, '', '#include "ndr-type.h"', '',
           '#define %s_TYPE_COUNT %d' % (P.upper(), len(model.types)),
           '#define %s_FIELD_COUNT %d' % (P.upper(), len(model.fields) + 1), '']
    out.append('/* Indexes of the named types (for hooks). */')
    for name in sorted(model.named):
        out.append('#define %s_T_%s %d' % (P.upper(), name, model.named[name]))
    for name in sorted(SPECIAL_STRUCTS):
        if name in model.p.typedefs:
            out.append('#define %s_T_%s %d' % (P.upper(), name, model.named_node(name)))
    out.append('')
    out.append('extern const ndrt_field %s_fields[%s_FIELD_COUNT];' % (P, P.upper()))
    out.append('extern const ndrt_member %s_members[];' % P)
    out.append('extern const ndrt_type %s_types[%s_TYPE_COUNT];' % (P, P.upper()))
    for itf in model.ifaces:
        out.append('extern const ndrt_method %s_methods_%s[];' % (P, itf['name']))
        out.append('extern const guint %s_method_count_%s;' % (P, itf['name']))
    out.append('extern const ndrt_desc %s_desc;' % P)
    out += ['', '#endif', '']
    return '\n'.join(out)


# ---------------------------------------------------------------------------
# Output: manifest and field reference

def abbrevs(model, field):
    if not field:
        return {}
    f = model.fields[field - 1]
    return {p: '%s.%s' % (p, f['suffix']) for p in PROTOS if p in f['protos']}


def type_name_of(model, tidx, idl_type):
    """The typedef name the contract's manifest wants: pointers stripped."""
    base, _, string, special = model.resolve(idl_type)
    if base in model.p.typedefs:
        return base
    # a scalar alias (DHCP_IP_ADDRESS) is named by its last alias before the base
    name = idl_type
    while name in model.p.typedefs and model.p.typedefs[name]['kind'] == 'alias':
        td = model.p.typedefs[name]
        if td['stars'] and td['target'] not in BASE and td['target'] not in BUILTIN_ALIASES:
            name = td['target']
            continue
        if td['stars']:
            return td['target']
        return name
    return idl_type


def extra(model, tidx):
    """pointer / array facts of a value type, for the manifest."""
    out = {}
    chain = []
    t = model.types[tidx]
    while True:
        if t['kind'] == 'NDRT_POINTER':
            chain.append(t['ptr'].replace('NDR_PTR_', '').lower())
        elif t['kind'] in ('NDRT_CARRAY', 'NDRT_CVARRAY'):
            chain.append('array')
        elif t['kind'] == 'NDRT_FARRAY':
            chain.append('array[%d]' % t['count'])
        else:
            break
        t = model.types[t['elem']]
    if chain:
        out['pointer'] = chain
    if t['kind'] == 'NDRT_FBYTES':
        out['fixed_length'] = t['count']
    if t.get('leaf') in ('date_time', 'ipv6'):
        out['shown_as'] = t['leaf']
    return out


def clone_name(model, m):
    """Manifest type name of a member's own copy of its type (ws_name on an
    embedded struct, ws_blob): `<TYPEDEF>@<field prefix>`."""
    prefix, blob = m.get('clone', (None, None))
    if not prefix and not blob:
        return None
    return '%s@%s' % (model.types[m['type']]['name'] if model.types[m['type']]['kind'] == 'NDRT_STRUCT'
                      else type_name_of(model, m['type'], m['idl_type']), prefix or blob)


def struct_members(model, t):
    mem = []
    for m in t['members_src']:
        e = {'name': m['name'], 'type': clone_name(model, m) or type_name_of(model, m['type'], m['idl_type']),
             'fields': abbrevs(model, m['field'])}
        if clone_name(model, m):
            e['typedef'] = type_name_of(model, m['type'], m['idl_type'])
        e.update(extra(model, m['type']))
        if m['size_is'] >= 0:
            e['size_is'] = t['members_src'][m['size_is']]['name']
        mem.append(e)
    return mem


def manifest(model):
    types = {}
    for name in model.p.order:
        td = model.p.typedefs[name]
        if td['kind'] == 'enum':
            types[name] = {'kind': 'enum', 'values': {n: v for n, v in td['body']},
                           'wire': 'v1_enum' if 'v1_enum' in td['attrs'] else 'enum'}
        elif td['kind'] == 'struct':
            t = model.types[model.named_node(name)] if name not in SPECIAL_STRUCTS else None
            if t is None:
                types[name] = {'kind': 'struct', 'shown_as': SPECIAL_STRUCTS[name],
                               'members': [{'name': m['name'], 'type': m['type'], 'fields': {}}
                                           for m in td['body']]}
                continue
            types[name] = {'kind': 'struct', 'members': struct_members(model, t), 'spec': td.get('spec')}
        elif td['kind'] == 'union':
            t = model.types[model.named_node(name)]
            arms = []
            for m in t['arms_src']:
                e = {'cases': m['cases'], 'name': m['name'],
                     'type': (clone_name(model, m) or type_name_of(model, m['type'], m['idl_type']))
                     if m['type'] is not None else None,
                     'fields': abbrevs(model, m['field'])}
                if m['type'] is not None and clone_name(model, m):
                    e['typedef'] = type_name_of(model, m['type'], m['idl_type'])
                if m['default']:
                    e['default'] = True
                if m['type'] is not None:
                    e.update(extra(model, m['type']))
                arms.append(e)
            types[name] = {'kind': 'union', 'arms': arms, 'spec': td.get('spec')}
    # the copies (ws_name on an embedded struct, ws_blob), under their own names
    for t in model.types:
        k = t['key']
        if k[0] == 'named' and len(k) == 4:
            types['%s@%s' % (k[1], k[2] or k[3])] = {'kind': 'struct', 'typedef': k[1],
                                                     'members': struct_members(model, t)}
    methods = {}
    for itf in model.ifaces:
        ms = {}
        for m in itf['methods']:
            ps = []
            for prm in m['params']:
                e = {'name': prm['name'], 'dir': prm['dirs'],
                     'type': type_name_of(model, prm['type'], prm['idl_type']),
                     'fields': abbrevs(model, prm['field'])}
                e.update(extra(model, prm['type']))
                if prm['info']:
                    e['info'] = True
                ps.append(e)
            ms[str(m['opnum'])] = {'name': m['name'], 'params': ps,
                                   'return_field': '%s.werror' % itf['name'] if m['status'] else None}
        methods[itf['name']] = ms
    for p in PROTOS:
        methods.setdefault(p, {})
    return json.dumps({'generator': 'tools/gen-dhcpm.py', 'types': types, 'methods': methods},
                      indent=1, sort_keys=False, ensure_ascii=False) + '\n'


FT_TEXT = {'FT_UINT8': 'uint8', 'FT_INT8': 'int8', 'FT_UINT16': 'uint16', 'FT_INT16': 'int16',
           'FT_UINT32': 'uint32', 'FT_INT32': 'int32', 'FT_UINT64': 'uint64', 'FT_INT64': 'int64',
           'FT_IPv4': 'IPv4', 'FT_IPv6': 'IPv6', 'FT_STRING': 'string', 'FT_BYTES': 'bytes',
           'FT_BOOLEAN': 'boolean', 'FT_ABSOLUTE_TIME': 'time (UTC)'}


def field_reference(model):
    lines = ['Generated by `tools/gen-dhcpm.py` from `plugin/idl/ms-dhcpm.idl`; '
             '`ctest -R unit.generated_up_to_date` fails when it is stale.', '',
             '%d fields derived from the description (besides the hand-registered ones of the sections '
             'above).' % len(model.fields), '']
    for proto in PROTOS:
        fs = sorted([f for f in model.fields if proto in f['protos']], key=lambda f: f['suffix'])
        lines.append('#### `%s` (%d fields)' % (proto, len(fs)))
        lines.append('')
        lines.append('| Field | Type | IDL |')
        lines.append('|---|---|---|')
        for f in fs:
            typ = FT_TEXT.get(f['ftype'], f['ftype'])
            if f['display'] == 'BASE_NETMASK':
                typ = 'IPv4 mask'
            if f['strings']:
                typ += ', names of `%s`' % f['strings']
            lines.append('| `%s.%s` | %s | %s |' % (proto, f['suffix'], typ, f['blurb']))
        lines.append('')
    return '\n'.join(lines)


BEGIN = '<!-- fields:begin (generated by tools/gen-dhcpm.py; do not edit by hand) -->'
END = '<!-- fields:end -->'


def splice_readme(text, body):
    if BEGIN not in text or END not in text:
        raise IdlError('README has no %s ... %s markers' % (BEGIN, END))
    a = text.index(BEGIN) + len(BEGIN)
    b = text.index(END)
    return text[:a] + '\n' + body + '\n' + text[b:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--idl', default='plugin/idl/ms-dhcpm.idl')
    ap.add_argument('--out', default='plugin/idl')
    ap.add_argument('--prefix', default='dhcpm')
    ap.add_argument('--fields-md', default=None, help='write the field reference here')
    ap.add_argument('--readme', default=None, help='README to splice the field reference into')
    ap.add_argument('--readme-out', default=None, help='write the spliced README here (default: in place)')
    args = ap.parse_args()
    try:
        with open(args.idl, encoding='utf-8') as f:
            model = Model(Parser(f.read()).parse()).run()
    except IdlError as e:
        sys.exit('%s: %s' % (args.idl, e))
    os.makedirs(args.out, exist_ok=True)
    hname = '%s-types.h' % args.prefix
    files = {
        os.path.join(args.out, '%s-types.c' % args.prefix): emit_c(model, args.prefix, hname),
        os.path.join(args.out, hname): emit_h(model, args.prefix),
        os.path.join(args.out, '%s-manifest.json' % args.prefix): manifest(model),
    }
    ref = field_reference(model)
    if args.fields_md:
        files[args.fields_md] = '# Field reference (generated)\n\n' + ref + '\n'
    if args.readme:
        with open(args.readme, encoding='utf-8') as f:
            files[args.readme_out or args.readme] = splice_readme(f.read(), ref)
    for path, text in files.items():
        d = os.path.dirname(path)
        if d:
            os.makedirs(d, exist_ok=True)
        with open(path, 'w', encoding='utf-8', newline='\n') as f:
            f.write(text)


if __name__ == '__main__':
    main()

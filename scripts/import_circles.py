#!/usr/bin/env python3
"""Usage: python3 scripts/import_circles.py [src] [-v]

Module import graph of src/crypto from the `use` lines and inline
`crate::`/`super::`/`self::` paths; prints import circles (strongly
connected components) at file level and at the level of crypto's direct
children. `pub use` re-exports are followed to the defining module, not
counted as dependencies. Test-only code (`#[cfg(test)] mod tests {..}`
blocks, `tests.rs` files) is left out."""
import os, re, sys
from collections import defaultdict

args = [a for a in sys.argv[1:] if a != '-v']
root = args[0] if args else 'src'
mods = {}  # module path tuple -> file
for dp, dn, fn in os.walk(root):
    for f in fn:
        if not f.endswith('.rs'):
            continue
        p = os.path.join(dp, f)
        rel = os.path.relpath(p, root)[:-3].split(os.sep)
        if rel == ['lib']:
            mp = ('crate',)
        elif rel[-1] == 'mod':
            mp = ('crate',) + tuple(rel[:-1])
        else:
            mp = ('crate',) + tuple(rel)
        mods[mp] = p

def strip(src):
    src = re.sub(r'//[^\n]*', '', src)
    src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
    src = re.sub(r'"(?:\\.|[^"\\])*"', '""', src)
    # drop #[cfg(test)] mod x { ... }
    out = []; i = 0
    for m in re.finditer(r'#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+\w+\s*\{', src):
        if m.start() < i:
            continue
        out.append(src[i:m.start()])
        depth = 1; j = m.end()
        while j < len(src) and depth:
            depth += {'{': 1, '}': -1}.get(src[j], 0); j += 1
        i = j
    out.append(src[i:])
    return ''.join(out)

def expand(tree, prefix=()):
    """`a::b::{c, d::{e as f}, self}` -> list of (path tuple, alias)."""
    tree = tree.strip()
    res = []
    m = re.match(r'^(.*?)\{(.*)\}$', tree, re.S)
    if m:
        pre = tuple(x for x in m.group(1).split('::') if x.strip())
        pre = tuple(x.strip() for x in pre)
        inner = m.group(2)
        depth = 0; cur = ''; parts = []
        for ch in inner:
            if ch == ',' and depth == 0:
                parts.append(cur); cur = ''
            else:
                depth += (ch == '{') - (ch == '}'); cur += ch
        parts.append(cur)
        for p in parts:
            if p.strip():
                res += expand(p, prefix + pre)
        return res
    alias = None
    if ' as ' in tree:
        tree, alias = [x.strip() for x in tree.split(' as ')]
    segs = prefix + tuple(x.strip() for x in tree.split('::') if x.strip())
    if segs and segs[-1] == 'self':
        segs = segs[:-1]
    return [(segs, alias or (segs[-1] if segs else None))]

def absolute(mp, segs):
    segs = list(segs)
    if not segs:
        return None
    if segs[0] == 'crate':
        return tuple(segs)
    base = list(mp)
    if segs[0] == 'self':
        segs = segs[1:]
        return tuple(base + segs)
    if segs[0] == 'super':
        while segs and segs[0] == 'super':
            base = base[:-1]; segs = segs[1:]
        return tuple(base + segs)
    # a child module or a name in scope (2018 paths): child module first
    if tuple(base + [segs[0]]) in mods:
        return tuple(base + segs)
    return None  # extern crate / std

uses = defaultdict(dict)    # module -> name -> abs path (all uses, for resolution)
deps = defaultdict(set)     # module -> abs paths it depends on
for mp, f in mods.items():
    if os.path.basename(f) == 'tests.rs':
        continue
    src = strip(open(f).read())
    for m in re.finditer(r'(^|[;{}\s])(pub(?:\([^)]*\))?\s+)?use\s+([^;]+);', src):
        pub = bool(m.group(2))
        for segs, alias in expand(m.group(3)):
            a = absolute(mp, segs)
            if a is None:
                continue
            if segs and segs[-1] == '*':
                if not pub:
                    deps[mp].add(a[:-1])
                continue
            uses[mp][alias] = a
            if not pub:
                deps[mp].add(a)
    body = re.sub(r'(^|[;{}\s])(pub(?:\([^)]*\))?\s+)?use\s+[^;]+;', ' ', src)
    for m in re.finditer(r'(?<![\w:])((?:crate|super|self)(?:::\w+)+)', body):
        a = absolute(mp, m.group(1).split('::'))
        if a:
            deps[mp].add(a)

def resolve(path, seen=()):
    # longest module prefix
    for k in range(len(path), 0, -1):
        if path[:k] in mods:
            M, rest = path[:k], path[k:]
            break
    else:
        return None
    if rest and rest[0] in uses[M] and (M, rest[0]) not in seen:
        return resolve(uses[M][rest[0]] + rest[1:], seen + ((M, rest[0]),))
    return M

edges = defaultdict(set)
for mp, ps in deps.items():
    for p in ps:
        t = resolve(p)
        if t and t != mp:
            edges[mp].add(t)

def sccs(nodes, edges):
    index = {}; low = {}; stack = []; on = set(); out = []; c = [0]
    sys.setrecursionlimit(10000)
    def sc(v):
        index[v] = low[v] = c[0]; c[0] += 1; stack.append(v); on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                sc(w); low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            out.append(comp)
    for v in nodes:
        if v not in index:
            sc(v)
    return [x for x in out if len(x) > 1]

name = lambda m: '::'.join(m[1:]) or 'crate'
crypto = [m for m in mods if m[:2] == ('crate', 'crypto')]
sub = {m: {t for t in edges[m] if t[:2] == ('crate', 'crypto')} for m in crypto}
found = 0
print('file-level circles under src/crypto:')
for comp in sccs(crypto, sub):
    found += 1
    print('  ', ' <-> '.join(sorted(name(m) for m in comp)))
    for m in sorted(comp):
        print('      ', name(m), '->', ', '.join(sorted(name(t) for t in sub[m] if t in comp)))
top = lambda m: m[:3]
tedges = defaultdict(set)
for m in crypto:
    for t in sub[m]:
        if top(t) != top(m):
            tedges[top(m)].add(top(t))
if not found:
    print('  none')
before = found
print("circles between crypto's direct children (submodules folded in):")
for comp in sccs(sorted({top(m) for m in crypto}), tedges):
    found += 1
    print('  ', ' <-> '.join(sorted(name(m) for m in comp)))
    for m in sorted(comp):
        print('      ', name(m), '->', ', '.join(sorted(name(t) for t in tedges[m] if t in comp)))
if found == before:
    print('  none')
if '-v' in sys.argv:
    for m in sorted(crypto):
        print(name(m), '->', ', '.join(sorted(name(t) for t in sub[m])))
sys.exit(1 if found else 0)

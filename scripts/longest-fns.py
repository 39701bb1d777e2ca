#!/usr/bin/env python3
"""List the longest Rust functions below a folder (default core/src), longest first.

A function runs from its `fn` line to the line holding its closing brace, found by counting
braces outside strings, chars and comments. Usage: scripts/longest-fns.py [DIR] [COUNT]
"""
import os
import re
import sys

FN = re.compile(r'^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)')


def code_braces(line, state):
    """Count { and } outside strings/chars/comments; `state` carries a block comment or raw string."""
    depth = 0
    i = 0
    n = len(line)
    while i < n:
        if state['block']:
            j = line.find('*/', i)
            if j < 0:
                return depth
            state['block'] = False
            i = j + 2
            continue
        if state['raw'] is not None:
            j = line.find('"' + '#' * state['raw'], i)
            if j < 0:
                return depth
            i = j + 1 + state['raw']
            state['raw'] = None
            continue
        if state['str']:
            if line[i] == '\\':
                i += 2
                continue
            if line[i] == '"':
                state['str'] = False
            i += 1
            continue
        c = line[i]
        if line.startswith('//', i):
            return depth
        if line.startswith('/*', i):
            state['block'] = True
            i += 2
            continue
        m = re.match(r'b?r(#*)"', line[i:])
        if m and (i == 0 or not (line[i - 1].isalnum() or line[i - 1] == '_')):
            state['raw'] = len(m.group(1))
            i += m.end()
            continue
        if c == '"':
            state['str'] = True
            i += 1
            continue
        if c == "'":
            m = re.match(r"'(\\.[^']*|[^\\'])'", line[i:])
            if m:
                i += m.end()
                continue
        if c == '{':
            depth += 1
        elif c == '}':
            depth -= 1
        i += 1
    return depth


def functions(path):
    lines = open(path, encoding='utf-8').read().split('\n')
    out = []
    stack = []  # (name, start, depth at start)
    depth = 0
    state = {'block': False, 'raw': None, 'str': False}
    for no, line in enumerate(lines, 1):
        m = FN.match(line) if not (state['block'] or state['raw'] is not None or state['str']) else None
        if m:
            stack.append([m.group(1), no, depth, False])
        before = depth
        depth += code_braces(line, state)
        for f in stack:
            if not f[3] and depth > f[2]:
                f[3] = True  # the body opened
        # a declaration without a body (trait method) ends with `;` before opening
        if stack and not stack[-1][3] and line.rstrip().endswith(';') and depth == stack[-1][2]:
            stack.pop()
        while stack and stack[-1][3] and depth <= stack[-1][2]:
            name, start, _, _ = stack.pop()
            out.append((no - start + 1, path, start, name))
        del before
    return out


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else 'core/src'
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    found = []
    for d, _, files in os.walk(root):
        for f in files:
            if f.endswith('.rs'):
                found += functions(os.path.join(d, f))
    found.sort(key=lambda t: (-t[0], t[1], t[2]))
    for n, path, start, name in found[:count]:
        print(f'{n:5}  {path}:{start}  {name}')


if __name__ == '__main__':
    main()

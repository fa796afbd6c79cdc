#!/usr/bin/env python3
"""Regenerates everything tools/gen-dhcpm.py derives from the descriptions into
a scratch directory and fails when a committed file differs: the plugin's
tables, manifest and field reference (from plugin/idl/ms-dhcpm.idl, or the
excerpt while the full description is absent), the README section between the
fields markers, and the unit tests' excerpt tables (tests/idl/excerpt.idl)."""
import argparse
import filecmp
import os
import subprocess
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--source-dir', required=True)
    ap.add_argument('--work-dir', required=True)
    a = ap.parse_args()
    src, work = os.path.abspath(a.source_dir), os.path.abspath(a.work_dir)
    gen = os.path.join(src, 'tools', 'gen-dhcpm.py')
    idl = os.path.join(src, 'plugin', 'idl', 'ms-dhcpm.idl')
    if not os.path.exists(idl):
        idl = os.path.join(src, 'tests', 'idl', 'excerpt.idl')
    runs = [
        (['--idl', idl, '--out', os.path.join(work, 'plugin', 'idl'), '--prefix', 'dhcpm',
          '--fields-md', os.path.join(work, 'docs', 'fields.md'),
          '--readme', os.path.join(src, 'README.md'), '--readme-out', os.path.join(work, 'README.md')],
         ['plugin/idl/dhcpm-types.c', 'plugin/idl/dhcpm-types.h', 'plugin/idl/dhcpm-manifest.json',
          'docs/fields.md', 'README.md']),
        (['--idl', os.path.join(src, 'tests', 'idl', 'excerpt.idl'),
          '--out', os.path.join(work, 'tests', 'idl'), '--prefix', 'excerpt'],
         ['tests/idl/excerpt-types.c', 'tests/idl/excerpt-types.h', 'tests/idl/excerpt-manifest.json']),
    ]
    stale = []
    for args, files in runs:
        subprocess.run([sys.executable, gen] + args, check=True)
        for rel in files:
            committed, fresh = os.path.join(src, rel), os.path.join(work, rel)
            if not os.path.exists(committed) or not filecmp.cmp(committed, fresh, shallow=False):
                stale.append(rel)
    if stale:
        print('STALE (run tools/gen-dhcpm.py, see docs/description.md): ' + ', '.join(stale))
        print('  diff: diff -u <committed> %s/<file>' % work)
        return 1
    print('generated files up to date (%s)' % os.path.relpath(idl, src))
    return 0


if __name__ == '__main__':
    sys.exit(main())

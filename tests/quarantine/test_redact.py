#!/usr/bin/env python3
# test_redact.py - vigie-quarantine masks numbers exactly as vigie's C does.
#
# SYNOPSIS
#	python3 tests/quarantine/test_redact.py
#
# DESCRIPTION
#	admin/vigie-quarantine.py carries a Python copy of redact_text
#	(milter/engine/util/redact.c) for what it prints from held messages.
#	This test holds the copy to the C function's own test table: it reads
#	redact_cases from tests/unit/test_nir.c (so a case added there is
#	checked here too) and adds cases for the edges of a number run (a
#	separator that ends it, 2A/2B only before a non-letter, eight digits
#	kept, nine masked; their wanted outputs are what redact_text
#	printed for them). Prints "ok - ..." / "not ok - ... (got X, want
#	Y)" per case and "N passed, M failed" last; exit 1 on a failure.
import ast
import importlib.util
import os
import re
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# edges of redact.c's run_end, beyond the C table
EXTRA_CASES = [
    ("12345678 kept", "12345678 kept"),
    ("123456789 masked", "######### masked"),
    ("1 2 3 4 5 6 7 8 9", "# # # # # # # # #"),
    ("1234 5678  9012 3456", "1234 5678  9012 3456"),
    ("tel. 01-23-45-67-89 x", "tel. ##-##-##-##-## x"),
    ("2A123456789", "###########"),
    ("2Abc 12345678", "2Abc 12345678"),
    ("12345.6789.", "#####.####."),
    ("caf\u00e9 123456789\u00e9", "caf\u00e9 #########\u00e9"),
    ("esc\x1b[31m", "esc [31m"),
]


# load_tool - admin/vigie-quarantine.py as a module (its name has a dash)
def load_tool():
    path = os.path.join(ROOT, "admin", "vigie-quarantine.py")
    spec = importlib.util.spec_from_file_location("vigie_quarantine", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# c_cases - the (input, wanted) pairs of redact_cases in test_nir.c
def c_cases():
    with open(os.path.join(ROOT, "tests", "unit", "test_nir.c")) as f:
        src = f.read()
    m = re.search(r"redact_cases\[\] = \{(.*?)\n\};", src, re.S)
    if not m:
        return []
    pairs = re.findall(r'\{ *("(?:[^"\\]|\\.)*"), *("(?:[^"\\]|\\.)*") *\}',
                       m.group(1))
    return [(ast.literal_eval(a), ast.literal_eval(b)) for a, b in pairs]


# main - every case, one line each, then the count
def main():
    redact = load_tool().redact
    passed = failed = 0
    table = c_cases()
    if len(table) < 5:
        print("not ok - redact_cases read from tests/unit/test_nir.c "
              "(got %d cases, want at least 5)" % len(table))
        failed += 1
    for src, want in table + EXTRA_CASES:
        got = redact(src)
        if got == want:
            print("ok - %r" % src)
            passed += 1
        else:
            print("not ok - %r (got %r, want %r)" % (src, got, want))
            failed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

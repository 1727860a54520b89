#!/bin/bash
# test_lib.sh - tests/lib.sh, the result counter of every shell suite.
#
# SYNOPSIS
#	bash tests/harness/test_lib.sh
#
# DESCRIPTION
#	Runs small scripts that use tests/lib.sh in a child bash and checks
#	what they print and how they exit: the ok / not ok lines and their
#	got/want part, check_eq and check_match both ways, the closing count
#	line, exit 1 after a failure and 0 otherwise, skip's exit 77, and
#	that sourcing lib.sh a second time (tests/e2e/lib.sh sources it too)
#	keeps the counts.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh

# child BODY - run BODY in a bash that has sourced tests/lib.sh; sets OUT, RC
child() {
	OUT=$(bash -c ". '$ROOT/tests/lib.sh'; $1" 2>&1)
	RC=$?
}

child 'ok first; finish'
check_eq "ok, finish: output" "$OUT" "ok - first
1 passed, 0 failed"
check_eq "ok, finish: exit 0" "$RC" 0

child 'ok a; not_ok b; not_ok c got want; not_ok d "" want; finish; echo after'
check_eq "not_ok, with and without got/want: output" "$OUT" "ok - a
not ok - b
not ok - c (got got, want want)
not ok - d (got nothing, want want)
1 passed, 3 failed"
check_eq "finish after a failure: exit 1, nothing after it runs" "$RC" 1

child 'check_eq same x x; check_eq differ x y; finish'
check_eq "check_eq both ways" "$OUT" "ok - same
not ok - differ (got 'x', want 'y')
1 passed, 1 failed"

child 'check_match hit "a
b2c" "^b[0-9]"; check_match miss "a
b" "^c"; finish'
check_eq "check_match both ways; a miss shows the lines joined" "$OUT" "ok - hit
not ok - miss (got 'a|b', want /^c/)
1 passed, 1 failed"

child 'ok before; skip "no tool here"; ok after'
check_eq "skip: says why" "$OUT" "ok - before
skip: no tool here"
check_eq "skip: exit 77" "$RC" 77

child "ok one; . '$ROOT/tests/lib.sh'; ok two; finish"
check_eq "sourcing lib.sh twice keeps the counts" "$(printf '%s\n' "$OUT" | tail -n 1)" "2 passed, 0 failed"

child "finish"
check_eq "no check at all: 0 passed, 0 failed, exit 0" "$OUT $RC" "0 passed, 0 failed 0"
finish

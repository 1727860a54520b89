#!/bin/bash
# test_runner.sh - tests/run-tests.sh counts fake suites as it should.
#
# SYNOPSIS
#	bash tests/harness/test_runner.sh
#
# DESCRIPTION
#	Writes small fake suites into a temp dir (scripts that print a count
#	line or none, exit 0, 1, 3 or 77; executables that print a cmocka
#	summary or none) and runs tests/run-tests.sh on them, one at a time
#	and all together. Each fake suite must land in the runner's summary
#	table with the counts it deserves; above all, a suite that exits 0
#	without a count line, or a binary without a cmocka summary, is a
#	failure, not a pass. The runner's last line and exit status are
#	checked too.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh

F=$(mktemp -d /tmp/vigie-test-runner.XXXXXX) || exit 2
trap 'rm -rf "$F"' EXIT

# fake NAME BODY - an executable fake suite $F/NAME running the shell BODY
fake() {
	printf '#!/bin/sh\n%s\n' "$2" >"$F/$1"
	chmod +x "$F/$1"
}

fake counted.sh 'echo "ok - a"; echo "3 passed, 0 failed"; exit 0'
fake silent.sh 'echo "ok - looks fine"; exit 0'
fake failing.sh 'echo "2 passed, 1 failed"; exit 1'
fake crashed.sh 'echo "ok - started"; exit 3'
fake exit1-no-failure.sh 'echo "4 passed, 0 failed"; exit 1'
fake skipped.sh 'echo "skip: not here"; exit 77'
fake lib-user.sh ". '$ROOT/tests/lib.sh'; ok one; ok two; not_ok three; finish"
fake unit-ok 'echo "[==========] 4 test(s) run."; echo "[  PASSED  ] 4 test(s)."; exit 0'
fake unit-silent 'echo "nothing to see"; exit 0'
fake unit-failed 'echo "[  PASSED  ] 5 test(s)."; echo "[  FAILED  ] 2 test(s), listed below:"; exit 2'

# runner SUITE... - run tests/run-tests.sh on fake suites; sets OUT and RC
runner() {
	OUT=$(VIGIE_TEST_TIMEOUT=30 bash tests/run-tests.sh "$@" 2>&1)
	RC=$?
}

# row - the summary row of one suite: its counts and note, path and
# the time it took ("  [N s]") left out
row() {
	printf '%s\n' "$OUT" | sed -n "s|^  $F/$1 *||p" | sed 's/  \[[0-9]* s\]$//'
}

# one - the runner on a single suite: its summary row, last line, status
one() {	# DESCRIPTION SUITE ROW LAST-LINE EXIT-STATUS
	runner "$F/$2"
	check_eq "$1: summary row" "$(row "$2")" "$3"
	check_eq "$1: last line" "$(printf '%s\n' "$OUT" | tail -n 1)" "$4"
	check_eq "$1: exit status" "$RC" "$5"
}

one "count line, exit 0" counted.sh "3 passed, 0 failed" "3 passed, 0 failed" 0
one "no count line, exit 0: a failure" silent.sh \
	"0 passed, 1 failed (exit 0, no count line)" "0 passed, 1 failed" 1
one "count line with a failure" failing.sh "2 passed, 1 failed" "2 passed, 1 failed" 1
one "no count line, exit 3" crashed.sh \
	"0 passed, 1 failed (exit 3, no count line)" "0 passed, 1 failed" 1
one "count line without failure, exit 1" exit1-no-failure.sh \
	"4 passed, 1 failed (exit 1)" "4 passed, 1 failed" 1
fake slow.sh 'sleep 2; echo "1 passed, 0 failed"'
runner "$F/slow.sh"
check_match "a suite's row shows the seconds it took" "$(printf '%s\n' "$OUT" | grep "$F/slow.sh")" '1 passed, 0 failed  \[[23] s\]$'
one "exit 77: skipped, with its reason" skipped.sh \
	"skipped: skip: not here" "0 passed, 0 failed, 1 skipped" 0
one "a script using tests/lib.sh" lib-user.sh "2 passed, 1 failed" "2 passed, 1 failed" 1
one "cmocka summary" unit-ok "4 passed, 0 failed" "4 passed, 0 failed" 0
one "binary without a cmocka summary, exit 0: a failure" unit-silent \
	"0 passed, 1 failed (exit 0, no cmocka summary)" "0 passed, 1 failed" 1
one "cmocka failures" unit-failed "5 passed, 2 failed" "5 passed, 2 failed" 1

runner "$F/counted.sh" "$F/unit-ok" "$F/skipped.sh"
check_eq "all good: total" "$(printf '%s\n' "$OUT" | tail -n 1)" "7 passed, 0 failed, 1 skipped"
check_eq "all good: exit 0" "$RC" 0
runner "$F/counted.sh" "$F/silent.sh" "$F/unit-silent" "$F/failing.sh"
check_eq "one silent suite among good ones: total" "$(printf '%s\n' "$OUT" | tail -n 1)" \
	"5 passed, 3 failed"
check_eq "one silent suite among good ones: exit 1" "$RC" 1
check_match "each suite's output shown indented" "$OUT" '^    ok - looks fine$'
finish

#!/bin/bash
# run-tests.sh - run every vigie test, print one total line.
#
# SYNOPSIS
#	make check		(builds first; then: sh tests/run-tests.sh)
#	sh tests/run-tests.sh	(from anywhere; runs from the repository root)
#	sh tests/run-tests.sh SUITE...	only these suites, counted the same way
#
# DESCRIPTION
#	Without arguments, runs, from the repository root, and in this order:
#
#	1. every unit test binary in build/tests/ and build-asan/tests/
#	   (cmocka; counted from its "[  PASSED  ] N test(s)." and
#	   "[  FAILED  ] N test(s)" lines);
#	2. every test script found by the convention below, which includes
#	   the end-to-end test tests/e2e/test_postfix.sh;
#	3. the miltertest suite, tests/miltertest/run.sh, against
#	   build/vigie-milter; then it and the end-to-end test again against
#	   the ASan+UBSan build build-asan/vigie-milter when it exists (a
#	   sanitizer report kills the milter, which the suites notice).
#
#	Convention for test scripts: any tests/*/test_*.sh (run with bash)
#	or tests/*/test_*.py (run with python3), from the repository root.
#	Such a script prints what it likes, ends with a line
#	"N passed, M failed" counting its own checks, and exits 0 when all
#	passed. Exit status 77 means "skipped" (say why on the line before):
#	use it when a prerequisite is absent, e.g. the shared corpus, which
#	this runner points to with VIGIE_CORPUS (../shared/corpus beside the
#	repository, unset when absent). tests/lib.sh gives a script these
#	lines (ok, not_ok, check_eq, check_match, skip, finish). A script
#	without a count line, or a unit binary without a cmocka summary,
#	counts as one failure whatever its exit status: a suite that stopped
#	early or never ran its checks has proved nothing.
#
#	With arguments, runs only the suites named (paths; *.sh with bash,
#	*.py with python3, any other executable as a cmocka binary), e.g. to
#	rerun one suite as make check counts it; tests/harness/test_runner.sh
#	runs it so on fake suites.
#
#	Each child's output is shown indented by four spaces. The very last
#	line is the total: "N passed, M failed" (", K skipped" added when a
#	suite was skipped). Exit status 1 when anything failed.
#
# ENVIRONMENT
#	VIGIE_TEST_TIMEOUT	seconds allowed to one binary or script (600)
#	VIGIE_DNS_RESOLVER	set to "none" here: no test asks the network's
#				DNS (tests/auth brings its own server on loopback)
#	LSAN_OPTIONS		suppressions=tests/lsan.supp added (library leaks)
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
TIMEOUT=${VIGIE_TEST_TIMEOUT:-600}
VIGIE_DNS_RESOLVER=none
export VIGIE_DNS_RESOLVER
# the ASan+UBSan programs: leaks of libraries vigie cannot fix (see the file)
LSAN_OPTIONS="suppressions=$ROOT/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS
if [ -d "$ROOT/../shared/corpus" ]; then
	VIGIE_CORPUS=$(cd "$ROOT/../shared/corpus" && pwd)
	export VIGIE_CORPUS
else
	unset VIGIE_CORPUS
fi

TOTAL_PASSED=0
TOTAL_FAILED=0
TOTAL_SKIPPED=0
SUMMARY=()
OUT=$(mktemp /tmp/vigie-run-tests.XXXXXX) || exit 2
trap 'rm -f "$OUT"' EXIT

# record - add one suite's counts to the totals and the summary table
record() {
	local name=$1 passed=$2 failed=$3 note=${4:-}
	TOTAL_PASSED=$((TOTAL_PASSED + passed))
	TOTAL_FAILED=$((TOTAL_FAILED + failed))
	SUMMARY+=("$(printf '%-44s %4d passed, %d failed%s  [%d s]' "$name" "$passed" "$failed" "$note" "$ELAPSED")")
}

# run_child - run a command with a timeout, output indented; sets RC
# and ELAPSED (seconds, shown in the summary so slow suites stand out)
run_child() {
	local start=$SECONDS
	timeout --kill-after=10 "$TIMEOUT" "$@" </dev/null >"$OUT" 2>&1
	RC=$?
	ELAPSED=$((SECONDS - start))
	sed 's/^/    /' "$OUT"
	if [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
		echo "    (timed out after $TIMEOUT s)"
	fi
}

# run_unit - one cmocka binary
run_unit() {
	local bin=$1 passed failed
	echo "== unit: $bin"
	run_child "$bin"
	passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$OUT" | awk '{s += $1} END {print s + 0}')
	failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$OUT" | awk '{s += $1} END {print s + 0}')
	if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
		record "$bin" 0 1 " (exit $RC, no cmocka summary)"
	elif [ "$RC" -ne 0 ] && [ "$failed" -eq 0 ]; then
		record "$bin" "$passed" 1 " (exit $RC)"
	else
		record "$bin" "$passed" "$failed"
	fi
}

# run_script - one script that ends with "N passed, M failed"
run_script() {
	local name=$1 line passed failed
	shift
	echo "== script: $name"
	run_child "$@"
	if [ "$RC" -eq 77 ]; then
		TOTAL_SKIPPED=$((TOTAL_SKIPPED + 1))
		SUMMARY+=("$(printf '%-44s skipped: %s' "$name" "$(grep -v '^[[:space:]]*$' "$OUT" | tail -n 1 | cut -c1-80)")")
		return
	fi
	line=$(grep -E '^[[:space:]]*[0-9]+ passed, [0-9]+ failed' "$OUT" | tail -n 1)
	passed=$(printf '%s\n' "$line" | sed -n 's/^[[:space:]]*\([0-9]*\) passed.*/\1/p')
	failed=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
	passed=${passed:-0}
	failed=${failed:-0}
	if [ -z "$line" ]; then
		record "$name" 0 1 " (exit $RC, no count line)"
	elif [ "$RC" -ne 0 ] && [ "$failed" -eq 0 ]; then
		record "$name" "$passed" 1 " (exit $RC)"
	else
		record "$name" "$passed" "$failed"
	fi
}

# run_suite - one suite by its kind: script by extension, else cmocka binary
run_suite() {
	case $1 in
	*.sh) run_script "$1" bash "$1" ;;
	*.py) run_script "$1" python3 "$1" ;;
	*) run_unit "$1" ;;
	esac
}

# summary - the table of suites and the total line; exit 1 when anything failed
summary() {
	local row
	echo
	echo "== summary"
	for row in "${SUMMARY[@]}"; do
		echo "  $row"
	done
	if [ "$TOTAL_SKIPPED" -gt 0 ]; then
		echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed, $TOTAL_SKIPPED skipped"
	else
		echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
	fi
	[ "$TOTAL_FAILED" -eq 0 ] && [ "$((TOTAL_PASSED + TOTAL_SKIPPED))" -gt 0 ]
	exit
}

# only the suites named on the command line
if [ $# -gt 0 ]; then
	for suite in "$@"; do
		run_suite "$suite"
	done
	summary
fi

# 1. unit tests
for dir in build/tests build-asan/tests; do
	[ -d "$dir" ] || continue
	for bin in "$dir"/*; do
		[ -f "$bin" ] && [ -x "$bin" ] || continue
		run_unit "$bin"
	done
done

# 2. test scripts by convention
for script in tests/*/test_*.sh tests/*/test_*.py; do
	[ -f "$script" ] || continue
	run_suite "$script"
done

# 3. miltertest suite; then both milter suites against the sanitized build
if [ -f tests/miltertest/run.sh ]; then
	run_script "tests/miltertest/run.sh" bash tests/miltertest/run.sh
fi
if [ -x build-asan/vigie-milter ]; then
	for suite in tests/miltertest/run.sh tests/e2e/test_postfix.sh; do
		[ -f "$suite" ] || continue
		run_script "$suite (ASan+UBSan milter)" \
			env VIGIE_MILTER="$ROOT/build-asan/vigie-milter" bash "$suite"
	done
fi

summary

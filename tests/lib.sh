# lib.sh - the one result counter of every shell test suite.
#
# SYNOPSIS
#	. tests/lib.sh			(from bash; sourcing it twice is harmless)
#	ok DESCRIPTION			a passed check: "ok - DESCRIPTION"
#	not_ok DESCRIPTION [GOT WANT]	a failed check: "not ok - DESCRIPTION
#					(got GOT, want WANT)"
#	check_eq DESCRIPTION GOT WANT	ok when GOT equals WANT
#	check_match DESCRIPTION GOT RE	ok when GOT matches the extended regex RE
#	skip REASON			"skip: REASON", exit 77 (the suite is skipped)
#	finish				"N passed, M failed"; exit 1 when a check
#					failed, else 0
#
# DESCRIPTION
#	Every tests/*/test_*.sh and tests/miltertest/run.sh counts its checks
#	with these helpers and ends with finish, so that tests/run-tests.sh
#	reads the same closing line from all of them. TEST_PASSED and
#	TEST_FAILED hold the counts (a clean-up trap may read TEST_FAILED to
#	decide whether to show logs). A check is a condition written as GOT
#	and WANT: check_eq "exit status" "$?" 0, or, for a condition,
#	check_eq "delivered" "$([ -n "$f" ] && echo yes)" yes.
# shellcheck shell=bash

[ -n "${VIGIE_TEST_LIB:-}" ] && return 0
VIGIE_TEST_LIB=1
TEST_PASSED=0
TEST_FAILED=0

# ok - record a passed check
ok() {
	TEST_PASSED=$((TEST_PASSED + 1))
	echo "ok - $1"
}

# not_ok - record a failed check: not_ok DESCRIPTION [GOT WANT]
not_ok() {
	TEST_FAILED=$((TEST_FAILED + 1))
	if [ $# -ge 2 ]; then
		echo "not ok - $1 (got ${2:-nothing}, want $3)"
	else
		echo "not ok - $1"
	fi
}

# check_eq - ok when GOT equals WANT: check_eq DESCRIPTION GOT WANT
check_eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "'$2'" "'$3'"; fi
}

# check_match - ok when GOT matches the extended regex RE
check_match() {
	if printf '%s\n' "$2" | grep -Eq -- "$3"; then
		ok "$1"
	else
		not_ok "$1" "'$(printf '%s' "$2" | tr '\n' '|' | cut -c1-200)'" "/$3/"
	fi
}

# skip - the suite cannot run here: say why, exit 77
skip() {
	echo "skip: $*"
	exit 77
}

# finish - the closing count line; exit 1 when a check failed
finish() {
	echo "$TEST_PASSED passed, $TEST_FAILED failed"
	[ "$TEST_FAILED" -eq 0 ] || exit 1
	exit 0
}

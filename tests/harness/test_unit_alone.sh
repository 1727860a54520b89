#!/bin/bash
# test_unit_alone.sh - every cmocka unit test passes when run alone.
#
# SYNOPSIS
#	bash tests/harness/test_unit_alone.sh	(after make unit)
#
# DESCRIPTION
#	A unit test that passes only after another test of its binary ran
#	(state left behind in a global) proves less than it seems, and breaks
#	when tests are reordered. For each binary in build/tests/, this lists
#	its tests from a full run ("[ RUN      ] name" lines), then runs each
#	one alone (VIGIE_TEST_FILTER=name, see test_filter_from_env in
#	tests/unit/testutil.h): one check per test, passed when exactly that
#	test ran and passed. Exit 77 when build/tests/ holds no binary.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh

bins=()
for bin in build/tests/test_*; do
	[ -f "$bin" ] && [ -x "$bin" ] && bins+=("$bin")
done
[ ${#bins[@]} -gt 0 ] || skip "no unit test binary in build/tests (make unit)"

for bin in "${bins[@]}"; do
	names=$("$bin" 2>&1 | sed -n 's/^\[ RUN      \] //p')
	check_match "$bin: lists its tests" "$names" '^test_'
	for name in $names; do
		out=$(VIGIE_TEST_FILTER=$name "$bin" 2>&1)
		rc=$?
		check_eq "$bin: $name alone" \
			"$rc $(printf '%s\n' "$out" | grep -c '^\[ RUN      \]') $(printf '%s\n' "$out" | grep -c "^\[       OK \] $name\$")" \
			"0 1 1"
	done
done
finish

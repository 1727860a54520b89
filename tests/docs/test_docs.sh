#!/bin/bash
# test_docs.sh - the generated parts of the documentation are up to date.
#
# SYNOPSIS
#	bash tests/docs/test_docs.sh
#
# DESCRIPTION
#	The detector tables of README.md and vigie.conf(5) must be what
#	tests/tools/detector-docs.sh makes from `vigie-scan
#	--list-detectors`; `vigie-scan --check` must name each detector the
#	shipped rules use with that same summary. Ends with
#	"N passed, M failed"; 77 when build/vigie-scan is not built.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
SCAN=build/vigie-scan
[ -x "$SCAN" ] || { echo "build/vigie-scan is not built: run make first"; exit 77; }
passed=0 failed=0
# check - one named check: check NAME COMMAND...
check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok   $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		failed=$((failed + 1))
	fi
}
check "README and vigie.conf(5) detector tables match the code" \
	tests/tools/detector-docs.sh check "$SCAN"
summary_of() { "$SCAN" --list-detectors | awk -F'\t' -v d="$1" '$1 == d { print $2 }'; }
check_out=$("$SCAN" -c config/vigie.conf --check 2>/dev/null)
want=$(summary_of nir)
check "--check shows the nir detector's summary" \
	grep -qF "detector nir (2 rules): $want" <<<"$check_out"
n=$("$SCAN" --list-detectors | wc -l)
check "--list-detectors lists every detector ($n)" test "$n" -ge 15
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

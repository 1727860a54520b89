#!/bin/bash
# test_docs.sh - the generated parts of the documentation are up to date.
#
# SYNOPSIS
#	bash tests/docs/test_docs.sh
#
# DESCRIPTION
#	The detector tables of README.md and vigie.conf(5) must be what
#	tests/tools/gen-docs.sh makes from `vigie-scan
#	--list-detectors`; `vigie-scan --check` must name each detector the
#	shipped rules use with that same summary. Ends with
#	"N passed, M failed" (tests/lib.sh); 77 when build/vigie-scan is not built.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh
SCAN=build/vigie-scan
[ -x "$SCAN" ] || skip "build/vigie-scan is not built: run make first"
if tests/tools/gen-docs.sh check "$SCAN"; then
	ok "generated blocks of README and vigie.conf(5) match their sources"
else
	not_ok "generated blocks of README and vigie.conf(5) match their sources"
fi
summary_of() { "$SCAN" --list-detectors | awk -F'\t' -v d="$1" '$1 == d { print $2 }'; }
check_out=$("$SCAN" -c config/vigie.conf --check 2>/dev/null)
check_eq "--check shows the nir detector's summary" \
	"$(grep -cF "detector nir (2 rules): $(summary_of nir)" <<<"$check_out")" 1
check_eq "--list-detectors lists every detector" \
	"$("$SCAN" --list-detectors | wc -l)" "$(grep -c '^	{ "[a-z_]*", [01],' milter/engine/detect/detector.c)"
finish

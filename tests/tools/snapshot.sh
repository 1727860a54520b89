#!/bin/bash
# snapshot.sh - record what vigie-scan says of every test message, to
# prove that a change did not change behaviour.
#
# SYNOPSIS
#	tests/tools/snapshot.sh save DIR [VIGIE_SCAN]
#	tests/tools/snapshot.sh compare DIR [VIGIE_SCAN]
#
# DESCRIPTION
#	Runs vigie-scan (default build/vigie-scan) with the shipped
#	config/vigie.conf in three modes, --json, --dump and --explain, over
#	every message of tests/ and, when present, ../shared/corpus.
#	`save` writes one file per mode into DIR; `compare` runs again and
#	diffs against DIR, printing the first differences and exiting 1 when
#	any output differs. Use it around a refactoring: save with the old
#	build, compare with the new one.
#
#	Output is byte-for-byte, so run both sides on the same machine (the
#	verdicts do not depend on time, but a different ICU or GMime would
#	show here).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2

[ $# -ge 2 ] || { echo "usage: $0 save|compare DIR [VIGIE_SCAN]" >&2; exit 2; }
verb=$1 dir=$2 scan=${3:-build/vigie-scan}
[ -x "$scan" ] || { echo "snapshot: $scan is not built" >&2; exit 2; }

inputs=(tests/corpus/phish tests/corpus/legit tests/rules/msgs tests/e2e/samples)
if [ -d ../shared/corpus ]; then
	inputs+=(../shared/corpus)
else
	echo "snapshot: ../shared/corpus absent, tests/ messages only" >&2
fi

# run_modes - one output file per mode into $1
run_modes() {
	local out=$1 mode
	mkdir -p "$out" || exit 2
	for mode in json dump explain; do
		"$scan" -c config/vigie.conf --"$mode" -j 1 "${inputs[@]}" \
		    >"$out/$mode.txt" 2>"$out/$mode.err"
		echo "exit $?" >>"$out/$mode.err"
	done
}

case $verb in
save)
	run_modes "$dir"
	wc -l "$dir"/*.txt
	;;
compare)
	[ -d "$dir" ] || { echo "snapshot: no saved snapshot in $dir" >&2; exit 2; }
	new=$(mktemp -d /tmp/vigie-snapshot.XXXXXX) || exit 2
	trap 'rm -rf "$new"' EXIT
	run_modes "$new"
	if diff -r -q "$dir" "$new" >/dev/null; then
		echo "snapshot: identical ($(cat "$new"/*.txt | wc -l) lines in json, dump, explain)"
		exit 0
	fi
	diff -r "$dir" "$new" | head -n 40
	echo "snapshot: DIFFERENT from $dir"
	exit 1
	;;
*)
	echo "usage: $0 save|compare DIR [VIGIE_SCAN]" >&2
	exit 2
	;;
esac

#!/bin/sh
# run.sh - run the libFuzzer targets built by build.sh, one after the other.
#
# SYNOPSIS
#	sh tests/fuzz/run.sh [NAME...]		(make fuzz: build.sh, then this)
#
# DESCRIPTION
#	For each target build-fuzz/fuzz_NAME (all of them when no NAME is
#	given; NAME is e.g. "mime" or "fuzz_mime"):
#
#	1. replays every file of tests/fuzz/regressions/NAME/ once: these
#	   are inputs that once crashed, and must not any more;
#	2. fuzzes for FUZZ_SECONDS with -rss_limit_mb=2048 -timeout=10 in
#	   the scratch corpus build-fuzz/corpus/NAME/, seeded from
#	   tests/fuzz/seeds/NAME/ and, for mime, engine and html, from the
#	   shared corpus (../shared/corpus/mime/*/ and phishing_pot/) while
#	   the scratch corpus is still empty (later runs start from what
#	   the earlier ones kept). The repository's seeds are never written.
#
#	LeakSanitizer reads tests/fuzz/lsan.supp (a libconfig leak).
#
#	Prints one line per target: executions, and "ok" or the crash file.
#	Findings are kept as build-fuzz/artifacts/NAME/crash-* (or leak-*,
#	timeout-*, oom-*); the log of each run is build-fuzz/logs/NAME.log.
#	A leak found only when the fuzzer exits leaves an empty crash file:
#	the log names the allocation.
#
# ENVIRONMENT
#	FUZZ_SECONDS	seconds of fuzzing per target (60)
#	FUZZ_OUT	the build directory (build-fuzz)
#
# EXIT STATUS
#	0 when nothing was found, 1 on a finding, 2 when a target is missing.
set -u

cd "$(dirname "$0")/../.." || exit 2
SECONDS_PER=${FUZZ_SECONDS:-60}
OUT=${FUZZ_OUT:-build-fuzz}
SHARED=../shared/corpus
OPTS="-rss_limit_mb=2048 -timeout=10 -print_final_stats=1"
LSAN_OPTIONS="suppressions=$(pwd)/tests/fuzz/lsan.supp:print_suppressions=0\
${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export LSAN_OPTIONS

if [ $# -eq 0 ]; then
	set -- $(ls "$OUT"/fuzz_* 2>/dev/null | sed 's,.*/fuzz_,,')
fi
[ $# -gt 0 ] || { echo "run.sh: no target in $OUT (run build.sh)"; exit 2; }

# shared_seeds - the shared corpus folders that seed a target, if any
shared_seeds() {
	case $1 in
	mime|engine|html) ;;
	*) return ;;
	esac
	[ -d "$SHARED" ] || return
	for d in "$SHARED"/mime/*/ "$SHARED"/phishing_pot/; do
		[ -d "$d" ] && printf '%s\n' "${d%/}"
	done
}

# execs - executions counted in a libFuzzer log
execs() {
	sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$1" |
	    tail -n 1
}

found=0
for name in "$@"; do
	name=${name#fuzz_}
	bin=$OUT/fuzz_$name
	if [ ! -x "$bin" ]; then
		echo "fuzz_$name: missing $bin"
		exit 2
	fi
	corpus=$OUT/corpus/$name
	art=$OUT/artifacts/$name
	log=$OUT/logs/$name.log
	mkdir -p "$corpus" "$art" "$OUT/logs"
	: >"$log"

	reg=tests/fuzz/regressions/$name
	if [ -d "$reg" ] && [ -n "$(ls "$reg")" ]; then
		if ! "$bin" $OPTS -artifact_prefix="$art/" "$reg"/* \
		    >>"$log" 2>&1; then
			echo "fuzz_$name: a regression input fails again," \
			    "see $log"
			found=1
			continue
		fi
	fi

	seeds=
	[ -d "tests/fuzz/seeds/$name" ] && seeds="tests/fuzz/seeds/$name"
	if [ -z "$(ls "$corpus")" ]; then
		seeds="$seeds $(shared_seeds "$name" | tr '\n' ' ')"
	fi
	before=$(ls "$art")
	start=$(date +%s)
	"$bin" $OPTS -max_total_time="$SECONDS_PER" \
	    -artifact_prefix="$art/" "$corpus" $seeds >>"$log" 2>&1
	rc=$?
	took=$(($(date +%s) - start))
	n=$(execs "$log")
	new=$(ls -t "$art" | head -n 1)
	if [ "$rc" -ne 0 ] || [ "$(ls "$art")" != "$before" ]; then
		echo "fuzz_$name: ${n:-?} executions in $took s," \
		    "FOUND: $art/$new (log $log)"
		found=1
	else
		echo "fuzz_$name: ${n:-?} executions in $took s," \
		    "$(ls "$corpus" | wc -l) in corpus, ok"
	fi
done
exit $found

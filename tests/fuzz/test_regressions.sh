#!/bin/bash
# test_regressions.sh - replay every fuzz target's seeds and past crash
# inputs against the normal build, without clang or libFuzzer.
#
# SYNOPSIS
#	sh tests/run-tests.sh		(make check; this is tests/*/test_*.sh)
#	bash tests/fuzz/test_regressions.sh
#
# DESCRIPTION
#	For each tests/fuzz/fuzz_NAME.c with inputs in tests/fuzz/seeds/NAME/
#	or tests/fuzz/regressions/NAME/, links the target with replay.c,
#	fuzz_common.c and build/libvigie.a (make fuzz-replay, into build/fuzz-replay/), and with
#	build-asan/libvigie.a and ASan+UBSan when that library exists, and
#	runs it on those inputs. One check per target and build: it passes
#	when the replay exits 0 (no abort, no sanitizer report). Ends with
#	"N passed, M failed"; exit 1 on a failure, 77 when build/libvigie.a
#	is missing (run make first).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh

export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:\
print_suppressions=0"
export ASAN_OPTIONS="abort_on_error=0"

[ -f build/libvigie.a ] || skip "build/libvigie.a is missing: run make first"

log=$(mktemp /tmp/vigie-replay.XXXXXX) || exit 2
trap 'rm -f "$log"' EXIT

# replay - build one target's driver against one build and run it: one check
replay() {
	local name=$1 build=$2 bin n
	shift 2
	bin=$build/fuzz-replay/replay_$name
	if ! make -s BUILD="$build" $(sanitize_of "$build") "$bin" >"$log" 2>&1; then
		sed 's/^/  /' "$log"
		not_ok "$name ($build): builds"
		return
	fi
	if "$bin" "$@" >"$log" 2>&1; then
		n=$(sed -n 's/^replay: \([0-9]*\) inputs$/\1/p' "$log")
		ok "$name ($build): ${n:-?} inputs replayed"
	else
		tail -n 30 "$log" | sed 's/^/  /'
		not_ok "$name ($build): the last input named above fails"
	fi
}

# sanitize_of - the make variable that the build directory was made with
sanitize_of() {
	[ "$1" = build-asan ] && echo SANITIZE=1
}

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
	[ "$name" = common ] && continue	# the shared set-up, no target
	inputs=()
	for d in "tests/fuzz/seeds/$name" "tests/fuzz/regressions/$name"; do
		[ -d "$d" ] && inputs+=("$d")
	done
	[ ${#inputs[@]} -gt 0 ] || continue
	replay "$name" build "${inputs[@]}"
	if [ -f build-asan/libvigie.a ]; then
		replay "$name" build-asan "${inputs[@]}"
	fi
done
finish

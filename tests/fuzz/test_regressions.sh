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
#	or tests/fuzz/regressions/NAME/, links the target with replay.c and
#	build/libvigie.a (make fuzz-replay, into build/fuzz-replay/), and with
#	build-asan/libvigie.a and ASan+UBSan when that library exists, and
#	runs it on those inputs. One check per target and build: it passes
#	when the replay exits 0 (no abort, no sanitizer report). Ends with
#	"N passed, M failed"; exit 1 on a failure, 77 when build/libvigie.a
#	is missing (run make first).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2

export LSAN_OPTIONS="suppressions=$ROOT/tests/fuzz/lsan.supp:\
print_suppressions=0"
export ASAN_OPTIONS="abort_on_error=0"

if [ ! -f build/libvigie.a ]; then
	echo "build/libvigie.a is missing: run make first"
	exit 77
fi

passed=0
failed=0
log=$(mktemp /tmp/vigie-replay.XXXXXX) || exit 2
trap 'rm -f "$log"' EXIT

# replay - build one target's driver against one build and run it; count the result
replay() {
	local name=$1 build=$2 bin n
	shift 2
	bin=$build/fuzz-replay/replay_$name
	if ! make -s BUILD="$build" $(sanitize_of "$build") "$bin" >"$log" 2>&1; then
		sed 's/^/  /' "$log"
		echo "FAIL $name ($build): does not build"
		failed=$((failed + 1))
		return
	fi
	if "$bin" "$@" >"$log" 2>&1; then
		n=$(sed -n 's/^replay: \([0-9]*\) inputs$/\1/p' "$log")
		echo "ok   $name ($build): ${n:-?} inputs"
		passed=$((passed + 1))
	else
		tail -n 30 "$log" | sed 's/^/  /'
		echo "FAIL $name ($build): the last input named above fails"
		failed=$((failed + 1))
	fi
}

# sanitize_of - the make variable that the build directory was made with
sanitize_of() {
	[ "$1" = build-asan ] && echo SANITIZE=1
}

for src in tests/fuzz/fuzz_*.c; do
	name=$(basename "$src" .c)
	name=${name#fuzz_}
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
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/bash
# test_valgrind.sh - no leak and no memory error over many milter sessions.
#
# SYNOPSIS
#	bash tests/stress/test_valgrind.sh		short: 300 sessions
#	STRESS=1 bash tests/stress/test_valgrind.sh	long: 10,000 sessions
#
# DESCRIPTION
#	Runs build/vigie-milter (the plain build: Valgrind and ASan do not
#	mix) under valgrind --leak-check=full on a unix socket, with the e2e
#	test rules, and drives it with tests/stress/milter_loop.py, a raw
#	milter-protocol client (no Postfix: it is far faster): 4 threads,
#	each session two messages of every verdict. A SIGHUP reload every
#	0.5 s during the run frees the rule sets it replaces while messages
#	still hold them. Then SIGTERM; Valgrind's report must show
#	no error, "definitely lost" and "indirectly lost" 0 bytes, and the
#	milter must exit 0. Prints the leak summary and the session rate.
#	tests/stress/valgrind.supp silences only PCRE2's JIT code (see there).
#
# ENVIRONMENT
#	VALGRIND_SESSIONS	override the number of sessions
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MILTER=$ROOT/build/vigie-milter
CONF_SRC=$ROOT/tests/e2e/vigie-test.conf
# ok / not_ok / check_eq, skip, finish (tests/lib.sh), wait_for
. "$ROOT/tests/e2e/lib.sh"
TMP=""
PID=""


command -v valgrind >/dev/null 2>&1 || skip "valgrind not installed (apt-get install valgrind)"
[ -x "$MILTER" ] || { echo "Bail out! $MILTER not built (make)"; exit 2; }
if [ "${STRESS:-0}" = 1 ]; then SESSIONS=${VALGRIND_SESSIONS:-10000}; else SESSIONS=${VALGRIND_SESSIONS:-300}; fi

# cleanup - the milter (by pid) and the temp dir
cleanup() {
	local rc=$?
	trap - EXIT
	if [ -n "$PID" ]; then
		kill -KILL "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	if [ -n "$TMP" ]; then
		if [ "$TEST_FAILED" -ne 0 ] || [ "$rc" -ne 0 ]; then
			echo "# ---- Valgrind's report (errors and leaks)" >&2
			grep -A 25 -E 'Invalid|uninitialised|definitely lost in|indirectly lost in' \
				"$TMP/valgrind.log" 2>/dev/null | head -n 120 | sed 's/^/#   /' >&2
			tail -n 20 "$TMP/milter.log" 2>/dev/null | sed 's/^/#   /' >&2
		fi
		[ "${VIGIE_E2E_KEEP:-0}" = 1 ] && echo "# kept $TMP" >&2 || rm -rf "$TMP"
	fi
	exit "$rc"
}
alive() {
	local st
	st=$(ps -o stat= -p "$PID" 2>/dev/null) || return 1
	case $st in Z*) return 1 ;; esac
}
TMP=$(mktemp -d /tmp/vigie-vg.XXXXXX) || exit 2
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
SOCK=$TMP/vigie.sock
CONF=$TMP/vg.conf
sed "s|^rules = .*|rules = [ \"$ROOT/tests/e2e/e2e.rules\" ];|" "$CONF_SRC" >"$CONF"

# --errors-for-leak-kinds: only definite and indirect leaks make the exit non-zero
valgrind --leak-check=full --show-leak-kinds=definite,indirect \
	--errors-for-leak-kinds=definite,indirect --error-exitcode=99 --num-callers=30 \
	--suppressions="$HERE/valgrind.supp" \
	--log-file="$TMP/valgrind.log" \
	"$MILTER" -f -c "$CONF" -p "unix:$SOCK" </dev/null >"$TMP/milter.log" 2>&1 &
PID=$!
if ! wait_for 180 test -S "$SOCK"; then
	echo "Bail out! vigie-milter under valgrind did not open $SOCK"
	exit 2
fi

echo "# $SESSIONS milter sessions (2 messages each) under Valgrind memcheck"
python3 "$HERE/milter_loop.py" "unix:$SOCK" --sessions "$SESSIONS" --per-session 2 \
	--threads 4 --timeout 120 >"$TMP/loop.out" 2>&1 &
LOOP=$!
# a reload every 0.5 s while sessions run (and hold the rules they started with)
while sleep 0.5 && kill -0 "$LOOP" 2>/dev/null; do
	kill -HUP "$PID"
done
wait "$LOOP"
LOOP_RC=$?
LOOP_OUT=$(cat "$TMP/loop.out")
echo "# client: $LOOP_OUT"
check_eq "every session completed (none dropped by the milter)" "$LOOP_RC" 0
check_eq "sessions completed" "$(printf '%s\n' "$LOOP_OUT" | sed -n 's/.*sessions=\([0-9]*\).*/\1/p')" "$SESSIONS"
check_eq "no tempfail, no unexpected reply" \
	"$(printf '%s\n' "$LOOP_OUT" | sed -n 's/.*tempfail=\([0-9]*\) other=\([0-9]*\) no_status=\([0-9]*\).*/\1 \2 \3/p')" "0 0 0"
check_eq "milter still running" "$(alive && echo yes)" yes
RELOADS=$(grep -c 'reloaded ' "$TMP/milter.log")
echo "# reloads during the run: $RELOADS"

kill -TERM "$PID"
if wait_for 180 eval '! alive'; then
	wait "$PID"
	RC=$?
	PID=""
else
	RC=timeout
fi
check_eq "SIGTERM: exit 0 (99 = Valgrind found an error or a leak)" "$RC" 0
LOG=$TMP/valgrind.log
DEF=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1/p' "$LOG" | tr -d , | tail -n 1)
IND=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1/p' "$LOG" | tr -d , | tail -n 1)
POS=$(sed -n 's/.*possibly lost: \([0-9,]*\) bytes in \([0-9,]*\) blocks.*/\1/p' "$LOG" | tr -d , | tail -n 1)
ERRS=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$LOG" | tr -d , | tail -n 1)
SUPP=$(sed -n 's/.*ERROR SUMMARY: .*(suppressed: \([0-9,]*\) from.*/\1/p' "$LOG" | tr -d , | tail -n 1)
# "All heap blocks were freed" leaves no LEAK SUMMARY at all
grep -q 'All heap blocks were freed' "$LOG" && { DEF=${DEF:-0}; IND=${IND:-0}; POS=${POS:-0}; }
echo "# leak summary: definitely lost ${DEF:-?} bytes, indirectly lost ${IND:-?} bytes," \
	"possibly lost ${POS:-?} bytes; error summary ${ERRS:-?} errors" \
	"(${SUPP:-?} suppressed: PCRE2 JIT read-ahead, see valgrind.supp)"
grep -E 'in use at exit|total heap usage' "$LOG" | sed 's/^==[0-9]*== */# /'
check_eq "definitely lost: 0 bytes" "${DEF:-missing}" 0
check_eq "indirectly lost: 0 bytes" "${IND:-missing}" 0
check_eq "Valgrind ERROR SUMMARY: 0 errors" "${ERRS:-missing}" 0
echo "# figures: sessions=$SESSIONS messages=$((SESSIONS * 2)) reloads=$RELOADS" \
	"$(printf '%s\n' "$LOOP_OUT" | grep -o 'rate=[0-9.]*') msg/s under Valgrind"
finish

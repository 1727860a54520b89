#!/bin/bash
# run.sh - protocol cases for vigie-milter, with Debian's miltertest.
#
# SYNOPSIS
#	bash tests/miltertest/run.sh		(sh re-execs bash)
#
# DESCRIPTION
#	Starts build/vigie-milter -f with tests/e2e/vigie-test.conf on a unix
#	socket in a temp dir, then runs every case in this folder:
#	case_*.lua with miltertest (the Sendmail side of the protocol),
#	case_*.py with python3 (raw protocol, for what miltertest cannot
#	send; VIGIE_MT_LOG names the milter's log for them). Each case prints its own "ok - ..." / "not ok - ..." lines; a
#	case that dies without saying why counts as one failure. After each
#	case the milter must still be running; at the end it must exit 0 on
#	SIGTERM. The last line is "N passed, M failed"; exit 1 on a failure.
#
# ENVIRONMENT
#	VIGIE_MILTER	the daemon (default: build/vigie-milter)
#	VIGIE_MT_KEEP	1: keep the temp dir (logs) for inspection
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MILTER=${VIGIE_MILTER:-$ROOT/build/vigie-milter}
CONF=$ROOT/tests/e2e/vigie-test.conf
# ok / not_ok / check_eq, finish (tests/lib.sh), wait_for
. "$ROOT/tests/e2e/lib.sh"
TMP=""
PID=""


# cleanup - stop the milter we started, remove the temp dir
cleanup() {
	local rc=$?
	trap - EXIT
	if [ -n "$PID" ]; then
		kill -KILL "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
	fi
	if [ -n "$TMP" ]; then
		if [ "$TEST_FAILED" -ne 0 ] || [ "$rc" -ne 0 ]; then
			echo "# ---- last lines of the milter's log" >&2
			tail -n 30 "$TMP/milter.log" 2>/dev/null | sed 's/^/#   /' >&2
		fi
		if [ "${VIGIE_MT_KEEP:-0}" = 1 ]; then
			echo "# kept $TMP" >&2
		else
			rm -rf "$TMP"
		fi
	fi
	exit "$rc"
}

# alive - the milter we started still runs (and is not a zombie)
alive() {
	local st
	st=$(ps -o stat= -p "$PID" 2>/dev/null) || return 1
	case $st in Z*) return 1 ;; esac
	return 0
}

for tool in miltertest python3 timeout; do
	command -v "$tool" >/dev/null 2>&1 || { echo "Bail out! $tool not found (packaging/deps.sh)"; exit 2; }
done
[ -x "$MILTER" ] || { echo "Bail out! $MILTER not built (make)"; exit 2; }

TMP=$(mktemp -d /tmp/vigie-mt.XXXXXX) || exit 2
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
SOCK=$TMP/vigie.sock

"$MILTER" -f -c "$CONF" -p "unix:$SOCK" </dev/null >"$TMP/milter.log" 2>&1 &
PID=$!
if ! wait_for 10 test -S "$SOCK"; then
	echo "Bail out! vigie-milter did not open $SOCK"
	exit 2
fi

for case in "$HERE"/case_*.lua "$HERE"/case_*.py; do
	[ -e "$case" ] || continue
	name=$(basename "$case")
	echo "# $name"
	case $case in
	*.lua) cmd=(miltertest -D "sock=unix:$SOCK" -D "dir=$HERE" -s "$case") ;;
	*.py) cmd=(env VIGIE_MT_LOG="$TMP/milter.log" python3 "$case" "unix:$SOCK") ;;
	esac
	timeout 120 "${cmd[@]}" >"$TMP/out" 2>"$TMP/err" </dev/null
	rc=$?
	n_ok=$(grep -c '^ok - ' "$TMP/out")
	n_bad=$(grep -c '^not ok - ' "$TMP/out")
	# the case's own results, counted here under its name
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "$name: ${line#ok - }" ;;
		"not ok - "*) not_ok "$name: ${line#not ok - }" ;;
		esac
	done <"$TMP/out"
	if [ "$rc" -ne 0 ] && [ "$n_bad" -eq 0 ]; then
		not_ok "$name: runs to the end" "exit $rc: '$(tail -n 2 "$TMP/err" "$TMP/out" | grep -v '^==>' | tr '\n' ' ' | cut -c1-300)'" "exit 0"
	elif [ "$rc" -eq 0 ] && [ "$n_ok" -eq 0 ]; then
		ok "$name: runs to the end"
	fi
	if alive; then
		ok "$name: vigie-milter still running afterwards"
	else
		wait "$PID"
		not_ok "$name: vigie-milter still running afterwards" "exit status $?" "running"
		PID=""
		break
	fi
done

if [ -n "$PID" ]; then
	kill -TERM "$PID"
	if wait_for 10 eval '! alive'; then
		wait "$PID"
		st=$?
		PID=""
		if [ "$st" -eq 0 ]; then ok "vigie-milter exits 0 on SIGTERM"
		else not_ok "vigie-milter exits 0 on SIGTERM" "exit status $st" 0; fi
	else
		not_ok "vigie-milter exits on SIGTERM within 10 s" "still running" "exited"
	fi
fi

finish

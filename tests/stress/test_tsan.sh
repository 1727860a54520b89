#!/bin/bash
# test_tsan.sh - vigie-milter under ThreadSanitizer with concurrent sessions.
#
# SYNOPSIS
#	bash tests/stress/test_tsan.sh		short: 4,000 raw sessions, 100 SMTP sessions
#	STRESS=1 bash tests/stress/test_tsan.sh	long: 40,000 raw sessions, 1,000 SMTP
#
# DESCRIPTION
#	Needs build-tsan/vigie-milter (make stress builds it:
#	make CC=clang BUILD=build-tsan CFLAGS="-O1 -g -fsanitize=thread"
#	LDFLAGS=-fsanitize=thread all); skipped when it is absent.
#
#	The TSan milter sits behind a private Postfix (tests/e2e/lib.sh) with
#	a statistics port. Phase 1: tests/stress/milter_loop.py drives its
#	socket directly with 8 concurrent raw milter sessions, while the rules
#	are reloaded 20 times (200 long), every 0.1 s, good and broken
#	configurations in turn, and
#	/metrics is scraped in a loop, so sessions, the reload path and the
#	statistics thread all run at once. Phase 2: tests/stress/stress.py
#	sends through Postfix (100 concurrent SMTP sessions x 3 messages:
#	connection reuse, RSET aborts, closes). Then the milter is stopped.
#	Every ThreadSanitizer report in its log is a failure;
#	tests/stress/tsan.supp only silences races inside uninstrumented
#	libmilter (see there), and G_SLICE=always-malloc keeps GLib's slice
#	allocator from hiding malloc from TSan.
#
#	Signals: TSan runs a signal handler only when the thread it hit
#	leaves an intercepted call, and vigie's main thread sleeps in read()
#	on its signal pipe, restarted after the signal (SA_RESTART): SIGHUP
#	and SIGTERM sent with kill(1) wait until something else wakes that
#	thread. So this test writes the signal number into that pipe (found
#	through /proc/PID/fdinfo), which is exactly what vigie's handler does;
#	the code run for a reload or a stop is the same.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
TSAN_MILTER=${VIGIE_TSAN_MILTER:-$ROOT/build-tsan/vigie-milter}
[ -x "$TSAN_MILTER" ] || skip "$TSAN_MILTER not built (make stress builds it)"
VIGIE_MILTER=$TSAN_MILTER
. "$ROOT/tests/stress/stress_lib.sh"
export TSAN_OPTIONS="suppressions=$STRESS_DIR/tsan.supp halt_on_error=0 exitcode=66 history_size=4 ${TSAN_OPTIONS:-}"
export G_SLICE=always-malloc

if [ "$LONG" = 1 ]; then RAW=40000; NRELOAD=200; SMTP_SESSIONS=1000
else RAW=4000; NRELOAD=20; SMTP_SESSIONS=100; fi

e2e_init
pf_setup
# an smtpd per session; a sending MTA waits for a banner and retries
[ "$LONG" = 1 ] && pf_tune default_process_limit=$((SMTP_SESSIONS + 50))
pf_start
stats_port_pick
GOOD=$T/tsan.conf
BROKEN=$T/tsan-broken.conf
CONF=$T/current.conf
stress_conf "$GOOD" "$E2E_DIR/e2e.rules" "stats_listen=\"127.0.0.1:$STATS_PORT\""
stress_conf "$BROKEN" "$T/no-such.rules" "stats_listen=\"127.0.0.1:$STATS_PORT\""
cp "$GOOD" "$CONF"
milter_start "$CONF"
e2e_log "TSan milter pid $MILTER_PID, stats on 127.0.0.1:$STATS_PORT"

# signal_pipe - the write end of vigie's signal pipe: O_WRONLY|O_NONBLOCK|O_CLOEXEC
signal_pipe() {
	local fd
	for fd in /proc/"$MILTER_PID"/fd/*; do
		case $(readlink "$fd") in pipe:*) ;; *) continue ;; esac
		if grep -q '^flags:[[:space:]]*02004001$' "/proc/$MILTER_PID/fdinfo/${fd##*/}"; then
			echo "$fd"
			return 0
		fi
	done
	return 1
}
SIGPIPE_FD=$(signal_pipe) || e2e_die "cannot find the milter's signal pipe in /proc/$MILTER_PID/fd"
# tsan_signal N - what vigie's handler does for signal N
tsan_signal() {
	printf "\\$(printf '%03o' "$1")" >"$SIGPIPE_FD"
}

echo "# phase 1: $RAW raw milter sessions (8 at a time) with $NRELOAD reloads, /metrics scraped"
python3 "$STRESS_DIR/milter_loop.py" "unix:$MILTER_SOCK" --sessions "$RAW" --per-session 3 \
	--threads 8 --timeout 120 >"$T/loop.out" 2>&1 &
LOOP=$!
RELOADS=0
RELOADS_DURING=0
while [ "$RELOADS" -lt "$NRELOAD" ]; do
	if [ $((RELOADS % 2)) -eq 0 ]; then cp "$BROKEN" "$CONF.tmp"; else cp "$GOOD" "$CONF.tmp"; fi
	mv -f "$CONF.tmp" "$CONF"
	tsan_signal 1
	RELOADS=$((RELOADS + 1))
	kill -0 "$LOOP" 2>/dev/null && RELOADS_DURING=$((RELOADS_DURING + 1))
	metrics >/dev/null
	sleep 0.1
done
wait "$LOOP"
check_eq "phase 1: every raw session completed" "$?" 0
echo "# client: $(cat "$T/loop.out")"
echo "# reloads while sessions ran: $RELOADS_DURING of $RELOADS"
cp "$GOOD" "$CONF"
tsan_signal 1
RELOADS=$((RELOADS + 1))
wait_for 20 sh -c "[ \$(curl -s http://127.0.0.1:$STATS_PORT/metrics | awk '/^vigie_reloads_total\\{/ { s += \$2 } END { print s + 0 }') -ge $RELOADS ]" ||
	e2e_log "not all $RELOADS reloads counted"
check_eq "phase 1: reloads counted (ok + failed)" \
	"$(metrics | awk '/^vigie_reloads_total\{/ { s += $2 } END { print s + 0 }')" "$RELOADS"

echo "# phase 2: $SMTP_SESSIONS SMTP sessions x 3 messages through Postfix"
SEND=$(stress_send --out "$T/tsan.jsonl" --sessions "$SMTP_SESSIONS" --per-session 3 \
	--count $((SMTP_SESSIONS * 3)) --mix accept:4,tag:3,quar:2,reject:1 --prefix TS \
	--timeout 600 --retry-4xx 600)
echo "# sender: $SEND"
wait_settled 120
eval "$(stress_account --results "$T/tsan.jsonl")"
check_eq "phase 2: sent = delivered + held + rejected, each with its kind's verdict" \
	"$A_SENT/$((A_DELIVERED + A_HELD + A_REJECTED))/$A_KIND_MISMATCH/$A_MISSING" \
	"$((SMTP_SESSIONS * 3))/$((SMTP_SESSIONS * 3))/0/0"
show_problems
check_eq "milter still running" "$(milter_alive && echo yes)" yes

tsan_signal 15
if wait_for 60 milter_exited; then
	wait "$MILTER_PID"
	RC=$?
	MILTER_PID=""
else
	RC=timeout
fi
check_eq "stop: milter exits 0 (66 = ThreadSanitizer reported)" "$RC" 0
NREP=$(grep -c 'WARNING: ThreadSanitizer' "$T/milter.log")
check_eq "no ThreadSanitizer report" "$NREP" 0
if [ "$NREP" -ne 0 ]; then
	grep 'SUMMARY: ThreadSanitizer' "$T/milter.log" | sort | uniq -c | sed 's/^/# /'
	cp "$T/milter.log" "/tmp/vigie-tsan-$(date +%s).log" && e2e_log "full log kept in /tmp/vigie-tsan-*.log"
fi
echo "# figures: raw sessions=$RAW (x3 messages) reloads=$RELOADS smtp messages=$((SMTP_SESSIONS * 3))" \
	"tsan reports=$NREP"
finish

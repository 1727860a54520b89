#!/bin/bash
# test_load.sh - many concurrent SMTP sessions through Postfix and vigie.
#
# SYNOPSIS
#	bash tests/stress/test_load.sh		short: 100 sessions x 3 messages
#	STRESS=1 bash tests/stress/test_load.sh	long: 1,000 sessions x 4 messages
#
# DESCRIPTION
#	A private Postfix (tests/e2e/lib.sh) with vigie-milter, the e2e test
#	rules (tests/e2e/e2e.rules) and a statistics port. tests/stress/stress.py
#	opens the sessions all at once; each sends its messages, a mix that the
#	rules accept, tag, quarantine and reject (4:3:2:1), each with a unique
#	id. Then every message is accounted for: sent = delivered + held +
#	rejected, each with the verdict its kind calls for, none twice; the
#	milter's own counters agree; the milter never exited, still answers,
#	exits 0 on SIGTERM and wrote no sanitizer report.
#
#	The milter is $VIGIE_MILTER when set, else the ASan+UBSan build
#	(build-asan/vigie-milter) when it exists, else build/vigie-milter.
#	The message rate is printed for the record; nothing asserts on time.
#	The long version lets Postfix run an smtpd per session (default 100),
#	so all 1,000 talk to the milter at once, and resends, as an MTA
#	would, what got a 4xx or no banner within 600 s (counted, reported).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [ -z "${VIGIE_MILTER:-}" ] && [ -x "$ROOT/build-asan/vigie-milter" ]; then
	VIGIE_MILTER=$ROOT/build-asan/vigie-milter
fi
. "$ROOT/tests/stress/stress_lib.sh"

if [ "$LONG" = 1 ]; then
	SESSIONS=${LOAD_SESSIONS:-1000}
	PER=${LOAD_PER_SESSION:-4}
	# a sending MTA waits minutes for a banner and retries what failed
	RETRY=(--timeout 600 --retry-4xx 600)
else
	SESSIONS=${LOAD_SESSIONS:-100}
	PER=${LOAD_PER_SESSION:-3}
	RETRY=()
fi
TOTAL=$((SESSIONS * PER))

e2e_init
pf_setup
# as many smtpd processes as sessions: all of them talk to the milter at once
[ "$SESSIONS" -gt 100 ] && pf_tune default_process_limit=$((SESSIONS + 50))
pf_start
stats_port_pick
CONF=$T/load.conf
stress_conf "$CONF" "$E2E_DIR/e2e.rules" "stats_listen=\"127.0.0.1:$STATS_PORT\""
milter_start "$CONF"
FIRST_PID=$MILTER_PID
e2e_log "milter: $VIGIE_MILTER (pid $MILTER_PID), stats on 127.0.0.1:$STATS_PORT"

echo "# $SESSIONS concurrent sessions x $PER messages = $TOTAL messages"
SEND=$(stress_send --out "$T/load.jsonl" --sessions "$SESSIONS" --per-session "$PER" \
	--count "$TOTAL" --mix accept:4,tag:3,quar:2,reject:1 --prefix L ${RETRY[@]+"${RETRY[@]}"})
echo "# sender: $SEND"
check_eq "milter still running after the load (same pid)" \
	"$(milter_alive && [ "$MILTER_PID" = "$FIRST_PID" ] && echo yes)" yes
RETRIED=$(printf '%s\n' "$SEND" | sed -n 's/.*retried=\([0-9]*\).*/\1/p')
if [ "$LONG" = 1 ]; then
	echo "# tempfailed or timed out and sent again: ${RETRIED:-?} (allowed in the long version)"
else
	check_eq "no session needed a retry (no 4xx, no broken session)" \
		"$(printf '%s\n' "$SEND" | sed -n 's/.*replies_4xx=\([0-9]*\).*retried=\([0-9]*\).*/\1 \2/p')" "0 0"
fi

wait_settled 120 || e2e_log "queue not settled after 120 s: $(queue_all | wc -l) ids"
eval "$(stress_account --results "$T/load.jsonl")"
echo "# accounted: sent=$A_SENT accepted=$A_ACCEPTED (delivered=$A_DELIVERED held=$A_HELD)" \
	"rejected=$A_REJECTED unresolved=$((A_TEMPFAILED_FINAL + A_NOREPLY)) missing=$A_MISSING" \
	"duplicates=$A_DUPLICATE"
check_eq "every message was sent and answered" "$A_SENT" "$TOTAL"
check_eq "sent = delivered + held + rejected" "$((A_DELIVERED + A_HELD + A_REJECTED))" "$A_SENT"
check_eq "no message still refused with 4xx or without a reply" \
	"$((A_TEMPFAILED_FINAL + A_NOREPLY))" 0
check_eq "no accepted message missing (neither delivered nor held)" "$A_MISSING" 0
check_eq "no message delivered or held twice" "$A_DUPLICATE" 0
check_eq "no message that was never sent" "$A_GHOST" 0
check_eq "each message got its kind's verdict (accept/tag delivered, quar held, reject 550)" \
	"$A_KIND_MISMATCH" 0
check_eq "held = a fifth of the messages (the quarantine kind)" "$A_HELD" "$((TOTAL / 5))"
check_eq "rejected = a tenth of the messages (the reject kind)" "$A_REJECTED" "$((TOTAL / 10))"
show_problems

M=$(metrics)
JUDGED=$(printf '%s\n' "$M" | awk '/^vigie_messages_total/ { s += $2 } END { print s + 0 }')
ERRS=$(printf '%s\n' "$M" | awk '/^vigie_errors_total/ { s += $2 } END { print s + 0 }')
check_eq "vigie_messages_total sums to the messages sent (each judged once)" "$JUDGED" "$TOTAL"
check_eq "vigie_messages_total{action=\"quarantine\"} = held" \
	"$(printf '%s\n' "$M" | awk '$1 == "vigie_messages_total{action=\"quarantine\"}" { print $2 }')" "$A_HELD"
check_eq "vigie_errors_total is 0" "$ERRS" 0

# the milter still answers: one more message, tagged
swaks_send "$T/after.swaks" --from e2e@example.org --to "after@$PF_DOMAIN" \
	--header "Subject: vigie-e2e-tag after the load" --body "after"
F=$(wait_delivered after 20)
check_match "milter still answers after the load (next message tagged)" \
	"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status)" '^tag score=5\.0$'

milter_stop
check_eq "SIGTERM: milter exits 0 (no LeakSanitizer report)" "$?" 0
check_eq "no sanitizer report in the milter's log" "$(sanitizer_report "$T/milter.log")" ""
RATE=$(printf '%s\n' "$SEND" | sed -n 's/.*rate=\([0-9.]*\).*/\1/p')
echo "# figures: milter=$(basename "$(dirname "$VIGIE_MILTER")")/$(basename "$VIGIE_MILTER")" \
	"sessions=$SESSIONS messages=$TOTAL delivered=$A_DELIVERED held=$A_HELD" \
	"rejected=$A_REJECTED rate=${RATE} msg/s (for the record)"
finish

#!/bin/bash
# test_kill.sh - kill -9 the milter while mail flows: no message vanishes.
#
# SYNOPSIS
#	bash tests/stress/test_kill.sh		short: 400 messages, one kill
#	STRESS=1 bash tests/stress/test_kill.sh	long: 3,000 messages, five kills
#
# DESCRIPTION
#	A private Postfix (milter_default_action = tempfail) with
#	build/vigie-milter and the e2e test rules. tests/stress/stress.py sends
#	a mix of messages (accept, tag, quarantine, reject; unique ids) over
#	10 concurrent sessions and, as a sending MTA does, sends again later
#	on a new session every message refused with a 4xx or whose session
#	broke. While it runs the milter gets SIGKILL, is down for a second,
#	and is started again. Then every id is accounted for across the SMTP
#	replies, the Maildir and the hold queue: delivered, held or rejected,
#	once, with its kind's verdict; none left temporarily refused, none
#	lost, none twice. The kill must have been felt (some 4xx replies).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/stress_lib.sh"

if [ "$LONG" = 1 ]; then
	COUNT=${KILL_COUNT:-3000}
	KILLS=${KILL_KILLS:-5}
	PAUSE=0.05
else
	COUNT=${KILL_COUNT:-400}
	KILLS=${KILL_KILLS:-1}
	PAUSE=0.2
fi

e2e_init
pf_setup
pf_start
CONF=$T/kill.conf
stress_conf "$CONF" "$E2E_DIR/e2e.rules"
milter_start "$CONF"

echo "# $COUNT messages over 10 sessions, $KILLS kill(s) of the milter"
RES=$T/kill.jsonl
: >"$RES"
stress_send --out "$RES" --sessions 10 --per-session 5 --count "$COUNT" \
	--mix accept:4,tag:3,quar:2,reject:1 --prefix K --retry-4xx 120 --pause "$PAUSE" \
	>"$T/sender.out" 2>&1 &
SENDER=$!

sent_so_far() { wc -l <"$RES"; }
at_least() { [ "$(sent_so_far)" -ge "$1" ]; }
DONE_KILLS=0
k=1
while [ "$k" -le "$KILLS" ]; do
	target=$((COUNT * k / (KILLS + 1)))
	if ! wait_for 120 at_least "$target"; then
		e2e_log "sender stalled at $(sent_so_far) messages before kill $k"
		break
	fi
	if kill -KILL "$MILTER_PID" 2>/dev/null; then
		DONE_KILLS=$((DONE_KILLS + 1))
		e2e_log "kill $k: SIGKILL to milter pid $MILTER_PID after $(sent_so_far) messages"
	fi
	{ wait "$MILTER_PID"; } 2>/dev/null	# (no "Killed" job notice)
	MILTER_PID=""
	sleep 1
	milter_start "$CONF"
	k=$((k + 1))
done
check_eq "the milter was killed $KILLS time(s) while mail flowed" "$DONE_KILLS" "$KILLS"

# the sender retries for up to 120 s after a message's first try
if ! wait_for 300 sh -c "! kill -0 $SENDER 2>/dev/null"; then
	e2e_log "sender still running after 300 s; stopping it"
	kill "$SENDER" 2>/dev/null
fi
wait "$SENDER" 2>/dev/null
SEND=$(cat "$T/sender.out")
echo "# sender: $SEND"
check_eq "milter running after the restarts" "$(milter_alive && echo yes)" yes

wait_settled 60 || e2e_log "queue not settled after 60 s"
eval "$(stress_account --results "$RES")"
R4=$(printf '%s\n' "$SEND" | sed -n 's/.*replies_4xx=\([0-9]*\).*/\1/p')
RETRIED=$(printf '%s\n' "$SEND" | sed -n 's/.*retried=\([0-9]*\).*/\1/p')
echo "# accounted: sent=$A_SENT delivered=$A_DELIVERED held=$A_HELD rejected=$A_REJECTED" \
	"resent-after-4xx=${RETRIED:-?} (4xx replies ${R4:-?}, messages that needed a resend $A_RETRIED_OK)" \
	"unresolved=$((A_TEMPFAILED_FINAL + A_NOREPLY)) missing=$A_MISSING duplicates=$A_DUPLICATE"
check_eq "every message was sent" "$A_SENT" "$COUNT"
check_match "the kill was felt: some messages were refused with 4xx or cut off and resent" \
	"${RETRIED:-0}" '^[1-9][0-9]*$'
check_eq "every message resolved: none left with a 4xx or without a reply" \
	"$((A_TEMPFAILED_FINAL + A_NOREPLY))" 0
check_eq "sent = delivered + held + rejected" "$((A_DELIVERED + A_HELD + A_REJECTED))" "$A_SENT"
check_eq "no accepted message missing" "$A_MISSING" 0
check_eq "no message delivered or held twice" "$A_DUPLICATE" 0
check_eq "no message that was never sent" "$A_GHOST" 0
check_eq "each message got its kind's verdict" "$A_KIND_MISMATCH" 0
show_problems
check_eq "nothing deferred in Postfix's queue" "$(queue_ids deferred | wc -l)" 0

milter_stop
check_eq "SIGTERM after the restarts: milter exits 0" "$?" 0
check_eq "no sanitizer report in the milter's log" "$(sanitizer_report "$T/milter.log")" ""
echo "# figures: messages=$COUNT kills=$DONE_KILLS 4xx-replies=${R4:-?} resends=${RETRIED:-?}" \
	"delivered=$A_DELIVERED held=$A_HELD rejected=$A_REJECTED lost=$A_MISSING"
finish

#!/bin/bash
# test_reload.sh - SIGHUP reloads, good and broken, while mail flows.
#
# SYNOPSIS
#	bash tests/reload/test_reload.sh		short: 20 reloads (each broken kind twice)
#	STRESS=1 bash tests/reload/test_reload.sh	long: 200 reloads
#
# DESCRIPTION
#	A private Postfix with build/vigie-milter and a statistics port. Two
#	good rule sets, v1.rules and v2.rules, match the same words with
#	distinct ids (R_V1_*, R_V2_*; the R_Vn_MARK rule that every message
#	hits scores 0.5 in V1 and 0.7 in V2). The rule file the configuration
#	names is replaced (atomically) before each SIGHUP, alternating a good
#	set (V2, V1, V2, ...) and a broken configuration: a libconfig syntax
#	error, an unclosed regex, an unknown target with a duplicate id, a
#	bad on_error value in vigie.conf itself, a missing rule file.
#
#	While 8 SMTP sessions send tagged, held, rejected and clean mail
#	without a pause, each reload is waited for (vigie_reloads_total moves)
#	and followed by a probe message whose X-Vigie-Report must name the
#	set that should be in force: the new one after a good reload, still
#	the previous one after a broken reload. At the end: the milter never
#	restarted, vigie_reloads_total{result="ok"|"failed"} equal the good
#	and broken reloads sent (so do its log lines), and every message of
#	the flow was answered (no 4xx, none stalled), delivered, held or
#	rejected as its kind calls for, judged by V1 alone or V2 alone, never
#	by a mix (its report's ids and its score agree).
#
#	Then, the flow stopped, reloads that would disarm the filter (V1 in
#	force): the rule file truncated (0 rules; -n warns) and shrunk to
#	one rule of four are refused (counted as failed, logged "refused",
#	the probe still judged by V1); with reload_min_ratio = 0 in the
#	configuration the same truncated file is taken (forced).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../stress/stress_lib.sh"
HERE=$VIGIE_ROOT/tests/reload

if [ "$LONG" = 1 ]; then
	RELOADS=${RELOAD_COUNT:-200}
	PAUSE=0.1
else
	RELOADS=${RELOAD_COUNT:-20}
	PAUSE=0.05
fi

e2e_init
pf_setup
pf_start
stats_port_pick
CONF=$T/reload.conf
RULES=$T/current.rules

# install SRC DST - replace DST atomically (a reload never sees half a file)
install_file() {
	cp "$1" "$2.tmp" && mv -f "$2.tmp" "$2"
}

# set_state - the configuration for the next reload: v1, v2 or a broken one
set_state() {
	case $1 in
	v1|v2)
		install_file "$HERE/$1.rules" "$RULES"
		stress_conf "$T/conf.new" "$RULES" "stats_listen=\"127.0.0.1:$STATS_PORT\""
		;;
	broken-syntax|broken-regex|broken-target)
		install_file "$HERE/$1.rules" "$RULES"
		stress_conf "$T/conf.new" "$RULES" "stats_listen=\"127.0.0.1:$STATS_PORT\""
		;;
	broken-conf)
		stress_conf "$T/conf.new" "$RULES" "stats_listen=\"127.0.0.1:$STATS_PORT\"" \
			'on_error="maybe"'
		;;
	broken-missing)
		stress_conf "$T/conf.new" "$T/no-such.rules" "stats_listen=\"127.0.0.1:$STATS_PORT\""
		;;
	esac
	mv -f "$T/conf.new" "$CONF"
}

reloads_seen() {
	metrics | awk '/^vigie_reloads_total\{/ { s += $2 } END { print s + 0 }'
}
reloads_at_least() { [ "$(reloads_seen)" -ge "$1" ]; }

set_state v1
milter_start "$CONF"
FIRST_PID=$MILTER_PID
check_eq "statistics endpoint answers, no reload yet" "$(reloads_seen)" 0

# the flow: 8 sessions, 5 messages each, until the stop file appears
STOP=$T/stop-flow
FLOW=$T/flow.jsonl
: >"$FLOW"
stress_send --out "$FLOW" --sessions 8 --per-session 5 --stop-file "$STOP" \
	--profile reload --mix accept:2,tag:4,quar:2,reject:1 --prefix F --pause "$PAUSE" \
	>"$T/sender.out" 2>&1 &
SENDER=$!
sleep 1

BROKEN_KINDS="broken-syntax broken-regex broken-target broken-conf broken-missing"
set -- $BROKEN_KINDS
NBROKEN_KINDS=$#
GOOD=0
BROKEN=0
CURRENT=V1
PROBE_BAD=0
COUNT_BAD=0
T0=$(date +%s)
for i in $(seq 1 "$RELOADS"); do
	if [ $((i % 2)) -eq 1 ]; then
		if [ "$CURRENT" = V1 ]; then state=v2; CURRENT=V2; else state=v1; CURRENT=V1; fi
		GOOD=$((GOOD + 1))
	else
		set -- $BROKEN_KINDS
		shift $(((i / 2 - 1) % NBROKEN_KINDS))
		state=$1
		BROKEN=$((BROKEN + 1))
	fi
	set_state "$state"
	kill -HUP "$MILTER_PID"
	if ! wait_for 30 reloads_at_least "$i"; then
		COUNT_BAD=$((COUNT_BAD + 1))
		e2e_log "reload $i ($state): vigie_reloads_total stuck at $(reloads_seen)"
		milter_alive || break
	fi
	# after a good reload the new set judges; after a broken one, still the old
	case $CURRENT in V1) want="250 V1 tag_score=5.5" ;; V2) want="250 V2 tag_score=5.7" ;; esac
	got=$(python3 "$STRESS_PY" probe --port "$PF_PORT" --maildir "$T/mail/inbox" --id "P-$i")
	if [ "$got" != "$want" ]; then
		PROBE_BAD=$((PROBE_BAD + 1))
		e2e_log "reload $i ($state): probe got '$got', want '$want'"
	fi
done
SECS=$(($(date +%s) - T0))
touch "$STOP"
check_eq "every reload was counted before the next was sent" "$COUNT_BAD" 0
check_eq "probe after each reload: good -> new set in force, broken -> previous set kept" \
	"$PROBE_BAD" 0
check_eq "milter never exited (same pid after $RELOADS reloads)" \
	"$(milter_alive && [ "$MILTER_PID" = "$FIRST_PID" ] && echo yes)" yes
check_eq "vigie_reloads_total{result=\"ok\"} = good reloads sent" \
	"$(metric 'vigie_reloads_total{result="ok"}')" "$GOOD"
check_eq "vigie_reloads_total{result=\"failed\"} = broken reloads sent" \
	"$(metric 'vigie_reloads_total{result="failed"}')" "$BROKEN"
check_eq "log: one 'reloaded' line per good reload" \
	"$(grep -c 'reloaded .*: [0-9]* rules' "$T/milter.log")" "$GOOD"
check_eq "log: one 'reload ... failed: keeping the rules in force' line per broken reload" \
	"$(grep -c 'reload of .* failed: keeping the rules in force' "$T/milter.log")" "$BROKEN"

# bounded wait: the flow stops within 60 s of the stop file
if wait_for 60 sh -c "! kill -0 $SENDER 2>/dev/null"; then
	ok "flow stopped within 60 s (no stalled session)"
else
	not_ok "flow stopped within 60 s" "still running" "stopped"
	kill "$SENDER" 2>/dev/null
fi
wait "$SENDER" 2>/dev/null
SEND=$(cat "$T/sender.out")
echo "# sender: $SEND"
wait_settled 60 || e2e_log "queue not settled after 60 s"
eval "$(stress_account --results "$FLOW" --profile reload --prefix F)"
echo "# flow: sent=$A_SENT delivered=$A_DELIVERED held=$A_HELD rejected=$A_REJECTED" \
	"judged-by-V1=$A_V1 judged-by-V2=$A_V2 mixed=$A_MIXED_VERSIONS no-id=$A_NO_VERSION"
check_match "mail flowed during the reloads" "$A_SENT" '^[1-9][0-9]+$'
check_eq "no flow message refused with 4xx, cut off or unanswered" \
	"$(printf '%s\n' "$SEND" | sed -n 's/.*replies_4xx=\([0-9]*\).*/\1/p')/$((A_TEMPFAILED_FINAL + A_NOREPLY))" "0/0"
check_eq "flow: sent = delivered + held + rejected" \
	"$((A_DELIVERED + A_HELD + A_REJECTED))" "$A_SENT"
check_eq "flow: no accepted message missing" "$A_MISSING" 0
check_eq "flow: no message twice" "$A_DUPLICATE" 0
check_eq "flow: each message got its kind's verdict" "$A_KIND_MISMATCH" 0
check_eq "flow: no message judged by a mix of V1 and V2 (ids and score agree)" "$A_MIXED_VERSIONS" 0
check_eq "flow: every delivered or held message names its rule set" "$A_NO_VERSION" 0
check_eq "flow: both rule sets judged some messages" \
	"$([ "$A_V1" -gt 0 ] && [ "$A_V2" -gt 0 ] && echo yes)" yes
show_problems

echo "# reloads that would disarm the filter"
# hup_wait STATE - set STATE, SIGHUP, wait for the reload to be counted
hup_wait() {
	local n
	n=$(reloads_seen)
	set_state "$1"
	kill -HUP "$MILTER_PID"
	wait_for 30 reloads_at_least $((n + 1)) || e2e_log "$1: reload not counted"
}
probe() { python3 "$STRESS_PY" probe --port "$PF_PORT" --maildir "$T/mail/inbox" --id "$1"; }
hup_wait v1
check_eq "V1 in force before the disarming reloads" "$(probe D-0)" "250 V1 tag_score=5.5"
FAILED0=$(metric 'vigie_reloads_total{result="failed"}')
: >"$RULES.tmp" && mv -f "$RULES.tmp" "$RULES"
stress_conf "$T/conf.new" "$RULES" "stats_listen=\"127.0.0.1:$STATS_PORT\"" && mv -f "$T/conf.new" "$CONF"
check_match "-n on an empty rule file: warns" "$("$VIGIE_MILTER" -n -c "$CONF" 2>&1)" 'warning: no rules'
n=$(reloads_seen)
kill -HUP "$MILTER_PID"
wait_for 30 reloads_at_least $((n + 1))
check_eq "truncated rule file: reload refused (counted as failed)" \
	"$(metric 'vigie_reloads_total{result="failed"}')" $((FAILED0 + 1))
check_match "truncated rule file: logged as refused" \
	"$(grep 'refused' "$T/milter.log" | tail -n 1)" 'refused: 0 rules and 0 brands where 4 and 0 are in force'
check_eq "truncated rule file: V1 still judges" "$(probe D-1)" "250 V1 tag_score=5.5"
install_file "$HERE/shrunk.rules" "$RULES"
n=$(reloads_seen)
kill -HUP "$MILTER_PID"
wait_for 30 reloads_at_least $((n + 1))
check_eq "one rule of four: reload refused" \
	"$(metric 'vigie_reloads_total{result="failed"}')" $((FAILED0 + 2))
check_eq "one rule of four: V1 still judges" "$(probe D-2)" "250 V1 tag_score=5.5"
: >"$RULES.tmp" && mv -f "$RULES.tmp" "$RULES"
stress_conf "$T/conf.new" "$RULES" "stats_listen=\"127.0.0.1:$STATS_PORT\"" reload_min_ratio=0 &&
	mv -f "$T/conf.new" "$CONF"
n=$(reloads_seen)
kill -HUP "$MILTER_PID"
wait_for 30 reloads_at_least $((n + 1))
check_eq "reload_min_ratio = 0: the empty set is taken (forced)" \
	"$(metric 'vigie_reloads_total{result="failed"}')" $((FAILED0 + 2))
check_eq "reload_min_ratio = 0: nothing matches any more" "$(probe D-3)" "250 - accept_score=0.0"

milter_stop
check_eq "SIGTERM after the reloads: milter exits 0" "$?" 0
check_eq "no sanitizer report in the milter's log" "$(sanitizer_report "$T/milter.log")" ""
echo "# figures: reloads=$RELOADS (good=$GOOD broken=$BROKEN) in ${SECS}s;" \
	"flow messages=$A_SENT (V1=$A_V1 V2=$A_V2, rejected=$A_REJECTED unversioned)"
finish

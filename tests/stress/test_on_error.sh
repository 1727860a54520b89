#!/bin/bash
# test_on_error.sh - a message vigie fails on gets on_error, never a crash.
#
# SYNOPSIS
#	bash tests/stress/test_on_error.sh
#
# DESCRIPTION
#	An internal error is provoked from outside, with no hook in the
#	milter: build/vigie-milter runs with MALLOC_ARENA_MAX=1 and 256 KiB
#	thread stacks (so its address space barely grows with connections),
#	serves a few messages, and then gets an address-space limit
#	(soft prlimit --as) of its current size plus 6 MiB. Small messages still
#	fit; a 7 MB message does not (vigie keeps up to max_scan_bytes, 8 MiB,
#	of it), so the engine fails on it at end of message.
#
#	The big message carries three forged X-Vigie-Status fields. For
#	on_error = "accept": it (subject vigie-e2e-tag) is delivered
#	unjudged, no X-Vigie-Status at all (the forged ones removed all the
#	same), no Subject prefix; for
#	on_error = "tempfail": it is refused with 451 4.3.0 and delivered,
#	tagged, when sent again after the limit is lifted (as the sending MTA
#	would). Both: the milter logs error=internal with the disposition,
#	counts vigie_errors_total{kind="internal"}, keeps judging small
#	messages right before and after, and exits 0 on SIGTERM.
#
#	The address-space trick needs a build without sanitizers (ASan and
#	TSan reserve terabytes of address space): with VIGIE_MILTER pointing
#	to one, the test is skipped.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/stress_lib.sh"

if grep -qa -e __asan_init -e __tsan_init "$VIGIE_MILTER" 2>/dev/null; then
	skip "$VIGIE_MILTER has a sanitizer (prlimit --as needs a plain build)"
fi
command -v prlimit >/dev/null || skip "prlimit not found (util-linux)"
HEADROOM_KB=${ON_ERROR_HEADROOM_KB:-6144}
BIG_BYTES=7000000

e2e_init
pf_setup
pf_start
stats_port_pick
REAL_MILTER=$VIGIE_MILTER
VIGIE_MILTER=$T/milter-wrap.sh
cat >"$VIGIE_MILTER" <<EOF
#!/bin/sh
# one malloc arena, small thread stacks: address space tracks real use
ulimit -s 256
MALLOC_ARENA_MAX=1 exec "$REAL_MILTER" "\$@"
EOF
chmod +x "$VIGIE_MILTER"

# send_big BOX - one message of about BIG_BYTES (subject vigie-e2e-tag)
# to BOX; sets REPLY ("CODE text")
BIGN=0
send_big() {
	BIGN=$((BIGN + 1))
	stress_send --out "$T/big$BIGN.jsonl" --sessions 1 --count 1 --mix tag:1 \
		--prefix "BIG$BIGN" --box "$1" --filler $((BIG_BYTES / 58)) --forged 3 >/dev/null
	REPLY=$(python3 -c 'import json,sys; r = json.loads(open(sys.argv[1]).readline())
print(*r["replies"][-1])' "$T/big$BIGN.jsonl" 2>/dev/null)
}

# small_round NAME - 40 small messages of every kind, all judged right
small_round() {
	local name=$1
	stress_send --out "$T/$name.jsonl" --sessions 4 --per-session 10 --count 40 \
		--mix accept:1,tag:1,quar:1,reject:1 --prefix "$name" >/dev/null
	wait_settled 30
	eval "$(stress_account --results "$T/$name.jsonl" --prefix "$name")"
	check_eq "$oe: $2: 40 small messages delivered, held or rejected as their kind calls for" \
		"$A_SENT/$((A_DELIVERED + A_HELD + A_REJECTED))/$A_KIND_MISMATCH/$A_MISSING" "40/40/0/0"
	show_problems
}

for oe in accept tempfail; do
	echo "# on_error = \"$oe\""
	CONF=$T/on-error-$oe.conf
	stress_conf "$CONF" "$E2E_DIR/e2e.rules" "on_error=\"$oe\"" \
		"stats_listen=\"127.0.0.1:$STATS_PORT\""
	milter_start "$CONF"
	small_round "W${oe}" "before the limit"
	VM=$(awk '/^VmSize:/ { print $2 }' "/proc/$MILTER_PID/status")
	# the soft limit only: lowering needs no privilege, and the test can
	# raise it back (a hard limit needs CAP_SYS_RESOURCE to be raised)
	prlimit --pid "$MILTER_PID" --as=$(((VM + HEADROOM_KB) * 1024)):unlimited ||
		e2e_die "prlimit --pid $MILTER_PID failed"
	e2e_log "milter pid $MILTER_PID: VmSize $VM kB, address space limited to +$HEADROOM_KB kB"
	small_round "S${oe}" "under the limit"

	send_big "big-$oe"
	ERRLINE=$(grep -c "error=internal on_error=$oe" "$T/milter.log")
	case $oe in
	accept)
		check_match "accept: the big message is accepted (250)" "$REPLY" '^250 .*queued as'
		F=$(wait_delivered "big-$oe" 20)
		check_eq "accept: delivered" "$([ -n "$F" ] && echo yes)" yes
		check_eq "accept: delivered without X-Vigie-Status (not judged, forged ones removed)" \
			"$([ -n "$F" ] && msg_header_count "$F" X-Vigie-Status)" 0
		check_match "accept: Subject not prefixed" \
			"$([ -n "$F" ] && msg_header "$F" Subject)" '^vigie-e2e-tag stress id=BIG'
		check_match "accept: the whole message delivered (over $BIG_BYTES bytes)" \
			"$([ -n "$F" ] && stat -c %s "$F")" '^[0-9]{7,}$'
		;;
	tempfail)
		check_match "tempfail: the big message is refused with 451 4.3.0" "$REPLY" '^451 4\.3\.0 '
		sleep 1
		check_eq "tempfail: not delivered" "$(delivered_count "big-$oe")" 0
		;;
	esac
	check_eq "$oe: milter logged error=internal on_error=$oe once" "$ERRLINE" 1
	check_eq "$oe: vigie_errors_total{kind=\"internal\"} = 1" \
		"$(metric 'vigie_errors_total{kind="internal"}')" 1
	check_eq "$oe: milter still running after the failure" "$(milter_alive && echo yes)" yes
	small_round "A${oe}" "after the failure"

	if [ "$oe" = tempfail ]; then
		prlimit --pid "$MILTER_PID" --as=unlimited:unlimited
		send_big "big-$oe"
		check_match "tempfail: sent again without the limit, accepted" "$REPLY" '^250 .*queued as'
		F=$(wait_delivered "big-$oe" 20)
		check_match "tempfail: ... and delivered, tagged" \
			"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status)" '^tag score=5\.0$'
	fi
	milter_stop
	check_eq "$oe: SIGTERM: milter exits 0" "$?" 0
done
check_eq "no crash or sanitizer line in the milter's log" \
	"$(grep -m1 -E 'Segmentation|Aborted|GLib-ERROR|terminate|sanitizer' "$T/milter.log")" ""
echo "# figures: address-space headroom ${HEADROOM_KB} kB over the running size; a $BIG_BYTES-byte" \
	"message failed with error=internal: accept -> delivered unjudged, tempfail -> 451 4.3.0, resent -> tagged"
finish

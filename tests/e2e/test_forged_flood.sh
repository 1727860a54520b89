#!/bin/bash
# test_forged_flood.sh - a flood of forged X-Vigie-* fields costs vigie no time.
#
# SYNOPSIS
#	bash tests/e2e/test_forged_flood.sh	(as root; sh re-execs bash)
#
# DESCRIPTION
#	Every incoming X-Vigie-* field is removed with its own
#	smfi_chgheader, and Postfix's cleanup rescans the header block for
#	each: unbounded, 10,000 forged fields cost minutes. Through the
#	private Postfix of lib.sh, with tests/e2e/vigie-test.conf plus
#	max_forged_fields and forged_fields_action:
#
#	  10,000 forged fields of 10,000 names (X-Vigie-F0...): judged in
#	  under 2 s of the milter's CPU (utime + stime of /proc/PID/stat,
#	  every thread, read before and after), under 2 s of Postfix's CPU
#	  (the same, summed over its process group, plus what the master
#	  reaped) and under 20 s of wall time, refused with 550 5.7.1
#	  (forged_fields_action = "reject"), the log line names the anomaly
#	  limit_forged_fields, nothing delivered (unbounded: over 60 s, and
#	  swaks times out);
#	  10,000 forged X-Vigie-Status fields: the same (unbounded: 6 s);
#	  as many forged fields as the cap (max_forged_fields = 20, of
#	  several names): all removed, only vigie's own X-Vigie-Status left;
#	  forged_fields_action = "tempfail": a flood gets 451 4.7.1.
#
#	Prints the measured CPU and wall time as "# ..." lines.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

FLOOD=10000
CAP=20

e2e_init
pf_setup
pf_start

# conf_with - the e2e config (rules by absolute path) plus lines: conf_with FILE LINE...
conf_with() {
	local f=$1
	shift
	sed "s|^rules = .*|rules = [ \"$E2E_DIR/e2e.rules\" ];|" "$E2E_DIR/vigie-test.conf" >"$f"
	printf '%s\n' "$@" >>"$f"
}

# cpu_ticks - utime + stime of PID, in clock ticks
cpu_ticks() {
	sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12 + $13 }'
}

# pf_cpu_ticks - utime + stime of every process of the private Postfix,
# plus the children its master reaped
pf_cpu_ticks() {
	local p sum=0 t
	for p in $(pgrep -g "$PF_MASTER_PID"); do
		t=$(cpu_ticks "$p" 2>/dev/null) && sum=$((sum + t))
	done
	t=$(sed 's/^.*) //' "/proc/$PF_MASTER_PID/stat" | awk '{ print $14 + $15 }')
	echo $((sum + t))
}

# mkflood - a message with N forged fields: mkflood FILE BOX SUBJECT N NAMES...
# (the fields cycle through NAMES; a "#" in a name becomes the field's number)
mkflood() {
	local f=$1 box=$2 subject=$3 n=$4
	shift 4
	{
		echo "From: Flood Sender <flood@example.org>"
		echo "To: $box@$PF_DOMAIN"
		echo "Subject: $subject"
		echo "Date: $(date -R)"
		echo "Message-ID: <$box.$$@client.vigie-test.example>"
		awk -v n="$n" -v names="$*" 'BEGIN {
			k = split(names, name, " ")
			for (i = 0; i < n; i++) {
				f = name[i % k + 1]
				sub(/#/, i, f)
				printf "%s: accept score=0.0\n", f
			}
		}'
		echo "MIME-Version: 1.0"
		echo "Content-Type: text/plain; charset=us-ascii"
		echo
		echo "vigie-e2e-tag in the body does not matter; the subject tags."
	} >"$f"
}

# send - swaks a message file; sets OUT, QID, REPLY, WALL (seconds)
send() {
	local f=$1 box t0 t1
	box=$(sed -n 's/^To: \([^@]*\)@.*/\1/p' "$f" | head -n 1)
	OUT=$T/$box.swaks
	t0=$(date +%s.%N)
	swaks_send "$OUT" --from flood@example.org --to "$box@$PF_DOMAIN" --data "$f"
	t1=$(date +%s.%N)
	WALL=$(echo "$t1 - $t0" | bc)
	QID=$(swaks_queue_id "$OUT")
	REPLY=$(swaks_final_reply "$OUT")
}

conf_with "$T/reject.conf" "max_forged_fields = $CAP;" 'forged_fields_action = "reject";'
milter_start "$T/reject.conf"
HZ=$(getconf CLK_TCK)

# flood_case - send a flood, check its cost and fate: flood_case BOX NAME...
flood_case() {
	local box=$1 c0 c1 p0 p1 cpu pcpu
	shift
	mkflood "$T/$box.eml" "$box" "vigie-e2e-tag flood" "$FLOOD" "$@"
	c0=$(cpu_ticks "$MILTER_PID")
	p0=$(pf_cpu_ticks)
	send "$T/$box.eml"
	c1=$(cpu_ticks "$MILTER_PID")
	p1=$(pf_cpu_ticks)
	cpu=$(echo "scale=2; ($c1 - $c0) / $HZ" | bc)
	pcpu=$(echo "scale=2; ($p1 - $p0) / $HZ" | bc)
	e2e_log "$box: $FLOOD forged fields ($*): vigie-milter CPU ${cpu} s, Postfix CPU ${pcpu} s, wall ${WALL} s, reply: $REPLY"
	check_eq "$box: judged in under 2 s of vigie CPU (got ${cpu} s)" \
		"$(echo "$cpu < 2" | bc)" 1
	check_eq "$box: under 2 s of Postfix CPU (got ${pcpu} s)" \
		"$(echo "$pcpu < 2" | bc)" 1
	check_eq "$box: answered in under 20 s of wall time (got ${WALL} s)" \
		"$(echo "$WALL < 20" | bc)" 1
	check_match "$box: refused with 550 5.7.1 (forged_fields_action = reject)" "$REPLY" '^550 5\.7\.1 '
	check_match "$box: the log line names the anomaly limit_forged_fields" \
		"$(grep 'limit_forged_fields' "$T/milter.log" | tail -n 1)" 'action=reject .*anomalies=[a-z_,]*limit_forged_fields'
	wait_queue_settled 5
	check_eq "$box: not delivered" "$(delivered_count "$box")" 0
	check_eq "$box: milter still running" "$(milter_alive && echo yes)" yes
}

echo "# $FLOOD forged fields, each its own name"
flood_case flood "X-Vigie-F#"
echo "# $FLOOD forged X-Vigie-Status fields"
flood_case floodsame X-Vigie-Status

echo "# $CAP forged fields (the cap): all removed"
mkflood "$T/atcap.eml" atcap "vigie-e2e-tag at the cap" "$CAP" \
	X-Vigie-Status X-Vigie-Report x-vigie-status X-VIGIE-Verdict
send "$T/atcap.eml"
check_match "at the cap: accepted (250)" "$REPLY" '^250 .*queued as'
F=$(wait_delivered atcap 10) || F=""
check_eq "at the cap: delivered" "$([ -n "$F" ] && echo yes)" yes
check_eq "at the cap: exactly one X-Vigie-Status, vigie's own" \
	"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status | tr '\n' '|')" "tag score=5.0|"
check_eq "at the cap: no forged X-Vigie-Verdict left" \
	"$([ -n "$F" ] && msg_header_count "$F" X-Vigie-Verdict)" 0
check_eq "at the cap: only vigie's X-Vigie-Report left" \
	"$([ -n "$F" ] && msg_header "$F" X-Vigie-Report | tr '\n' '|')" "E2E_TAG=5.0|"

echo "# forged_fields_action = tempfail"
conf_with "$T/tempfail.conf" "max_forged_fields = $CAP;" 'forged_fields_action = "tempfail";'
milter_start "$T/tempfail.conf"
mkflood "$T/flood2.eml" flood2 "plain" $((CAP + 1)) X-Vigie-Status
send "$T/flood2.eml"
check_match "one over the cap, tempfail: 451 4.7.1" "$REPLY" '^451 4\.7\.1 '
wait_queue_settled 5
check_eq "one over the cap, tempfail: not delivered" "$(delivered_count flood2)" 0

milter_stop
check_eq "SIGTERM: milter exits 0" "$?" 0
finish

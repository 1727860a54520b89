# stress_lib.sh - helpers shared by tests/stress and tests/reload.
#
# SYNOPSIS
#	. tests/stress/stress_lib.sh	(after "set -u", from bash)
#	stress_conf OUT RULES [KEY=VALUE...]	vigie-test.conf with other rules/keys
#	stats_port_pick				STATS_PORT, a free loopback port
#	metric NAME				one value from GET /metrics (0 if absent)
#	pf_tune KEY=VALUE...			postconf -e on the private instance
#	stress_send ARGS...			tests/stress/stress.py send --port $PF_PORT ...
#	stress_account ARGS...			eval'able A_*=N lines (stress.py account)
#	sanitizer_report FILE			prints the first sanitizer line of FILE
#
# DESCRIPTION
#	Sources tests/e2e/lib.sh (the private Postfix and milter harness) and
#	adds what the load, kill and reload tests share. STRESS=1 in the
#	environment selects the long versions (make stress); LONG is 1 then.
#	Everything stays on 127.0.0.1 and under lib.sh's temp dir $T.

. "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
STRESS_DIR=$VIGIE_ROOT/tests/stress
STRESS_PY=$STRESS_DIR/stress.py
LONG=0
[ "${STRESS:-0}" = 1 ] && LONG=1
STATS_PORT=""

# stress_conf - write OUT: vigie-test.conf with rules = [ RULES ] and each
# KEY=VALUE given (a key already there is replaced, a new one appended)
stress_conf() {
	local out=$1 rules=$2 kv key
	shift 2
	sed "s|^rules = .*|rules = [ \"$rules\" ];|" "$E2E_DIR/vigie-test.conf" >"$out"
	for kv in "$@"; do
		key=${kv%%=*}
		if grep -q "^$key = " "$out"; then
			sed -i "s|^$key = .*|$key = ${kv#*=};|" "$out"
		else
			printf '%s = %s;\n' "$key" "${kv#*=}" >>"$out"
		fi
	done
}

# stats_port_pick - a free port for stats_listen (not Postfix's)
stats_port_pick() {
	local p
	while :; do
		p=$(pick_port) || e2e_die "no free port for stats_listen"
		[ "$p" != "$PF_PORT" ] && break
	done
	STATS_PORT=$p
}

# metrics - the whole /metrics text ("" when the endpoint does not answer)
metrics() {
	curl -s --max-time 5 "http://127.0.0.1:$STATS_PORT/metrics" 2>/dev/null
}

# metric - the value of one sample, e.g. metric 'vigie_reloads_total{result="ok"}'
metric() {
	metrics | awk -v k="$1" '$1 == k { v = $2 } END { print (v == "" ? 0 : v) }'
}

# pf_tune - change the private instance's main.cf (before pf_start)
pf_tune() {
	postconf -c "$PF_CFG" -e "$@" >>"$T/postfix-ctl.log" 2>&1 ||
		e2e_die "postconf -e $* failed"
}

# stress_send - the concurrent SMTP sender (see stress.py)
stress_send() {
	python3 "$STRESS_PY" send --port "$PF_PORT" "$@"
}

# stress_account - A_*=N lines for eval; problems go to $T/problems
stress_account() {
	python3 "$STRESS_PY" account --maildir "$T/mail/inbox" --hold "$T/spool/hold" "$@" \
		2>"$T/problems"
}

# show_problems - the first problem lines of the last account, as diagnostics
show_problems() {
	[ -s "$T/problems" ] && head -n 20 "$T/problems" >&2
	return 0
}

# sanitizer_report - the first line of an ASan/UBSan/TSan/LSan report in FILE
sanitizer_report() {
	grep -m 1 -E 'ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|WARNING: ThreadSanitizer|ThreadSanitizer: reported' \
		"$1" 2>/dev/null
}

# wait_settled - bounded wait until Postfix has nothing in incoming/active
wait_settled() {
	wait_for "${1:-60}" queue_settled
}

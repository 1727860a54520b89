#!/bin/bash
# postfix.sh - messages per second through a private Postfix, with and without milters.
#
# SYNOPSIS
#	bash bench/postfix.sh VIGIE_CONF NULLMILTER MESSAGE_FILE
#	(run by bench/bench.py; as root)
#
# DESCRIPTION
#	Starts one private Postfix instance (tests/e2e/lib.sh does the
#	temp dir, start, stop and clean-up, and writes the instance and
#	service lines; the listeners, transports and milters are the
#	benchmark's own) with one smtpd listener on 127.0.0.1 per leg.
#	The listeners differ only in smtpd_milters:
#
#	  none		no milter
#	  null		NULLMILTER, every protocol step and reply (a milter
#			that negotiates nothing special and accepts at EOM)
#	  nulllean	NULLMILTER -l, which negotiates the steps vigie-milter
#			negotiates (fewer round trips): the fair baseline
#	  vigie		vigie-milter -c VIGIE_CONF
#	  vigieauth	a second vigie-milter, -c BENCH_PF_AUTH_CONF (vigie
#			verifying SPF, DKIM and DMARC itself against
#			bench/dns.sh's nsd: authentication = "builtin"), fed
#			BENCH_PF_AUTH_MESSAGE (the same message, DKIM-signed);
#			answers cached after the warm-up round
#
#	every milter on a unix socket (over TCP loopback Nagle and delayed
#	ACKs stall each exchange ~40 ms). Every recipient goes to discard:
#	(default, relay, local and virtual transports), so the figure is
#	Postfix's intake: SMTP, cleanup, queue file, the milter.
#
#	Postfix's smtp-source feeds each leg MESSAGE_FILE (-F) BENCH_PF_MSGS
#	times over BENCH_PF_SESSIONS parallel sessions, timed from start to
#	exit (smtp-source exits once the last "250 queued" arrived; it
#	aborts on any other reply, so a failing milter shows). The queue is
#	left to drain (untimed) before the next leg. Legs are interleaved,
#	their order rotated each round, after one untimed warm-up round.
#
#	One line per timed leg on stdout:
#	  leg=vigie round=2 msgs=2000 secs=3.141 user_ticks=31 sys_ticks=26 clk_tck=100
#	user_ticks and sys_ticks are the leg's milter process utime and stime
#	(all threads, dead ones included) from /proc/PID/stat, 0 for "none".
#
# ENVIRONMENT
#	BENCH_PF_ROUNDS (5), BENCH_PF_MSGS (2000), BENCH_PF_SESSIONS (10),
#	BENCH_PF_LEGS ("none null nulllean vigie", plus vigieauth when
#	BENCH_PF_AUTH_CONF is set), BENCH_PF_REUSE (0; 1
#	passes smtp-source -d: all messages of a session over one
#	connection, else one connection per message, as at an MX),
#	BENCH_PF_AUTH_CONF, BENCH_PF_AUTH_MESSAGE: the vigieauth leg's,
#	VIGIE_MILTER (build/vigie-milter), VIGIE_E2E_KEEP=1 keeps the dir.
#
# DIAGNOSTICS
#	Exit 2 ("Bail out!") when the instance or a milter cannot start or
#	smtp-source fails; 77 when not root.

set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../tests/e2e/lib.sh"

VIGIE_CONF=$1
NULLMILTER=$2
MESSAGE=$3
ROUNDS=${BENCH_PF_ROUNDS:-5}
MSGS=${BENCH_PF_MSGS:-2000}
SESSIONS=${BENCH_PF_SESSIONS:-10}
AUTH_CONF=${BENCH_PF_AUTH_CONF:-}
AUTH_MESSAGE=${BENCH_PF_AUTH_MESSAGE:-$MESSAGE}
LEGS=${BENCH_PF_LEGS:-none null nulllean vigie${AUTH_CONF:+ vigieauth}}
REUSE=${BENCH_PF_REUSE:-0}

declare -A PORT PID SOCK MSG

# bench_pf_setup - main.cf and master.cf: one smtpd per leg, all to discard:
bench_pf_setup() {
	local leg p used=" " milters
	PF_CFG=$T/postfix
	MILTER_SOCK=$T/milter/vigie.sock
	mkdir -p "$PF_CFG" "$T/spool" "$T/data" "$T/milter"
	chmod 0755 "$T/milter"
	chown postfix "$T/data"
	: >"$T/postfix.log"
	SOCK[null]=$T/milter/null.sock
	SOCK[nulllean]=$T/milter/nulllean.sock
	SOCK[vigie]=$MILTER_SOCK
	SOCK[vigieauth]=$T/milter/vigieauth.sock
	for leg in $LEGS; do
		for _ in $(seq 20); do
			p=$(pick_port) || e2e_die "no free port on 127.0.0.1"
			case $used in *" $p "*) continue ;; esac
			break
		done
		used="$used$p "
		PORT[$leg]=$p
	done
	PF_PORT=${PORT[${LEGS%% *}]}

	{
	pf_instance_lines benchmark bench/postfix.sh bench
	cat <<-EOF

	myhostname = mx.bench.example
	mydomain = bench.example
	myorigin = \$myhostname
	inet_interfaces = 127.0.0.1
	inet_protocols = ipv4
	mynetworks = 127.0.0.0/8
	biff = no
	append_dot_mydomain = no

	# Everything is accepted from loopback and thrown away.
	mydestination =
	local_recipient_maps =
	relay_domains =
	relayhost =
	alias_maps =
	alias_database =
	smtpd_relay_restrictions = permit_mynetworks, reject
	default_transport = discard:bench
	relay_transport = discard:bench
	local_transport = discard:bench
	virtual_transport = discard:bench

	smtpd_error_sleep_time = 0s
	in_flow_delay = 0s
	smtpd_client_connection_count_limit = 0
	smtpd_peername_lookup = no

	smtpd_milters =
	non_smtpd_milters =
	milter_protocol = 6
	milter_default_action = tempfail
	milter_connect_timeout = 5s
	milter_command_timeout = 10s
	milter_content_timeout = 20s
	EOF
	} >"$PF_CFG/main.cf"

	{
	for leg in $LEGS; do
		milters=
		[ "$leg" = none ] || milters=unix:${SOCK[$leg]}
		echo "127.0.0.1:${PORT[$leg]} inet n - n - - smtpd -o syslog_name=bench-$leg -o smtpd_milters=$milters"
	done
	pf_service_lines
	} >"$PF_CFG/master.cf"
	pf_check_config
}

# null_start - a do-nothing milter on SOCK[LEG]: null_start LEG [-l]
null_start() {
	local leg=$1
	shift
	rm -f "${SOCK[$leg]}"
	"$NULLMILTER" "$@" "unix:${SOCK[$leg]}" </dev/null >>"$T/null.log" 2>&1 &
	PID[$leg]=$!
	wait_for 10 test -S "${SOCK[$leg]}" || e2e_die "nullmilter $* did not open ${SOCK[$leg]}"
}

# vigieauth_start - the second vigie-milter, -c AUTH_CONF on SOCK[vigieauth]
vigieauth_start() {
	[ -r "$AUTH_CONF" ] || e2e_die "leg vigieauth: BENCH_PF_AUTH_CONF unreadable"
	rm -f "${SOCK[vigieauth]}"
	"$VIGIE_MILTER" -f -c "$AUTH_CONF" -p "unix:${SOCK[vigieauth]}" </dev/null \
		>>"$T/vigieauth.log" 2>&1 &
	PID[vigieauth]=$!
	wait_for 10 test -S "${SOCK[vigieauth]}" ||
		e2e_die "vigie-milter -c $AUTH_CONF did not open ${SOCK[vigieauth]}: $(tail -n 3 "$T/vigieauth.log")"
}

# bench_cleanup - stop the do-nothing milters and vigieauth, then lib.sh's clean-up
bench_cleanup() {
	local rc=$? leg
	for leg in null nulllean vigieauth; do
		[ -n "${PID[$leg]:-}" ] || continue
		kill -TERM "${PID[$leg]}" 2>/dev/null
		wait "${PID[$leg]}" 2>/dev/null
	done
	(exit "$rc")
	e2e_cleanup
}

# cpu_ticks - "utime stime" of a process, in clock ticks ("0 0" without one)
cpu_ticks() {
	[ -n "${1:-}" ] || { echo 0 0; return; }
	# fields after "(comm) ": state is $1, utime $12, stime $13
	sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12, $13}'
}

# now - seconds since the epoch, with nanoseconds
now() {
	date +%s.%N
}

# leg_run - one timed leg: leg_run LEG ROUND COUNT
leg_run() {
	local leg=$1 round=$2 count=$3 u0 s0 u1 s1 t0 t1 d=
	[ "$REUSE" = 1 ] && d=-d
	read -r u0 s0 <<<"$(cpu_ticks "${PID[$leg]:-}")"
	t0=$(now)
	smtp-source $d -s "$SESSIONS" -m "$count" -F "${MSG[$leg]:-$MESSAGE}" -M client.bench.example \
		-f sender@association.example.fr -t rcpt@bench.example \
		"127.0.0.1:${PORT[$leg]}" >"$T/source.out" 2>&1 ||
		e2e_die "smtp-source on leg $leg failed: $(tail -n 3 "$T/source.out")"
	t1=$(now)
	read -r u1 s1 <<<"$(cpu_ticks "${PID[$leg]:-}")"
	wait_for 120 queue_settled || e2e_log "queue not drained after leg $leg"
	[ "$round" = warmup ] && return 0
	echo "leg=$leg round=$round msgs=$count secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') user_ticks=$((u1 - u0)) sys_ticks=$((s1 - s0)) clk_tck=$(getconf CLK_TCK)"
}

e2e_init
trap bench_cleanup EXIT
command -v smtp-source >/dev/null || e2e_die "smtp-source not found (package postfix)"
[ -x "$NULLMILTER" ] || e2e_die "$NULLMILTER not built"
[ -r "$MESSAGE" ] || e2e_die "cannot read $MESSAGE"
bench_pf_setup
pf_start
for leg in $LEGS; do
	case $leg in
	none) ;;
	null) null_start null ;;
	nulllean) null_start nulllean -l ;;
	vigie) milter_start "$VIGIE_CONF"; PID[vigie]=$MILTER_PID ;;
	vigieauth) vigieauth_start; MSG[vigieauth]=$AUTH_MESSAGE ;;
	*) e2e_die "unknown leg $leg" ;;
	esac
done
e2e_log "legs: $(for l in $LEGS; do printf '%s=127.0.0.1:%s ' "$l" "${PORT[$l]}"; done)"

read -r -a legs <<<"$LEGS"
for leg in "${legs[@]}"; do
	leg_run "$leg" warmup $((MSGS / 5 + 1))
done
for round in $(seq 1 "$ROUNDS"); do
	n=${#legs[@]}
	for i in $(seq 0 $((n - 1))); do
		leg_run "${legs[$(((i + round) % n))]}" "$round" "$MSGS"
	done
done
[ -z "${PID[vigie]:-}" ] || milter_alive || e2e_die "vigie-milter died during the benchmark"
[ -z "${PID[vigieauth]:-}" ] || kill -0 "${PID[vigieauth]}" 2>/dev/null ||
	e2e_die "the vigieauth leg's vigie-milter died during the benchmark"

#!/bin/bash
# test_idle_peers.sh - idle MTA sessions are counted and dropped after milter_timeout.
#
# SYNOPSIS
#	bash tests/stress/test_idle_peers.sh		short (make check)
#	STRESS=1 bash tests/stress/test_idle_peers.sh	long: waits for the timeout
#
# DESCRIPTION
#	Without smfi_settimeout libmilter waits 7,210 s for an idle peer,
#	so about a thousand idle connections exhaust nofile 1024 and every
#	message then gets 451. Starts build/vigie-milter with
#	tests/e2e/vigie-test.conf plus milter_timeout = 2 and stats_listen
#	on a free loopback port, opens 200 milter sessions that negotiate
#	and then say nothing, and checks:
#
#	  vigie_sessions_open (GET /metrics) counts the 200 sessions, and
#	  the daemon holds a descriptor for each;
#	  short: the peers hang up; long: they wait, and the daemon must
#	  close every one of them itself within 660 s (libmilter's pool of
#	  workers looks for sessions idle past milter_timeout only every
#	  600 s; without the timeout it would wait 7,210 s);
#	  then vigie_sessions_open is back to 0 and so is the descriptor
#	  count, and a new session is still answered;
#	  the systemd unit raises LimitNOFILE to 65536 or more.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/stress_lib.sh"

PEERS=200
TIMEOUT=2
WAIT=0			# short: the peers hang up themselves
[ "$LONG" = 1 ] && WAIT=660

e2e_init
[ -x "$VIGIE_MILTER" ] || e2e_die "$VIGIE_MILTER not built (make)"
MILTER_SOCK=$T/vigie.sock
STATS_PORT=$(pick_port) || e2e_die "no free port on 127.0.0.1"
sed "s|^rules = .*|rules = [ \"$E2E_DIR/e2e.rules\" ];|" "$E2E_DIR/vigie-test.conf" >"$T/idle.conf"
printf 'milter_timeout = %d;\nstats_listen = "127.0.0.1:%d";\n' "$TIMEOUT" "$STATS_PORT" >>"$T/idle.conf"
milter_start "$T/idle.conf"

# idle_peers - open PEERS sessions, let them idle, report what happened
idle_peers() {
	PYTHONPATH=$VIGIE_ROOT/tests/miltertest python3 - "$MILTER_SOCK" "$MILTER_PID" \
		"$STATS_PORT" "$PEERS" "$WAIT" <<-'PY'
	import os, select, socket, sys, time, urllib.request
	from milterproto import Milter
	sock, pid, port, peers, wait = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])

	def sessions_open():
	    text = urllib.request.urlopen("http://127.0.0.1:%s/metrics" % port, timeout=5).read().decode()
	    for line in text.splitlines():
	        if line.startswith("vigie_sessions_open "):
	            return line.split()[1]
	    return "absent"

	def fds():
	    return len(os.listdir("/proc/%s/fd" % pid))

	sessions_open()		# the stats server's own descriptors, if any
	base = fds()
	conns = []
	for _ in range(peers):
	    m = Milter("unix:" + sock)
	    m.negotiate()
	    conns.append(m.s)
	time.sleep(0.3)
	print("open %s" % sessions_open())
	print("fds_added %d" % (fds() - base))
	t0 = time.monotonic()
	live = set(conns)
	while live and time.monotonic() - t0 < wait:
	    ready, _, _ = select.select(list(live), [], [], 0.2)
	    for s in ready:
	        try:
	            if s.recv(1) == b"":
	                live.discard(s)
	        except OSError:
	            live.discard(s)
	print("closed_by_milter %d" % (peers - len(live)))
	print("seconds %.1f" % (time.monotonic() - t0))
	for s in conns:
	    s.close()
	time.sleep(0.5)
	print("open_after %s" % sessions_open())
	time.sleep(0.5)
	print("fds_left %d" % (fds() - base))
	m = Milter("unix:" + sock)
	m.negotiate()
	print("new_session answered")
	PY
}

echo "# $PEERS idle sessions, milter_timeout = $TIMEOUT, waiting up to $WAIT s"
OUT=$(idle_peers 2>&1)
printf '%s\n' "$OUT" | sed 's/^/#   /'
val() { printf '%s\n' "$OUT" | sed -n "s/^$1 //p"; }
check_eq "vigie_sessions_open counts the $PEERS idle sessions" "$(val open)" "$PEERS"
# (the stats server's connection for GET /metrics may come and go: +-2)
check_eq "the daemon holds a descriptor per session (got $(val fds_added) more)" \
	"$([ "$(val fds_added)" -ge $((PEERS - 2)) ] 2>/dev/null && echo yes)" yes
if [ "$LONG" = 1 ]; then
	check_eq "every idle session closed by the daemon within $WAIT s" "$(val closed_by_milter)" "$PEERS"
fi
check_eq "vigie_sessions_open back to 0" "$(val open_after)" 0
check_eq "descriptors back to where they were (got $(val fds_left) more)" \
	"$([ "$(val fds_left)" -le 2 ] 2>/dev/null && echo yes)" yes
check_eq "a new session is still answered" "$(val new_session)" answered
check_eq "milter still running" "$(milter_alive && echo yes)" yes

echo "# systemd unit"
NOFILE=$(sed -n 's/^LimitNOFILE=\([0-9]*\)$/\1/p' "$VIGIE_ROOT/packaging/systemd/vigie.service")
check_eq "LimitNOFILE >= 65536 in packaging/systemd/vigie.service (got '$NOFILE')" \
	"$([ "${NOFILE:-0}" -ge 65536 ] && echo yes)" yes

milter_stop
check_eq "SIGTERM: milter exits 0" "$?" 0
finish

# shellcheck shell=bash
# nsd_lib.sh - a private nsd on a free loopback port serving test zones;
# sourced by tests/auth/test_auth.sh and bench/dns.sh (bash).
#
#	T=/some/dir PY=/usr/bin/python3; . tests/auth/nsd_lib.sh
#	nsd_zone NAME RECORDS	zone file $T/NAME.zone: SOA (negative TTL 60),
#				NS, ns A 127.0.0.1, then RECORDS
#	nsd_start		nsd -d on 127.0.0.1@$NSD_PORT serving every
#				zone written so far; waits until it answers
#				(5 s at most: returns 1). Its pid in NSD_PID.
#	free_port		a UDP port nobody uses on loopback
#	dkim_txt KEY		the DKIM key record of $T/KEY.pub (base64 DER)
#				as quoted strings of at most 200 bytes
#
# The caller stops nsd (kill $NSD_PID) and removes $T.

# free_port - a UDP port nobody uses on loopback
free_port() {
	"$PY" -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# dkim_txt KEY - the key record as quoted strings of at most 200 bytes
dkim_txt() {
	local rec
	rec="v=DKIM1; k=rsa; p=$(cat "$T/$1.pub")"
	"$PY" -c 'import sys; r=sys.argv[1]; print(" ".join("\"%s\"" % r[i:i+200] for i in range(0, len(r), 200)))' "$rec"
}

# nsd_zone NAME RECORDS - a zone file with SOA (negative TTL 60) and NS
nsd_zone() {
	cat >"$T/$1.zone" <<ZONE
\$ORIGIN $1.
\$TTL 300
@ IN SOA ns.$1. hostmaster.$1. 1 3600 600 86400 60
@ IN NS ns.$1.
ns IN A 127.0.0.1
$2
ZONE
	printf 'zone:\n\tname: %s\n\tzonefile: %s.zone\n' "$1" "$1" >>"$T/zones.conf"
}

# nsd_start - serve the zones of $T/zones.conf on a free port (sets
# NSD_PORT and NSD_PID for the caller)
nsd_start() {
	NSD_PORT=$(free_port)
	cat >"$T/nsd.conf" <<NSD
server:
	ip-address: 127.0.0.1@$NSD_PORT
	zonesdir: "$T"
	username: ""
	chroot: ""
	pidfile: "$T/nsd.pid"
	database: ""
	zonelistfile: "$T/zone.list"
	xfrdfile: "$T/xfrd.state"
	logfile: "$T/nsd.log"
	server-count: 1
	verbosity: 1
remote-control:
	control-enable: no
NSD
	cat "$T/zones.conf" >>"$T/nsd.conf"
	nsd -d -c "$T/nsd.conf" >"$T/nsd.out" 2>&1 &
	NSD_PID=$!
	# the SOA of the first zone, until nsd answers
	local first
	first=$(sed -n 's/^\tname: //p' "$T/zones.conf" | head -n 1)
	for _ in $(seq 50); do
		"$PY" - "$NSD_PORT" "$first" <<'PY' 2>/dev/null && return 0
import socket, struct, sys
name = b"".join(bytes([len(l)]) + l.encode() for l in sys.argv[2].split(".")) + b"\0"
q = b"\x12\x34\0\0\0\1\0\0\0\0\0\0" + name + struct.pack(">HH", 6, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.2)
s.sendto(q, ("127.0.0.1", int(sys.argv[1]))); s.recvfrom(512)
PY
		sleep 0.1
	done
	return 1
}

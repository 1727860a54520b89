#!/bin/bash
# dns.sh - the DNS of make bench's authentication rows: a private nsd
# serving the test senders' records, and a slow resolver in front of it.
#
# SYNOPSIS
#	bash bench/dns.sh AUTHDIR DELAY_MS	(run by bench/bench.py)
#
# DESCRIPTION
#	AUTHDIR holds the unsigned messages of bench/gen.py's auth_inputs:
#	typical.eml (lettre@association.example.fr) and cold-NNN.eml (each
#	from coldNNN.example.fr). For every one of those sender domains D,
#	the zone example.fr publishes what a careful sender publishes:
#	  D                  TXT "v=spf1 ip4:127.0.0.0/8 -all"
#	  _dmarc.D           TXT "v=DMARC1; p=reject; rua=mailto:dmarc@D"
#	  bench._domainkey.D TXT the DKIM key (RSA 2048)
#	and every message is signed (tests/auth/sign.py) into AUTHDIR/signed/.
#	tests/auth/nsd_lib.sh starts nsd on a free loopback port;
#	tests/auth/dns_stub.py "delay" answers through it DELAY_MS later.
#
#	Prints "nsd=PORT slow=PORT" once both answer, then runs until
#	killed (TERM), stopping both.
#
# DIAGNOSTICS
#	Exit 77 when nsd, openssl or python3-dkim is missing, 2 on a failure.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
AUTHDIR=$1
DELAY_MS=$2
PY=/usr/bin/python3
T=$AUTHDIR/dns

for tool in nsd openssl; do
	command -v "$tool" >/dev/null || { echo "dns.sh: $tool missing" >&2; exit 77; }
done
"$PY" -c 'import dkim' 2>/dev/null || { echo "dns.sh: python3-dkim missing" >&2; exit 77; }
# shellcheck source=tests/auth/nsd_lib.sh
. "$ROOT/tests/auth/nsd_lib.sh"

PIDS=""
stop() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	exit 0
}
trap stop TERM INT
mkdir -p "$T" "$AUTHDIR/signed" || exit 2

if ! openssl genrsa -out "$T/bench.pem" 2048 2>/dev/null ||
   ! openssl rsa -in "$T/bench.pem" -pubout -outform DER 2>/dev/null | base64 -w0 >"$T/bench.pub"
then
	echo "dns.sh: openssl failed" >&2
	exit 2
fi
key=$(dkim_txt bench)

records=
for m in "$AUTHDIR"/*.eml; do
	d=$(sed -n 's/^From: .*<[^@]*@\([^>]*\)>.*/\1/p' "$m" | head -n 1)
	case $d in *.example.fr) ;; *) echo "dns.sh: $m: From not under example.fr" >&2; exit 2 ;; esac
	sub=${d%.example.fr}
	records="$records
$sub IN TXT \"v=spf1 ip4:127.0.0.0/8 -all\"
_dmarc.$sub IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@$d\"
bench._domainkey.$sub IN TXT $key"
	"$PY" "$ROOT/tests/auth/sign.py" "$T/bench.pem" bench "$d" relaxed/relaxed \
	    <"$m" >"$AUTHDIR/signed/${m##*/}" || { echo "dns.sh: signing $m failed" >&2; exit 2; }
done
: >"$T/zones.conf"
nsd_zone example.fr "$records"
nsd_start || { echo "dns.sh: nsd did not answer: $(tail -n 3 "$T/nsd.out")" >&2; stop; }
PIDS="$NSD_PID"

"$PY" "$ROOT/tests/auth/dns_stub.py" delay "$DELAY_MS" "$NSD_PORT" >"$T/slow.port" &
PIDS="$PIDS $!"
for _ in $(seq 50); do
	[ -s "$T/slow.port" ] && break
	sleep 0.1
done
[ -s "$T/slow.port" ] || { echo "dns.sh: dns_stub.py did not start" >&2; stop; }
echo "nsd=$NSD_PORT slow=$(cat "$T/slow.port")"
wait

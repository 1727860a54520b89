#!/bin/bash
# test_reload_dns.sh - a reload naming another dns_resolver closes the old one.
#
# SYNOPSIS
#	bash tests/reload/test_reload_dns.sh
#	BUILD=build-asan bash tests/reload/test_reload_dns.sh	(under ASan)
#
# DESCRIPTION
#	Each configuration holds a reference to its libunbound resolver; the
#	old configuration, released after a reload, must release its
#	resolver too, or every reload that changes dns_resolver keeps one
#	more context (its thread, its cache) for the process's life. Starts
#	build/vigie-milter on a private socket with dns_resolver A, reloads
#	(SIGUSR1) with B, then with B again, then with A, and reads the
#	"N dns resolvers open" of each reload log line: always 1. No DNS
#	query is made (no mail flows): the resolvers are only created.
#	VIGIE_DNS_RESOLVER, which would override dns_resolver, is unset.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/lib.sh"
MILTER="$ROOT/${BUILD:-build}/vigie-milter"
[ -x "$MILTER" ] || skip "$MILTER not built"
unset VIGIE_DNS_RESOLVER

T=$(mktemp -d /tmp/vigie-reload-dns.XXXXXX) || exit 2
MPID=""
cleanup() {
	[ -n "$MPID" ] && kill "$MPID" 2>/dev/null && wait "$MPID" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# write_conf RESOLVER - the shipped configuration, run as is, with RESOLVER
write_conf() {
	sed -e "s|\"rules/|\"$ROOT/config/rules/|g" \
	    -e 's/^user = .*/user = "";/' -e 's/^allow_root = .*/allow_root = true;/' \
	    -e "s/^dns_resolver = .*/dns_resolver = \"$1\";/" \
	    "$ROOT/config/vigie.conf" >"$T/conf.new" && mv -f "$T/conf.new" "$T/vigie.conf"
}

# reload_with RESOLVER - SIGUSR1 and the reload's log line
reload_with() {
	local before
	before=$(grep -c 'reloaded ' "$T/milter.log")
	write_conf "$1"
	kill -USR1 "$MPID"
	for _ in $(seq 300); do
		[ "$(grep -c 'reloaded ' "$T/milter.log")" -gt "$before" ] && break
		sleep 0.1
	done
	grep 'reloaded ' "$T/milter.log" | tail -n 1
}

write_conf 127.0.0.1@5301
"$MILTER" -f -c "$T/vigie.conf" -p "unix:$T/milter.sock" </dev/null \
    >"$T/milter.log" 2>&1 &
MPID=$!
for _ in $(seq 300); do
	[ -S "$T/milter.sock" ] && break
	sleep 0.1
done
[ -S "$T/milter.sock" ] || { cat "$T/milter.log"; not_ok "milter started"; finish; }

check_match "reload to another resolver closes the old" \
    "$(reload_with 127.0.0.1@5302)" ', 1 dns resolvers open$'
check_match "reload to the same resolver shares it" \
    "$(reload_with 127.0.0.1@5302)" ', 1 dns resolvers open$'
check_match "reload back to the first resolver" \
    "$(reload_with 127.0.0.1@5301)" ', 1 dns resolvers open$'
check_match "reload to the system's resolver" \
    "$(reload_with '')" ', 1 dns resolvers open$'

kill "$MPID"
wait "$MPID"
check_eq "milter stopped cleanly" "$?" 0
MPID=""
# ASan builds: no leak, no error report at exit
check_eq "no sanitizer report" "$(grep -c 'Sanitizer' "$T/milter.log")" 0
finish

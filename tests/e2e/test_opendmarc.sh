#!/bin/bash
# test_opendmarc.sh - the README's recipe for sites that already run
# OpenDMARC, end to end: a private Postfix with Debian's opendmarc milter
# first and vigie second, vigie trusting OpenDMARC's Authentication-Results
# field (trusted_authserv_ids) instead of, or before, its own check.
#
# OpenDMARC is started privately: its own configuration in the temp dir,
# a loopback port, no system service, and its TestDNSData file for the
# DMARC record of ameli.fr (p=reject), so no DNS server is involved. The
# DKIM result it builds on comes, as at a site running OpenDKIM first,
# from an Authentication-Results field of a trusted "opendkim" authserv-id
# (written into the test message here).
#
# Checks, with authentication = "trusted" and again with "both":
#   - mail From ameli.fr with no DKIM: OpenDMARC writes dmarc=fail
#     (p=reject), vigie reads it and rejects (550), naming the upstream
#     verdict in its log line;
#   - the same with a DKIM pass for ameli.fr: OpenDMARC writes
#     dmarc=pass, vigie credits the brand (BRAND_AUTHENTICATED) and
#     delivers it;
#   - a sender's own field under OpenDMARC's id claiming dmarc=pass does
#     not save a forgery: OpenDMARC's field is on top, vigie reads that one.
# And the control: vigie without OpenDMARC's id among its trusted ones
# does not reject the forgery (so the rejection above is OpenDMARC's
# result read by vigie, not vigie's own check, which has no DNS here).
# Skips (77) when opendmarc is not installed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

command -v opendmarc >/dev/null || skip "opendmarc not installed (packaging/deps.sh installs it)"
ODMARC_ID=opendmarc.vigie-test.example
ODKIM_ID=opendkim.vigie-test.example
ODMARC_PID=""
e2e_init
trap 'rc=$?; opendmarc_stop; (exit $rc); e2e_cleanup' EXIT

# opendmarc_stop - stop the private opendmarc
opendmarc_stop() {
	[ -n "$ODMARC_PID" ] || return 0
	kill "$ODMARC_PID" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $ODMARC_PID 2>/dev/null" || kill -9 "$ODMARC_PID" 2>/dev/null
	ODMARC_PID=""
}

# opendmarc_start - opendmarc in the foreground on a loopback port, its
# DMARC records from a file, judging mail from 127.0.0.1 too (its
# default IgnoreHosts would skip it), never rejecting by itself
opendmarc_start() {
	local d=$T/opendmarc
	mkdir -p "$d"
	printf '_dmarc.ameli.fr v=DMARC1; p=reject; rua=mailto:rua@ameli.fr\n' >"$d/dns.txt"
	printf '192.0.2.250\n' >"$d/ignore-hosts"
	ODMARC_PORT=$(pick_port) || e2e_die "no free port"
	cat >"$d/opendmarc.conf" <<-EOC
	AuthservID $ODMARC_ID
	TrustedAuthservIDs $ODKIM_ID
	Socket inet:$ODMARC_PORT@127.0.0.1
	PidFile $d/opendmarc.pid
	Background false
	Syslog false
	IgnoreHosts $d/ignore-hosts
	PublicSuffixList /usr/share/publicsuffix/public_suffix_list.dat
	TestDNSData $d/dns.txt
	RejectFailures false
	EOC
	opendmarc -f -c "$d/opendmarc.conf" >"$d/stdout" 2>&1 &
	ODMARC_PID=$!
	wait_for 10 sh -c "ss -ltn 'sport = :$ODMARC_PORT' | grep -q LISTEN" ||
		e2e_die "private opendmarc not listening: $(tail -n 5 "$d/stdout")"
}

# vigie_conf FILE AUTHENTICATION TRUSTED - the shipped config and rules,
# authentication and trusted_authserv_ids set
vigie_conf() {
	mkdir -p "$T/conf"
	[ -d "$T/conf/rules" ] || cp -r "$VIGIE_ROOT/config/rules" "$T/conf/rules"
	sed -e 's/^socket_mode[[:space:]]*=.*/socket_mode = "0666";/' \
	    -e "s/^authentication[[:space:]]*=.*/authentication = \"$2\";/" \
	    -e "s/^trusted_authserv_ids[[:space:]]*=.*/trusted_authserv_ids = [ $3 ];/" \
		"$VIGIE_ROOT/config/vigie.conf" >"$T/conf/$1"
	chmod -R a+rX "$T/conf"
}

# send_notice BOX [HEADER...] - a notice From ameli.fr through the private
# Postfix (its own message: lib.sh's mkmsg writes us-ascii text)
send_notice() {
	local box=$1 f=$T/$1.eml h
	shift
	{
		for h in "$@"; do printf '%s\n' "$h"; done
		echo "From: Assurance Maladie <assurance-maladie@ameli.fr>"
		echo "To: $box@$PF_DOMAIN"
		echo "Subject: Votre attestation de droits"
		echo "Date: $(date -R)"
		echo "Message-ID: <$box.$$@ameli.fr>"
		echo "MIME-Version: 1.0"
		echo "Content-Type: text/plain; charset=utf-8"
		echo "Content-Transfer-Encoding: 8bit"
		echo
		echo "Bonjour Claire Martin,"
		echo
		echo "Votre attestation de droits est disponible dans votre compte ameli,"
		echo "rubrique Mes démarches : https://www.ameli.fr/assure/compte-ameli"
		echo
		echo "L'Assurance Maladie"
	} >"$f"
	swaks_send "$T/$box.swaks" --from assurance-maladie@ameli.fr --to "$box@$PF_DOMAIN" --data "$f"
	REPLY=$(swaks_final_reply "$T/$box.swaks")
}

DKIM_PASS="Authentication-Results: $ODKIM_ID; dkim=pass header.d=ameli.fr header.s=s2026"
FORGED_PASS="Authentication-Results: $ODMARC_ID; dmarc=pass header.from=ameli.fr"

opendmarc_start
pf_setup
# the recipe: OpenDMARC first, vigie after it
postconf -c "$PF_CFG" -e "smtpd_milters = inet:127.0.0.1:$ODMARC_PORT, unix:$MILTER_SOCK"
pf_start

for mode in trusted both; do
	vigie_conf "$mode.conf" "$mode" "\"$ODMARC_ID\""
	milter_start "$T/conf/$mode.conf" -u nobody

	send_notice "forged-$mode"
	check_match "$mode: From ameli.fr, no DKIM: rejected" "$REPLY" '^550 '
	log=$(grep -a 'action=reject' "$T/milter.log" | tail -n 1)
	check_match "$mode: vigie's log shows OpenDMARC's dmarc=fail and policy" "$log" \
	    'auth=upstream .*dmarc=fail\(p=reject,from=ameli\.fr\)'
	check_match "$mode: the policy OpenDMARC wrote counts (p=reject)" "$log" 'BRAND_DMARC_ENFORCED'

	send_notice "genuine-$mode" "$DKIM_PASS"
	f=$(wait_delivered "genuine-$mode" 10) || f=""
	check_match "$mode: DKIM pass for ameli.fr: delivered" "$f" .
	check_match "$mode: OpenDMARC's field is in the delivered message" \
	    "$([ -n "$f" ] && msg_header "$f" Authentication-Results | tr '\n' ' ')" "^$ODMARC_ID; dmarc=pass"
	qid=$(swaks_queue_id "$T/genuine-$mode.swaks")
	check_match "$mode: vigie credits the brand (BRAND_AUTHENTICATED), accepts it" \
	    "$(milter_log_for "$qid")" 'action=accept .*BRAND_AUTHENTICATED.* auth=upstream'

	send_notice "forgedar-$mode" "$FORGED_PASS"
	check_match "$mode: a sender's dmarc=pass under OpenDMARC's id: still rejected" "$REPLY" '^550 '
done

# control: the same forgery with OpenDMARC's id not trusted by vigie
vigie_conf untrusted.conf both ""
milter_start "$T/conf/untrusted.conf" -u nobody
send_notice forged-untrusted
check_match "control: OpenDMARC's field not trusted: not rejected" "$REPLY" '^250 '
milter_stop
finish

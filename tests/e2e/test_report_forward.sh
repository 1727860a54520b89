#!/bin/bash
# test_report_forward.sh - a report to the security team, end to end: the
# shipped rules behind a private Postfix, report_addresses phishing@, abuse@, securite@.
#
# A colleague forwards a lure to phishing@ inline (tests/corpus/report/001)
# or as an attached message (002): Postfix delivers it (tagged at most) and
# vigie adds X-Vigie-Forwarded with the verdict of the lure itself, so the
# team sees at once what vigie thinks of it; a forged X-Vigie-Forwarded in
# the report is removed. The same report to an ordinary mailbox is stopped.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

e2e_init
CONF=$T/vigie.conf
sed -e 's/^allow_root = .*/allow_root = true;/' \
	-e 's/^user = .*/user = "";/' \
	-e 's/^socket_mode = .*/socket_mode = "0666";/' \
	-e 's/^trusted_authserv_ids = .*/trusted_authserv_ids = [ "mx.vigie-test.example" ];/' \
	-e 's/^local_domains = .*/local_domains = [ "acme-industries.fr" ];/' \
	-e 's/^report_addresses = .*/report_addresses = [ "phishing@", "abuse@", "securite@" ];/' \
	-e "s|^rules = .*|rules = [ \"$VIGIE_ROOT/config/rules/fr-health.rules\" ];|" \
	"$VIGIE_ROOT/config/vigie.conf" >"$CONF"
pf_setup
pf_start
milter_start "$CONF"

# send FILE BOX [EXTRA-HEADER] - the corpus file to BOX@, its To: kept
send() {
	local f=$1 box=$2
	if [ $# -ge 3 ]; then
		{ printf '%s\n' "$3"; cat "$f"; } >"$T/$box.eml"
		f=$T/$box.eml
	fi
	swaks_send "$T/$box.swaks" --from paul.martin@acme-industries.fr \
		--to "$box@$PF_DOMAIN" --data "$f"
	REPLY=$(swaks_final_reply "$T/$box.swaks")
}

for pair in "phishing:inline:tests/corpus/report/001-transfert-inline-securite.eml" \
    "abuse:attached:tests/corpus/report/002-transfert-piece-jointe-phishing.eml"; do
	box=${pair%%:*}
	kind=${pair#*:}
	kind=${kind%%:*}
	file=$VIGIE_ROOT/${pair##*:}
	send "$file" "$box"
	F=$(wait_delivered "$box" 20) || F=""
	check_match "$kind forward to $box@: delivered" "$F" .
	check_match "$kind forward to $box@: tagged at most" \
		"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status)" '^(accept|tag) '
	check_match "$kind forward to $box@: X-Vigie-Forwarded judges the lure itself" \
		"$([ -n "$F" ] && msg_header "$F" X-Vigie-Forwarded)" \
		'^(quarantine|reject) score=[0-9.]+ rules=([A-Z_0-9]+,)*IMPERSONATION(,|$)'
done

send "$VIGIE_ROOT/tests/corpus/report/001-transfert-inline-securite.eml" securite \
	"X-Vigie-Forwarded: accept score=0.0 rules=-"
F=$(wait_delivered securite 20) || F=""
check_eq "a forged X-Vigie-Forwarded: only vigie's remains" \
	"$([ -n "$F" ] && msg_header "$F" X-Vigie-Forwarded | grep -c '^accept')$([ -n "$F" ] && msg_header_count "$F" X-Vigie-Forwarded)" 01

send "$VIGIE_ROOT/tests/corpus/report/002-transfert-piece-jointe-phishing.eml" colleague
F=$(wait_delivered colleague 20) || F=""
check_eq "the same report to an ordinary mailbox: no X-Vigie-Forwarded" \
	"$([ -n "$F" ] && msg_header_count "$F" X-Vigie-Forwarded)" 0
finish

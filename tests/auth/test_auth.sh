#!/bin/bash
# test_auth.sh - vigie's own DKIM and DMARC verification, against a real
# DNS server on loopback and messages signed for real.
#
# SYNOPSIS
#	bash tests/auth/test_auth.sh
#
# DESCRIPTION
#	Generates RSA keys (openssl), writes test zones shaped like the
#	brands' real ones (p=reject, sp=, pct=, rua=, SPF includes, DKIM
#	keys), serves them with nsd on a free loopback port, signs messages
#	with python3-dkim and runs build/vigie-scan --json on them with
#	dns_resolver pointed at nsd (VIGIE_DNS_RESOLVER). Checks the auth
#	line, the brand rules that fire and the action. Then points vigie at
#	a server answering SERVFAIL and one that never answers: temperror,
#	never fail, within the DNS budget. Nothing leaves loopback.
#	Exit 77 when nsd, openssl or python3-dkim is missing.
#	Ends with "N passed, M failed".
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/tests/auth"
SCAN="$ROOT/${BUILD:-build}/vigie-scan"
PY=/usr/bin/python3

for tool in nsd openssl; do
	command -v "$tool" >/dev/null || { echo "skip: $tool missing"; exit 77; }
done
"$PY" -c 'import dkim' 2>/dev/null || { echo "skip: python3-dkim missing"; exit 77; }
[ -x "$SCAN" ] || { echo "skip: $SCAN not built"; exit 77; }

T=$(mktemp -d /tmp/vigie-auth.XXXXXX) || exit 2
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
passed=0
failed=0

# ok / nok - count one check
ok() { passed=$((passed + 1)); }
nok() { failed=$((failed + 1)); echo "FAIL $*"; }

# free_port, dkim_txt, nsd_zone, nsd_start: the private nsd (shared with bench/dns.sh)
. "$HERE/nsd_lib.sh"

# keys: one per signing domain, and a stray one nobody publishes
for k in ameli tiers relaxed strict stray; do
	openssl genrsa -out "$T/$k.pem" 2048 2>/dev/null || exit 2
	openssl rsa -in "$T/$k.pem" -pubout -outform DER 2>/dev/null |
	    base64 -w0 >"$T/$k.pub" || exit 2
done

: >"$T/zones.conf"
nsd_zone ameli.fr "@ IN TXT \"v=spf1 include:_spf.ameli.fr include:_spf2.ameli.fr -all\"
_spf IN TXT \"v=spf1 ip4:192.0.2.0/28 -all\"
_spf2 IN TXT \"v=spf1 ip4:198.51.100.7 ~all\"
_dmarc IN TXT \"v=DMARC1; p=reject; sp=quarantine; rua=mailto:dmarc@ameli.fr; adkim=r; aspf=r\"
sel1._domainkey IN TXT $(dkim_txt ameli)"
nsd_zone mailer-tiers.fr "_dmarc IN TXT \"v=DMARC1; p=none\"
t1._domainkey IN TXT $(dkim_txt tiers)"
nsd_zone relaxed-sante.fr "_dmarc IN TXT \"v=DMARC1; p=reject; adkim=r\"
r1._domainkey IN TXT $(dkim_txt relaxed)"
nsd_zone strict-sante.fr "_dmarc IN TXT \"v=DMARC1; p=reject; adkim=s; aspf=s\"
s1._domainkey IN TXT $(dkim_txt strict)"
nsd_zone pct-sante.fr "_dmarc IN TXT \"v=DMARC1; p=reject; pct=50\""
# an include chain one past SPF's limit of 10 DNS-querying terms
chain="@ IN TXT \"v=spf1 include:l1.deep-sante.fr -all\""
for i in $(seq 1 11); do
	chain="$chain
l$i IN TXT \"v=spf1 include:l$((i + 1)).deep-sante.fr -all\""
done
nsd_zone deep-sante.fr "$chain
l12 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"
_dmarc IN TXT \"v=DMARC1; p=reject\""
nsd_zone nodmarc-sante.fr "www IN A 192.0.2.1"

nsd_start
PIDS="$PIDS $NSD_PID"
PORT=$NSD_PORT

# the shipped configuration, its rules by absolute path, our own id
sed "s|\"rules/|\"$ROOT/config/rules/|g" "$ROOT/config/vigie.conf" |
    grep -v '^trusted_authserv_ids\|^authserv_id\|^authentication\|^dns_budget_ms' \
    >"$T/vigie.conf"
cat >>"$T/vigie.conf" <<CONF
trusted_authserv_ids = [ "mx.vigie-test.example", "upstream.vigie-test.example" ];
authserv_id = "mx.vigie-test.example";
authentication = "both";
dns_budget_ms = 2000;
CONF

# message NAME FROM... - an ameli-style notice from the given From fields
message() {
	local name=$1 f
	shift
	{
		for f in "$@"; do echo "From: $f"; done
		cat <<MSG
To: Camille Martin <camille.martin@example.org>
Subject: Votre attestation de droits est disponible
Date: Fri, 04 Dec 2026 09:00:00 +0100
Message-ID: <$name@test.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Bonjour Camille,

Votre attestation de droits est disponible dans votre compte ameli.
Connectez-vous sur https://www.ameli.fr pour la consulter.

L'Assurance Maladie
MSG
	} >"$T/$name.eml"
}

# sign IN OUT KEY SELECTOR DOMAIN [CANON [l]]
sign() {
	"$PY" "$HERE/sign.py" "$T/$3.pem" "$4" "$5" "${6:-relaxed/relaxed}" \
	    ${7:-} <"$T/$1.eml" >"$T/$2.eml" || nok "signing $2"
}

# scan NAME [RESOLVER [OPTION...]] - vigie-scan --json of one message
# into $T/NAME.json ("" for the test zones' server)
scan() {
	local name=$1 resolver=${2:-}
	shift
	[ $# -gt 0 ] && shift
	VIGIE_DNS_RESOLVER=${resolver:-127.0.0.1@$PORT} "$SCAN" \
	    -c "$T/vigie.conf" --json "$@" "$T/$name.eml" >"$T/$name.json" \
	    2>"$T/$name.err"
}

# scan_as COPY NAME [OPTION...] - scan NAME with the test zones, result as COPY
scan_as() {
	local copy=$1 name=$2
	shift 2
	scan "$name" "" "$@"
	cp "$T/$name.json" "$T/$copy.json"
}

# expect NAME WHAT PATTERN - the JSON line of NAME matches (grep -E)
expect() {
	if grep -qE -- "$3" "$T/$1.json"; then ok; else
		nok "$1: $2: want /$3/, got $(cat "$T/$1.json" "$T/$1.err")"
	fi
}
# refuse NAME WHAT PATTERN - the JSON line of NAME does not match
refuse() {
	if grep -qE -- "$3" "$T/$1.json"; then
		nok "$1: $2: /$3/ must not appear: $(cat "$T/$1.json")"
	else ok; fi
}

A='"Assurance Maladie" <info@ameli.fr>'

# 1. aligned pass: the brand's own signature
message plain "$A"
sign plain aligned ameli sel1 ameli.fr
scan aligned
expect aligned "dkim pass" 'dkim=pass\(d=ameli\.fr\)'
expect aligned "dmarc pass with policy" 'dmarc=pass\(p=reject,from=ameli\.fr\)'
expect aligned "brand authenticated" '"BRAND_AUTHENTICATED"'
expect aligned "accepted" '"action":"accept"'

# 2. the same message under simple/simple canonicalisation
sign plain simple ameli sel1 ameli.fr simple/simple
scan simple
expect simple "simple canonicalisation passes" 'dkim=pass\(d=ameli\.fr\).*dmarc=pass'

# 3. relaxed alignment: d= the organisational domain of the From's
message relaxed_in '"Mutuelle" <news@news.relaxed-sante.fr>'
sign relaxed_in relaxed relaxed r1 relaxed-sante.fr
scan relaxed
expect relaxed "relaxed alignment passes" 'dkim=pass\(d=relaxed-sante\.fr\).*dmarc=pass\(p=reject,from=news\.relaxed-sante\.fr\)'

# 4. strict alignment (adkim=s): the same shape fails
message strict_in '"Mutuelle" <news@news.strict-sante.fr>'
sign strict_in strict strict s1 strict-sante.fr
scan strict
expect strict "strict alignment fails" 'dkim=pass\(d=strict-sante\.fr\).*dmarc=fail\(p=reject,from=news\.strict-sante\.fr\)'

# 5. subdomain policy: no record at mail.ameli.fr, sp=quarantine applies
message subdomain '"Assurance Maladie" <info@mail.ameli.fr>'
scan subdomain
expect subdomain "sp= applies" 'dmarc=fail\(p=quarantine,from=mail\.ameli\.fr\)'
refuse subdomain "not the exact domain: no enforced rule" 'BRAND_DMARC_ENFORCED'

# 6. pct=50: the next milder policy, every time
message pct '"Mutuelle" <info@pct-sante.fr>'
scan pct
expect pct "pct below 100" 'dmarc=fail\(p=quarantine,pct<100,from=pct-sante\.fr\)'

# 7. body modified after signing
sed 's/consulter/telecharger/' "$T/aligned.eml" >"$T/modified.eml"
scan modified
expect modified "dkim fails" 'dkim=fail\(d=ameli\.fr\)'
expect modified "dmarc fails" 'dmarc=fail\(p=reject,from=ameli\.fr\)'
expect modified "brand dmarc fail" '"BRAND_DMARC_FAIL"'
refuse modified "not authenticated" '"BRAND_AUTHENTICATED"'

# 8. l= and content appended after signing: the signed part still verifies
sign plain lsigned ameli sel1 ameli.fr relaxed/relaxed l
printf '\nPS: offre speciale, cliquez sur http://evil.example/\n' >>"$T/lsigned.eml"
scan lsigned
expect lsigned "l= covers the signed prefix" 'dkim=pass\(d=ameli\.fr\)'

# 9. two signatures, one failing (a third party key that does not match)
sign aligned two stray t1 mailer-tiers.fr
scan two
expect two "one fail one pass" 'dkim=(fail\(d=mailer-tiers\.fr\),pass\(d=ameli\.fr\)|pass\(d=ameli\.fr\),fail\(d=mailer-tiers\.fr\))'
expect two "dmarc still passes" 'dmarc=pass\(p=reject'

# 9b. a sender cannot push the brand's signature out, nor buy a temperror,
# with signatures of his own (dkim_max_signatures = 4)
cp "$T/aligned.eml" "$T/crowd0.eml"
cp "$T/plain.eml" "$T/forgedcrowd0.eml"
for i in 1 2 3 4 5; do
	sign crowd$((i - 1)) crowd$i tiers t1 mailer-tiers.fr
	sign forgedcrowd$((i - 1)) forgedcrowd$i tiers t1 mailer-tiers.fr
done
scan crowd5
expect crowd5 "aligned signature checked first" 'pass\(d=ameli\.fr\).*skipped=2 dmarc=pass\(p=reject'
scan forgedcrowd5
expect forgedcrowd5 "unaligned signatures skipped: still a fail" 'skipped=1 dmarc=fail\(p=reject,from=ameli\.fr\)'
expect forgedcrowd5 "and rejected" '"action":"reject"'

# 10. signed by a third party only
sign plain third tiers t1 mailer-tiers.fr
scan third
expect third "third party passes" 'dkim=pass\(d=mailer-tiers\.fr\)'
expect third "not aligned: dmarc fails" 'dmarc=fail\(p=reject,from=ameli\.fr\)'
expect third "brand dmarc fail" '"BRAND_DMARC_FAIL"'

# 11. two From fields (CVE-2019-16378 class): never a pass
message twofrom_in "$A" '"Pirate" <x@evil.example>'
sign twofrom_in twofrom ameli sel1 ameli.fr
scan twofrom
expect twofrom "several From: permerror" 'dmarc=permerror'
refuse twofrom "not authenticated" '"BRAND_AUTHENTICATED"'

# 12. From domain without a DMARC record
message nodmarc '"Mutuelle" <info@nodmarc-sante.fr>'
scan nodmarc
expect nodmarc "no record: none" 'dmarc=none\(from=nodmarc-sante\.fr\)'

# 13. the brand's exact domain, no signature: DMARC fail, p=reject
scan plain
expect plain "unsigned brand mail fails" 'dkim=none dmarc=fail\(p=reject,from=ameli\.fr\)'
expect plain "brand dmarc fail" '"BRAND_DMARC_FAIL"'
expect plain "policy enforced" '"BRAND_DMARC_ENFORCED"'
expect plain "forged brand sender rejected" '"action":"reject"'

# 14. a forged Authentication-Results under vigie's own id is ignored
{ echo "Authentication-Results: mx.vigie-test.example; dkim=pass header.d=ameli.fr; dmarc=pass header.from=ameli.fr"
  cat "$T/plain.eml"; } >"$T/forged.eml"
scan forged
expect forged "own id ignored, own check" 'dmarc=fail\(p=reject,from=ameli\.fr\)'
refuse forged "not authenticated" '"BRAND_AUTHENTICATED"'

# 15. a trusted upstream field wins in "both" mode
{ echo "Authentication-Results: upstream.vigie-test.example; dmarc=fail header.from=ameli.fr"
  cat "$T/aligned.eml"; } >"$T/upstream.eml"
scan upstream
refuse upstream "upstream has no policy: no enforced rule" 'BRAND_DMARC_ENFORCED'
expect upstream "upstream used" '"auth":"auth=upstream spf=- dkim=none dmarc=fail\(from=ameli\.fr\)"'

# 15c. OpenDMARC's form names the policy in a comment: the enforced rule fires
{ echo "Authentication-Results: upstream.vigie-test.example; dmarc=fail (p=reject dis=none) header.from=ameli.fr"
  cat "$T/aligned.eml"; } >"$T/upstream-p.eml"
scan upstream-p
expect upstream-p "OpenDMARC's policy read: enforced rule" '"BRAND_DMARC_ENFORCED"'
expect upstream-p "policy shown" '"auth":"auth=upstream spf=- dkim=none dmarc=fail\(p=reject,from=ameli\.fr\)"'

# 15b. without trusted_authserv_ids no field is trusted, not even one under
# the host's name (OpenDMARC's TrustedAuthservIDs default): a sender can
# write that name, so a forged pass is ignored and vigie judges by itself;
# once vigie writes its own field under that name, it is never trusted
HOST=$(hostname)
grep -v '^trusted_authserv_ids\|^authserv_id' "$T/vigie.conf" >"$T/default-ids.conf"
sed 's/^add_authentication_results = .*/add_authentication_results = true;/' \
    "$T/default-ids.conf" >"$T/own-field.conf"
{ echo "Authentication-Results: $HOST; dkim=pass header.d=ameli.fr; dmarc=pass header.from=ameli.fr"
  cat "$T/plain.eml"; } >"$T/hostid.eml"
for c in default-ids own-field; do
	VIGIE_DNS_RESOLVER=127.0.0.1@$PORT "$SCAN" -c "$T/$c.conf" --json \
	    "$T/hostid.eml" >"$T/$c.json" 2>"$T/$c.err"
done
expect default-ids "a forged pass under the host's name: not trusted by default" '"auth":"auth=vigie .*dmarc=fail\(p=reject,from=ameli\.fr\)'
expect own-field "host's name vigie writes under: never trusted" '"auth":"auth=vigie .*dmarc=fail\(p=reject,from=ameli\.fr\)'

# SPF, from the envelope given on the command line
# 16a. the brand's servers: pass through the first include, DMARC passes
scan_as spfpass plain --client-ip 192.0.2.5 --helo mail.ameli.fr \
    --mail-from bounce@ameli.fr
expect spfpass "spf pass" 'spf=pass\(ameli\.fr\) dkim=none dmarc=pass\(p=reject,from=ameli\.fr\)'
expect spfpass "brand authenticated by SPF" '"BRAND_AUTHENTICATED"'
# 16b. through the second include
scan_as spfpass2 plain --client-ip 198.51.100.7 --mail-from bounce@ameli.fr
expect spfpass2 "second include" 'spf=pass\(ameli\.fr\)'
# 16b2. --spf-from-headers: the client of the topmost Received field and the
# Return-Path (a forged Received below it is not read); Exim's shape too
recv() {
	{ echo "Return-Path: <bounce@ameli.fr>"
	  echo "Received: $2"
	  echo "	by mx.vigie-test.example (Postfix) with ESMTPS id 4Fq; Fri, 4 Dec 2026 09:00:01 +0100"
	  echo "Received: from mail.ameli.fr (mail.ameli.fr [192.0.2.5]) by forged.example"
	  cat "$T/plain.eml"; } >"$T/$1.eml"
}
recv hdrfail "from mx.evil.example (unknown [203.0.113.9])"
recv hdrpass "from mail.ameli.fr (mail.ameli.fr [192.0.2.5])"
recv hdrexim "from mail.ameli.fr ([198.51.100.7] helo=mail.ameli.fr)"
scan hdrfail "" --spf-from-headers
scan hdrpass "" --spf-from-headers
scan hdrexim "" --spf-from-headers
expect hdrfail "from headers: unauthorised client, spf fail" 'spf=fail\(ameli\.fr\) dkim=none dmarc=fail\(p=reject'
expect hdrfail "from headers: rejected" '"action":"reject"'
expect hdrpass "from headers: listed client, spf pass" 'spf=pass\(ameli\.fr\) dkim=none dmarc=pass'
expect hdrexim "from headers: Exim's field" 'spf=pass\(ameli\.fr\)'
scan_as hdrnone hdrpass
expect hdrnone "without the option: no SPF" 'spf=none\(not checked\)'
# 16c. an unauthorised IP: SPF fail, no DKIM, DMARC fail
scan_as spffail plain --client-ip 203.0.113.9 --helo mx.evil.example \
    --mail-from bounce@ameli.fr
expect spffail "spf fail" 'spf=fail\(ameli\.fr\) dkim=none dmarc=fail\(p=reject,from=ameli\.fr\)'
expect spffail "brand dmarc fail" '"BRAND_DMARC_FAIL"'
expect spffail "rejected" '"action":"reject"'
# 16c'. a loopback client (mail re-injected on 127.0.0.1): libspf2 would
# pass it for any domain; vigie does not check SPF, so no DMARC pass
for ip in 127.0.0.1 ::1; do
	scan_as "spfloop$ip" plain --client-ip "$ip" --mail-from bounce@ameli.fr
	expect "spfloop$ip" "loopback $ip: SPF not checked" 'spf=none\(not checked\) dkim=none dmarc=temperror'
	refuse "spfloop$ip" "loopback $ip: not authenticated" '"BRAND_AUTHENTICATED"'
done
# 16d. SPF passes for another domain: not aligned
scan_as spfother plain --client-ip 192.0.2.9 --mail-from bounce@deep-sante.fr
expect spfother "11 includes: permerror" 'spf=permerror\(deep-sante\.fr\)'
expect spfother "dmarc fails" 'dmarc=fail\(p=reject,from=ameli\.fr\)'
# 16e. null sender: HELO's SPF
scan_as spfhelo plain --client-ip 192.0.2.5 --helo ameli.fr --mail-from ''
expect spfhelo "helo identity" 'spf=pass\(ameli\.fr\)'
# 16f. signed and SPF failing: DKIM alone makes DMARC pass
scan_as spfdkim aligned --client-ip 203.0.113.9 --mail-from bounce@ameli.fr
expect spfdkim "dkim carries dmarc" 'spf=fail\(ameli\.fr\) dkim=pass\(d=ameli\.fr\) dmarc=pass'

# 16f'. concurrent sessions share the resolver and its cache: 4 threads,
# 24 signed and 24 forged messages, each judged on its own
mkdir -p "$T/many"
for i in $(seq 1 24); do
	cp "$T/aligned.eml" "$T/many/a$i.eml"
	cp "$T/plain.eml" "$T/many/p$i.eml"
done
VIGIE_DNS_RESOLVER=127.0.0.1@$PORT "$SCAN" -c "$T/vigie.conf" -j 4 --json \
    "$T/many" >"$T/many.json" 2>"$T/many.err"
n_pass=$(grep -c '/a[0-9]*\.eml".*dkim=pass(d=ameli\.fr) dmarc=pass' "$T/many.json")
n_fail=$(grep -c '/p[0-9]*\.eml".*"action":"reject".*dmarc=fail(p=reject' "$T/many.json")
if [ "$n_pass" -eq 24 ] && [ "$n_fail" -eq 24 ]; then ok; else
	nok "concurrent: $n_pass of 24 signed passed, $n_fail of 24 forged rejected"
fi

# 16g. the milter: client IP, HELO and MAIL FROM from the MTA
MILTER="$ROOT/${BUILD:-build}/vigie-milter"
if command -v miltertest >/dev/null && [ -x "$MILTER" ]; then
	sed -e 's/^user = .*/user = "";/' -e 's/^allow_root = .*/allow_root = true;/' \
	    -e 's/^add_authentication_results = .*/add_authentication_results = true;/' \
	    "$T/vigie.conf" >"$T/milter.conf"
	VIGIE_DNS_RESOLVER=127.0.0.1@$PORT "$MILTER" -f -c "$T/milter.conf" \
	    -p "unix:$T/milter.sock" </dev/null >"$T/milter.log" 2>&1 &
	MPID=$!
	PIDS="$PIDS $MPID"
	for _ in $(seq 100); do
		[ -S "$T/milter.sock" ] && break
		sleep 0.1
	done
	miltertest -D "sock=unix:$T/milter.sock" -D "dir=$ROOT/tests/miltertest" \
	    -s "$HERE/milter_auth.lua" >"$T/mt.out" 2>&1
	while read -r line; do
		case $line in
		"ok - "*) ok ;;
		"not ok - "*) nok "milter: ${line#not ok - }" ;;
		esac
	done <"$T/mt.out"
	grep -q '^ok - forged brand sender' "$T/mt.out" || nok "milter case did not run: $(cat "$T/mt.out")"
	kill "$MPID" 2>/dev/null
	wait "$MPID" 2>/dev/null
	# the log line: results and domains, no local part
	if grep -q 'queue_id=AUTH1 action=reject .* auth=vigie spf=fail(ameli\.fr) dkim=none dmarc=fail(p=reject,from=ameli\.fr) sender_domain=ameli\.fr$' "$T/milter.log"
	then ok; else nok "milter log line: $(grep AUTH1 "$T/milter.log")"; fi
	refuse_in() { if grep -q "$1" "$T/milter.log"; then nok "milter log shows $1"; else ok; fi; }
	refuse_in 'bounce@'
	refuse_in 'info@'
else
	echo "skip: milter case (miltertest or $MILTER missing)"
fi

# 16. a server answering SERVFAIL: temperror, never fail
# stub MODE - start dns_stub.py, its port in STUBPORT
stub() {
	"$PY" "$HERE/dns_stub.py" "$1" >"$T/$1.port" &
	PIDS="$PIDS $!"
	for _ in $(seq 50); do
		[ -s "$T/$1.port" ] && break
		sleep 0.1
	done
	STUBPORT=$(cat "$T/$1.port")
}
stub servfail
SFPORT=$STUBPORT
scan aligned "127.0.0.1@$SFPORT"
cp "$T/aligned.json" "$T/servfail.json"
expect servfail "dkim temperror" 'dkim=temperror\(d=ameli\.fr\)'
expect servfail "dmarc temperror" 'dmarc=temperror'
refuse servfail "no brand fail" 'BRAND_DMARC_FAIL'
refuse servfail "no enforced rule" 'BRAND_DMARC_ENFORCED'
scan plain "127.0.0.1@$SFPORT"
cp "$T/plain.json" "$T/servfail2.json"
expect servfail2 "unsigned: temperror" 'dmarc=temperror'
refuse servfail2 "no brand fail" 'BRAND_DMARC_FAIL'
scan plain "127.0.0.1@$SFPORT" --client-ip 203.0.113.9 --mail-from bounce@ameli.fr
cp "$T/plain.json" "$T/servfail3.json"
expect servfail3 "spf temperror" 'spf=temperror\(ameli\.fr\).*dmarc=temperror'

# 17. a server that never answers: temperror within the budget
stub silent
sed -i 's/^dns_budget_ms = 2000;/dns_budget_ms = 500;/' "$T/vigie.conf"
# elapsed_ms NAME RESOLVER - wall time of one scan
elapsed_ms() {
	local start
	start=$(date +%s%N)
	scan "$1" "$2"
	echo $((($(date +%s%N) - start) / 1000000))
}
base=$(elapsed_ms aligned none)
ms=$(elapsed_ms aligned "127.0.0.1@$STUBPORT")
cp "$T/aligned.json" "$T/silent.json"
expect silent "dkim temperror" 'dkim=temperror\(d=ameli\.fr\)'
expect silent "dmarc temperror" 'dmarc=temperror'
refuse silent "no brand fail" 'BRAND_DMARC_FAIL'
# the budget is for the whole message, whatever the number of look-ups
if [ $((ms - base)) -lt 800 ]; then ok; else
	nok "silent server: $ms ms against $base ms without DNS, budget 500 ms"
fi
echo "silent server: $ms ms per message, $base ms with no DNS at all (budget 500 ms)"

# 18. "none": no DNS at all, nothing but temperror
scan plain none
cp "$T/plain.json" "$T/nodns.json"
expect nodns "no resolver: temperror" 'dmarc=temperror'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

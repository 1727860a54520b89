#!/bin/bash
# test_bugclasses.sh - the bug classes of other milters, through a real Postfix.
#
# SYNOPSIS
#	bash tests/security/test_bugclasses.sh	(as root; sh re-execs bash)
#
# DESCRIPTION
#	Regression tests for the classes of bugs published against other
#	milters (OpenDMARC's SECURITY/ advisories: several From fields,
#	forged Authentication-Results; header injection; unsanitised echo
#	of message data), run against vigie-milter with the shipped
#	config/vigie.conf and rules behind a private Postfix (tests/e2e/lib.sh),
#	adapted for testing: allow_root, socket given with -p,
#	trusted_authserv_ids = [ "mx.trusted.example" ].
#
#	(a) several From fields, and one From with several addresses: flagged
#	    (FROM_MULTIPLE_FIELDS / FROM_MULTIPLE_ADDRS) and every address is
#	    judged: a genuine-looking first From does not hide a look-alike
#	    second one (FROM_LOOKALIKE).
#	(b) Authentication-Results: an untrusted authserv-id claiming
#	    dmarc=pass for ameli.fr earns no BRAND_AUTHENTICATED, the trusted
#	    one does; a trusted field below an untrusted one is the one read;
#	    of two trusted fields the topmost wins; ids that merely contain
#	    the trusted one are not it; a pass for another header.from is not
#	    a pass for this From.
#	(c) forged X-Vigie-* fields, every case variant, folded, empty,
#	    repeated, and after many distinct X-Vigie-* names: all removed.
#	(d) CR, LF and NUL smuggled in RFC 2047 encoded display names and
#	    subjects: HEADER_CONTROL_CHARS, no header injected in what Postfix
#	    delivers (the prefixed Subject stays one field), nothing of it in
#	    the log line.
#	(e) message data vigie echoes (the log's sender_domain; the Subject
#	    it rewrites): '%' format characters, spaces and key=value text,
#	    very long values: the daemon survives and the log line stays one
#	    line of key=value fields.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../e2e/lib.sh"

TRUSTED=mx.trusted.example
e2e_init
CONF=$T/vigie.conf
sed -e 's/^allow_root = .*/allow_root = true;/' \
	-e 's/^user = .*/user = "";/' \
	-e 's/^socket_mode = .*/socket_mode = "0666";/' \
	-e "s/^trusted_authserv_ids = .*/trusted_authserv_ids = [ \"$TRUSTED\" ];/" \
	-e "s|^rules = .*|rules = [ \"$VIGIE_ROOT/config/rules/fr-health.rules\" ];|" \
	"$VIGIE_ROOT/config/vigie.conf" >"$CONF"
pf_setup
pf_start
milter_start "$CONF"

BODY_LURE="Vous avez recu un nouveau message de l'Assurance Maladie. Renouvelez votre carte vitale."

# mkmsg - FILE BOX HEADER-LINES BODY: HEADER-LINES (printf %b) come first,
# then To, Date, Message-ID and a text/plain body; no From is added
mkmsg() {
	{
		printf '%b' "$3"
		printf 'To: %s@%s\n' "$2" "$PF_DOMAIN"
		printf 'Date: %s\n' "$(date -R)"
		printf 'Message-ID: <%s.bc@client.vigie-test.example>\n' "$2"
		printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n%s\n' "$4"
	} >"$1"
}

# send - BOX FILE [swaks args]: sets REPLY, QID (from Postfix's log, so
# rejected messages have one too) and LOG (the milter's line for it)
send() {
	local box=$1 f=$2
	shift 2
	swaks_send "$T/$box.swaks" --from sender@example.org --to "$box@$PF_DOMAIN" --data "$f" "$@"
	REPLY=$(swaks_final_reply "$T/$box.swaks")
	wait_for 5 grep -q "message-id=<$box.bc@" "$T/postfix.log"
	QID=$(sed -n "s/.* \([0-9A-F]\{6,\}\): message-id=<$box\.bc@.*/\1/p" "$T/postfix.log" | tail -n 1)
	wait_for 5 grep -q "queue_id=$QID " "$T/milter.log"
	LOG=$(milter_log_for "$QID")
}

# rules_of - the rules= field of LOG, with commas around it
rules_of() {
	printf ',%s,' "$(printf '%s\n' "$LOG" | sed -n 's/.* rules=\([^ ]*\) .*/\1/p')"
}
has_rule() {
	case $(rules_of) in *",$1,"*) return 0 ;; esac
	return 1
}
check_rule() {	# DESCRIPTION RULE yes|no
	check_eq "$1" "$(has_rule "$2" && echo yes || echo no) ($(rules_of))" "$3 ($(rules_of))"
}

# delivered - the file of the single message delivered to BOX, or ""
delivered() {
	wait_delivered "$1" 10 || echo ""
}

echo "# (a) several From fields, several From addresses"
GENUINE="Assurance Maladie <assurance-maladie@info.ameli.fr>"
LOOK="Assurance Maladie <assurance-maladie@ameli-remboursement.com>"
mkmsg "$T/a1.eml" a1 "From: $GENUINE\nFrom: $LOOK\nSubject: Information de paiement\n" "$BODY_LURE"
send a1 "$T/a1.eml"
check_rule "two From fields: FROM_MULTIPLE_FIELDS" FROM_MULTIPLE_FIELDS yes
check_rule "two From fields: the second (look-alike) is judged too" FROM_LOOKALIKE yes
mkmsg "$T/a2.eml" a2 "From: $GENUINE, $LOOK\nSubject: Information de paiement\n" "$BODY_LURE"
send a2 "$T/a2.eml"
check_rule "one From, two addresses: FROM_MULTIPLE_ADDRS" FROM_MULTIPLE_ADDRS yes
check_rule "one From, two addresses: the second is judged too" FROM_LOOKALIKE yes
mkmsg "$T/a3.eml" a3 "From: $GENUINE\nSubject: Information de paiement\nFROM: $LOOK\n" "$BODY_LURE"
send a3 "$T/a3.eml"
check_rule "From fields apart, other case: FROM_MULTIPLE_FIELDS" FROM_MULTIPLE_FIELDS yes
check_rule "From fields apart, other case: the second is judged too" FROM_LOOKALIKE yes
mkmsg "$T/a4.eml" a4 "From: $GENUINE\nSubject: Information de paiement\nAuthentication-Results: $TRUSTED; dmarc=pass header.from=info.ameli.fr\nFrom: Bob <bob@evil.example>\n" "$BODY_LURE"
send a4 "$T/a4.eml"
check_rule "two From, trusted dmarc=pass for the first: no BRAND_AUTHENTICATED" BRAND_AUTHENTICATED no
check_rule "two From, one foreign: the brand claim is seen (CLAIM_FROM_NAME)" CLAIM_FROM_NAME yes
mkmsg "$T/a5.eml" a5 "From: $GENUINE\nSubject: Information de paiement\n" "$BODY_LURE"
send a5 "$T/a5.eml"
check_rule "control: one genuine From is not FROM_MULTIPLE_*" FROM_MULTIPLE_FIELDS no

echo "# (b) forged Authentication-Results"
AR="Authentication-Results:"
ar_case() {	# BOX DESCRIPTION WANT(yes|no) AR-LINES...
	local box=$1 what=$2 want=$3 h="From: $GENUINE\nSubject: Information de paiement\n" l
	shift 3
	for l in "$@"; do h="$h$l\n"; done
	mkmsg "$T/$box.eml" "$box" "$h" "$BODY_LURE"
	send "$box" "$T/$box.eml"
	check_rule "$what" BRAND_AUTHENTICATED "$want"
}
ar_case b1 "untrusted id, dmarc=pass: no BRAND_AUTHENTICATED" no \
	"$AR evil.example; dmarc=pass header.from=info.ameli.fr"
ar_case b2 "trusted id, dmarc=pass: BRAND_AUTHENTICATED" yes \
	"$AR $TRUSTED; dmarc=pass header.from=info.ameli.fr"
ar_case b3 "trusted pass BELOW an untrusted fail: the trusted one counts" yes \
	"$AR evil.example; dmarc=fail header.from=info.ameli.fr" \
	"$AR $TRUSTED; dmarc=pass header.from=info.ameli.fr"
ar_case b4 "trusted fail below an untrusted pass: no BRAND_AUTHENTICATED" no \
	"$AR evil.example; dmarc=pass header.from=info.ameli.fr" \
	"$AR $TRUSTED; dmarc=fail header.from=info.ameli.fr"
ar_case b5 "two trusted, topmost fail: no BRAND_AUTHENTICATED" no \
	"$AR $TRUSTED; dmarc=fail header.from=info.ameli.fr" \
	"$AR $TRUSTED; dmarc=pass header.from=info.ameli.fr"
check_rule "two trusted, topmost fail: BRAND_DMARC_FAIL" BRAND_DMARC_FAIL yes
ar_case b6 "two trusted, topmost pass: BRAND_AUTHENTICATED" yes \
	"$AR $TRUSTED; dmarc=pass header.from=info.ameli.fr" \
	"$AR $TRUSTED; dmarc=fail header.from=info.ameli.fr"
ar_case b7 "id that ends with the trusted one is not it" no \
	"$AR evil.$TRUSTED; dmarc=pass header.from=info.ameli.fr"
ar_case b8 "id that starts with the trusted one is not it" no \
	"$AR $TRUSTED.evil.example; dmarc=pass header.from=info.ameli.fr"
ar_case b9 "trusted id only inside a comment is not it" no \
	"$AR evil.example; dmarc=pass ($TRUSTED; dmarc=pass) header.from=info.ameli.fr"
ar_case b10 "trusted id, dmarc=pass only inside a comment after a fail" no \
	"$AR $TRUSTED; dmarc=fail (dmarc=pass) header.from=info.ameli.fr"
ar_case b11 "trusted id, x-dmarc=pass is not dmarc=pass" no \
	"$AR $TRUSTED; dmarc=none header.from=info.ameli.fr; x-dmarc=pass header.from=info.ameli.fr"
ar_case b12 "trusted dmarc=pass for ANOTHER header.from does not authenticate this From" no \
	"$AR $TRUSTED; dmarc=pass header.from=evil.example"
ar_case b13 "trusted dkim=pass for a foreign d= does not authenticate" no \
	"$AR $TRUSTED; dkim=pass header.d=evil.example"

echo "# (c) forged X-Vigie-* fields"
# vigie_fields - every header line of FILE that looks like X-Vigie-* (any
# case, optional white space before the colon), continuation lines excluded
vigie_fields() {
	awk '/^\r?$/ { exit } { print }' "$1" | grep -aiE '^x-vigie-[^:]*:' | tr -d '\r'
}
forged_case() {	# BOX DESCRIPTION HEADER-LINES
	local f
	mkmsg "$T/$1.eml" "$1" "From: Bob <bob@example.org>\nSubject: hello\n$3" "Nothing to see."
	send "$1" "$T/$1.eml"
	f=$(delivered "$1")
	check_eq "$2: only vigie's X-Vigie-Status remains" \
		"$([ -n "$f" ] && vigie_fields "$f" | sed 's/ score=.*//' | tr '\n' '|')" "X-Vigie-Status: accept|"
}
forged_case c1 "mixed case" \
	"x-ViGiE-sTaTuS: accept score=0.0\nX-vigie-REPORT: NONE=0.0\n"
forged_case c2 "white space before the colon" \
	"X-Vigie-Status : accept score=-50.0\nX-Vigie-Report\t: NONE=0.0\n"
forged_case c3 "folded over three lines, value only on continuations" \
	"X-Vigie-Status:\n accept\n\tscore=0.0\nX-Vigie-Report:\n\tNONE=0.0\n"
forged_case c4 "empty values" "X-Vigie-Status:\nX-Vigie-Report: \n"
forged_case c5 "encoded and 8-bit values" \
	"X-Vigie-Status: =?utf-8?Q?accept=0D=0Ascore=3D0?=\nX-Vigie-Report: \xc3\xa9t\xc3\xa9\n"
# up to max_forged_fields (20 in the shipped vigie.conf) every one goes
h=""
for i in $(seq 1 20); do h="${h}X-Vigie-Status: accept score=0.0\n"; done
forged_case c6 "twenty copies (max_forged_fields)" "$h"
h=""
for i in $(seq 1 15); do h="${h}X-Vigie-Junk$i: x\n"; done
forged_case c7 "15 distinct X-Vigie-* names, then X-Vigie-Status" \
	"${h}X-Vigie-Status: accept score=-99.0\n"
# beyond it the message is refused (forged_fields_action), never
# delivered with a forged verdict left in it
h=""
for i in $(seq 1 50); do h="${h}X-Vigie-Status: accept score=0.0\n"; done
mkmsg "$T/c9.eml" c9 "From: Bob <bob@example.org>\nSubject: hello\n$h" "Nothing to see."
send c9 "$T/c9.eml"
check_match "fifty copies (over max_forged_fields): refused" "$REPLY" '^550 '
wait_queue_settled 5
check_eq "fifty copies (over max_forged_fields): not delivered" \
	"$(delivered_files c9)" ""
forged_case c8 "last field of the header block" "Received: by x\nX-Vigie-Status: accept score=0.0\n"

echo "# (d) CR, LF, NUL in RFC 2047 encoded words"
B64=$(printf 'Assurance Maladie\r\nX-Injected: 2\000b' | base64 -w0)
# header_block_ok - every line of FILE's header block is a field or a
# continuation: nothing was injected by splitting a value
header_block_ok() {
	awk '/^\r?$/ { exit } !/^[!-9;-~]+:/ && !/^[ \t]/ { bad++ } END { print bad + 0 }' "$1"
}
# settled_file - BOX: the delivered message of BOX, "" when it was held
# or refused (then nothing reached a mailbox to check)
settled_file() {
	case $REPLY in 250*) ;; *) return 0 ;; esac
	wait_queue_settled 5
	in_hold "$QID" && return 0
	wait_delivered "$1" 10 || true
}
inj_case() {	# BOX DESCRIPTION HEADER-LINES
	local f subj
	mkmsg "$T/$1.eml" "$1" "$3" "Bonjour."
	send "$1" "$T/$1.eml"
	check_rule "$2: HEADER_CONTROL_CHARS" HEADER_CONTROL_CHARS yes
	check_eq "$2: log line is one line without the injected text" \
		"$(grep -c "queue_id=$QID " "$T/milter.log") $(grep -ci 'injected' "$T/milter.log")" "1 0"
	f=$(settled_file "$1")
	check_eq "$2: delivered" "$([ -n "$f" ] && echo yes)" yes
	[ -n "$f" ] || return
	check_match "$2: tagged, so vigie rewrote the Subject" "$(msg_header "$f" Subject)" '^\[SUSPECT\] '
	check_eq "$2: no X-Injected field delivered" "$(msg_header_count "$f" X-Injected)" 0
	check_eq "$2: one Subject field delivered" "$(msg_header_count "$f" Subject)" 1
	check_eq "$2: header block is fields and continuations only" "$(header_block_ok "$f")" 0
	subj=$(awk '/^\r?$/ { exit } { print }' "$f" | grep -ai -A3 '^Subject:' |
		awk 'NR == 1 || /^[ \t]/ { print; next } { exit }')
	check_eq "$2: delivered Subject has no bare CR or control byte" \
		"$(printf '%s' "$subj" | tr -d '\n' | LC_ALL=C grep -c $'[\r\001-\010]')" 0
}
inj_case d1 "Q-encoded CR LF in display name and Subject" \
	"From: =?utf-8?Q?Assurance_Maladie=0D=0AX-Injected:_1?= <a@evil.example>\nSubject: =?utf-8?Q?a=0D=0AX-Injected:_1?=\n"
inj_case d2 "B-encoded CR LF NUL in display name and Subject" \
	"From: =?utf-8?B?$B64?= <a@evil.example>\nSubject: =?utf-8?B?$B64?=\n"
inj_case d3 "encoded NUL, LF, CR only in the Subject" \
	"From: Assurance Maladie <a@evil.example>\nSubject: =?utf-8?Q?x=00y=0Az=0DX-Injected:_3?=\n"

echo "# (e) message data vigie echoes"
# log_fields - the key= names of the last log line with a sender_domain
log_fields() {
	grep -a 'sender_domain=' "$T/milter.log" | tail -n 1 | grep -o ' [a-z_]*=' | tr -d ' ' | tr '\n' ' '
}
FIELDS="queue_id= action= score= rules= anomalies= auth= spf= dkim= dmarc= sender_domain= "
# Postfix refuses '%' and spaces in a MAIL FROM domain (501 5.1.7), so
# they come through the From field, whose domain is logged for the null
# sender; '%' in a Subject vigie rewrites.
mkmsg "$T/e1.eml" e1 "From: Assurance Maladie <bob@%s%n%x.example>\nSubject: %n%n%s%s%x%p %99999999d\n" "$BODY_LURE"
swaks_send "$T/e1.swaks" --from '<>' --to "e1@$PF_DOMAIN" --data "$T/e1.eml"
check_match "From bob@%s%n%x.example, null sender: accepted" "$(swaks_final_reply "$T/e1.swaks")" '^250 '
check_eq "after '%' From and Subject: milter alive" "$(milter_alive && echo yes)" yes
wait_for 5 grep -q 'sender_domain=%' "$T/milter.log"
L=$(grep -a 'sender_domain=' "$T/milter.log" | tail -n 1)
check_match "'%' From domain logged literally, not interpreted" "$L" 'sender_domain=%s%n%x\.example$'
f=$(wait_delivered e1 10) || f=""
check_eq "'%' Subject: prefixed, otherwise unchanged" "$([ -n "$f" ] && msg_header "$f" Subject)" "[SUSPECT] %n%n%s%s%x%p %99999999d"

for v in '[1.2.3.4 action=reject rules=FORGED]' '"evil.example action=reject rules=FORGED"' \
	'evil.example (action=reject rules=FORGED)'; do
	n=$((${n:-1} + 1))
	mkmsg "$T/e$n.eml" "e$n" "From: Bob <bob@$v>\nSubject: hello\n" "Nothing."
	swaks_send "$T/e$n.swaks" --from '<>' --to "e$n@$PF_DOMAIN" --data "$T/e$n.eml"
	wait_for 5 grep -q "e$n.bc@" "$T/postfix.log"
	sleep 0.3
	check_eq "From domain $v: no field injected in the log line" "$(log_fields)" "$FIELDS"
done

# very long values: a 250-character sender domain, a 20 KiB Subject
LONGDOM=$(printf 'a%.0s' $(seq 1 60)).$(printf 'b%.0s' $(seq 1 60)).$(printf 'c%.0s' $(seq 1 60)).$(printf 'd%.0s' $(seq 1 60)).example
LONGSUBJ=$(head -c 20480 /dev/zero | tr '\0' 'x' | fold -w 900 | sed '1!s/^/ /')
mkmsg "$T/e9.eml" e9 "From: Assurance Maladie <bob@evil.example>\nSubject: $LONGSUBJ\n" "Bonjour."
swaks_send "$T/e9.swaks" --from "x@$LONGDOM" --to "e9@$PF_DOMAIN" --data "$T/e9.eml"
check_match "long sender domain, 20 KiB Subject: accepted" "$(swaks_final_reply "$T/e9.swaks")" '^250 '
check_eq "after long values: milter alive" "$(milter_alive && echo yes)" yes
f=$(wait_delivered e9 10) || f=""
check_match "20 KiB Subject: delivered and tagged" "$([ -n "$f" ] && msg_header "$f" X-Vigie-Status)" '^tag '
check_eq "20 KiB Subject: one Subject field" "$([ -n "$f" ] && msg_header_count "$f" Subject)" 1
check_eq "20 KiB Subject: header block is fields and continuations only" "$([ -n "$f" ] && header_block_ok "$f")" 0
check_match "20 KiB Subject: prefixed, folding kept" "$([ -n "$f" ] && msg_header "$f" Subject | cut -c1-20)" '^\[SUSPECT\] xxxx'
check_match "long sender domain logged (redacted or whole), one line" \
	"$(grep -a "sender_domain=a" "$T/milter.log" | tail -n 1)" 'sender_domain=a{60}\.b{60}\.c{60}\.d{60}\.example$'

check_eq "no log line longer than 2 KiB" "$(awk 'length > 2048' "$T/milter.log" | wc -l)" 0
check_eq "no control characters in the milter log" "$(LC_ALL=C grep -c $'[\001-\010\013-\037\177]' "$T/milter.log")" 0

milter_stop
check_eq "milter exits 0 on SIGTERM after all this" "$?" 0
finish

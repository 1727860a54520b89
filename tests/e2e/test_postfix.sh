#!/bin/bash
# test_postfix.sh - vigie-milter behind a real (private) Postfix, end to end.
#
# SYNOPSIS
#	bash tests/e2e/test_postfix.sh		(as root; sh re-execs bash)
#
# DESCRIPTION
#	Starts a private Postfix instance on a free 127.0.0.1 port and
#	build/vigie-milter with tests/e2e/vigie-test.conf (rules e2e.rules:
#	the subject word vigie-e2e-tag scores 5, vigie-e2e-quarantine 9, the
#	body word vigie-e2e-reject 20; thresholds 4/8/15), sends mail with
#	swaks and checks what Postfix did with it: delivered with which
#	X-Vigie-* headers and Subject, held, refused with which reply, and
#	what Postfix does when the milter is down. See lib.sh for the
#	instance. Prints "ok - ..." / "not ok - ... (got X, want Y)" per
#	check and "N passed, M failed" last; exits 1 when a check failed,
#	2 when the harness itself could not start.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

e2e_init
pf_setup
pf_start
# the instance runs the README's recipe (packaging/postfix/main.cf.snippet)
while IFS=' =' read -r key _; do
	check_eq "recipe: $key as in main.cf.snippet" \
		"$(postconf -c "$PF_CFG" -h "$key")" \
		"$(sed -n "s|^$key = ||p" "$VIGIE_ROOT/packaging/postfix/main.cf.snippet" |
		    sed "s|unix:vigie/vigie.sock|unix:$MILTER_SOCK|")"
done < <(grep '^[a-z]' "$VIGIE_ROOT/packaging/postfix/main.cf.snippet")
CONF=$E2E_DIR/vigie-test.conf
MONITOR_CONF=$E2E_DIR/vigie-monitor.conf
milter_start "$CONF"

# delivered_one - the single message delivered to BOX, or "" (with a
# failed check) when there is none
delivered_one() {
	local f
	if f=$(wait_delivered "$1" 10); then
		echo "$f"
	else
		echo ""
	fi
}

# status_of / report_of / subject_of - header values ("" when absent)
status_of() { [ -n "$1" ] && msg_header "$1" X-Vigie-Status | tr '\n' '|' | sed 's/|$//'; }
report_of() { [ -n "$1" ] && msg_header "$1" X-Vigie-Report | tr '\n' '|' | sed 's/|$//'; }
subject_of() { [ -n "$1" ] && msg_header "$1" Subject; }

echo "# clean message"
mkmsg "$T/clean.eml" clean "Lunch on Friday" "Shall we meet at noon? Nothing to see here."
send "$T/clean.eml"
check_match "clean: Postfix accepts it (250 queued)" "$REPLY" '^250 .*queued as'
F=$(delivered_one clean)
check_eq "clean: delivered" "$([ -n "$F" ] && echo yes)" yes
check_match "clean: X-Vigie-Status: accept" "$(status_of "$F")" '^accept score=[0-9]+\.[0-9]$'
check_eq "clean: no X-Vigie-Report" "$(report_of "$F")" ""
check_eq "clean: Subject unchanged" "$(subject_of "$F")" "Lunch on Friday"
check_eq "clean: no X-Spam-Flag" "$([ -n "$F" ] && msg_header_count "$F" X-Spam-Flag)" 0
check_eq "clean: the Sieve example keeps it in INBOX" "$(sieve_folder "$F")" INBOX
check_match "clean: milter logs one line with Postfix's queue id" \
	"$(milter_log_for "$QID")" "action=accept"

echo "# tagged message"
mkmsg "$T/tag.eml" tag "vigie-e2e-tag check" "Body of a message to be tagged."
send "$T/tag.eml"
TAG_QID=$QID
F=$(delivered_one tag)
check_eq "tag: delivered" "$([ -n "$F" ] && echo yes)" yes
check_match "tag: X-Vigie-Status: tag score=5.0" "$(status_of "$F")" '^tag score=5\.0$'
check_match "tag: X-Vigie-Report names E2E_TAG=5.0" "$(report_of "$F")" '^E2E_TAG=5\.0$'
check_eq "tag: Subject prefixed once" "$(subject_of "$F")" "[SUSPECT] vigie-e2e-tag check"
check_eq "tag: X-Spam-Flag: YES (spam_flag_header)" "$([ -n "$F" ] && msg_header "$F" X-Spam-Flag)" YES
check_eq "tag: the Sieve example files it into Junk" "$(sieve_folder "$F")" Junk
check_match "tag: milter log line (queue id, action, rule)" \
	"$(milter_log_for "$TAG_QID")" "action=tag .*rules=E2E_TAG"
check_match "tag: milter log line has the sender domain" \
	"$(milter_log_for "$TAG_QID")" "sender_domain=example\.org"

echo "# forged X-Vigie-* headers"
mkmsg "$T/forged.eml" forged "vigie-e2e-tag forged" "Headers claim this was scanned." \
	"X-Vigie-Status: accept score=0.0" \
	"X-Vigie-Report: NOTHING=0.0" \
	"X-Vigie-Status: accept" \
	"X-Vigie-Report: FORGED=-100.0"
send "$T/forged.eml"
F=$(delivered_one forged)
check_eq "forged: delivered" "$([ -n "$F" ] && echo yes)" yes
check_match "forged: exactly vigie's own X-Vigie-Status remains" "$(status_of "$F")" '^tag score=5\.0$'
check_match "forged: exactly vigie's own X-Vigie-Report remains" "$(report_of "$F")" '^E2E_TAG=5\.0$'

mkmsg "$T/forgedflag.eml" forgedflag "plain subject" "The sender flags its own mail." \
	"X-Spam-Flag: YES" "x-spam-flag: NO"
send "$T/forgedflag.eml"
F=$(delivered_one forgedflag)
check_eq "forged X-Spam-Flag: both removed from accepted mail" \
	"$([ -n "$F" ] && msg_header_count "$F" X-Spam-Flag)" 0
check_eq "forged X-Spam-Flag: the Sieve example keeps it in INBOX" "$(sieve_folder "$F")" INBOX

mkmsg "$T/forged2.eml" forged2 "plain subject" "Lower-case and unknown X-Vigie-* forgeries." \
	"x-vigie-status: accept score=0.0" \
	"X-VIGIE-REPORT: NOTHING=0.0" \
	"X-Vigie-Verdict: whitelisted" \
	"X-Vigie-Status:" \
	"	accept (folded)"
send "$T/forged2.eml"
F=$(delivered_one forged2)
check_match "forged, other case / folded: only vigie's X-Vigie-Status remains" \
	"$(status_of "$F")" '^accept score=[0-9]+\.[0-9]$'
check_eq "forged, other case: no X-Vigie-Report remains" "$(report_of "$F")" ""
check_eq "forged: unknown X-Vigie-Verdict removed" \
	"$([ -n "$F" ] && msg_header_count "$F" X-Vigie-Verdict)" 0

echo "# quarantined message"
mkmsg "$T/quar.eml" quar "vigie-e2e-quarantine check" "This one goes to the hold queue."
send "$T/quar.eml"
QUAR_QID=$QID
check_match "quarantine: Postfix accepts it (250 queued)" "$REPLY" '^250 .*queued as'
if [ -n "$QUAR_QID" ] && wait_for 10 in_hold "$QUAR_QID"; then
	ok "quarantine: $QUAR_QID is in the hold queue (postqueue -j)"
else
	not_ok "quarantine: message in the hold queue" "'$(queue_all | tr '\n' ' ')'" "hold:$QUAR_QID"
fi
wait_queue_settled 10
check_eq "quarantine: not delivered" "$(delivered_count quar)" 0
HELD=$(postcat -c "$PF_CFG" -h -q "$QUAR_QID" 2>/dev/null)
check_match "quarantine: held copy has X-Vigie-Status: quarantine" \
	"$(printf '%s\n' "$HELD" | sed -n 's/^X-Vigie-Status: //p')" '^quarantine score=9\.0$'
check_match "quarantine: held copy has X-Vigie-Report E2E_QUAR" \
	"$(printf '%s\n' "$HELD" | sed -n 's/^X-Vigie-Report: //p')" 'E2E_QUAR=9\.0'
check_match "quarantine: Postfix logged milter-hold" \
	"$(grep "$QUAR_QID: milter-hold" "$T/postfix.log")" "milter-hold"

echo "# rejected message"
mkmsg "$T/reject.eml" reject "Invoice" "Please vigie-e2e-reject this message."
send "$T/reject.eml"
check_match "reject: 550 5.7.1 at end of DATA" "$REPLY" '^550 5\.7\.1 '
check_match "reject: reply text is reject_text" "$REPLY" 'vigie e2e: rejected'
check_match "reject: refused after the data was sent" \
	"$(grep -B3 '^ *<\*\* *550' "$OUT" | tr '\n' ' ')" '-> \.'
wait_queue_settled 5
check_eq "reject: not delivered" "$(delivered_count reject)" 0
check_eq "reject: nothing queued" "$(queue_all | tr '\n' ' ')" "hold:$QUAR_QID "

echo "# 90 KiB header through Postfix"
LONG=$(head -c 92160 /dev/zero | tr '\0' 'a' | fold -w 100 | sed '1!s/^/ /')
mkmsg "$T/longhdr.eml" longhdr "vigie-e2e-tag long header" "A message with a 90 KiB header field." \
	"X-Long: $LONG"
send "$T/longhdr.eml"
F=$(delivered_one longhdr)
check_match "90 KiB header: still scanned (X-Vigie-Status: tag)" "$(status_of "$F")" '^tag score=5\.0$'

echo "# several messages on one SMTP connection"
mkmsg "$T/multi1.eml" multi1 "vigie-e2e-tag first" "First message: tagged."
mkmsg "$T/multi2.eml" multi2 "second" "Second message: clean."
mkmsg "$T/multi3.eml" multi3 "third" "Third message: vigie-e2e-reject."
mkmsg "$T/multi4.eml" multi4 "vigie-e2e-quarantine fourth" "Fourth message: held."
mkmsg "$T/multi5.eml" multi5 "fifth" "Fifth message: clean again."
PY=$(command -v python3)
MULTI=$("$PY" "$E2E_DIR/smtp_multi.py" "$PF_PORT" "$T"/multi[1-5].eml 2>&1)
echo "$MULTI" | sed "s|$T/||; s/^/#   /"
reply_for() { echo "$MULTI" | sed -n "s|^$T/$1.eml ||p"; }
check_match "one connection: 1st (tag) accepted" "$(reply_for multi1)" '^250 '
check_match "one connection: 3rd (reject) refused with 550 5.7.1" "$(reply_for multi3)" '^550 5\.7\.1 '
check_match "one connection: 5th (clean) accepted after a refusal" "$(reply_for multi5)" '^250 '
F=$(delivered_one multi1)
check_match "one connection: 1st gets tag" "$(status_of "$F")" '^tag score=5\.0$'
F=$(delivered_one multi2)
check_match "one connection: 2nd gets accept (no leftover from the 1st)" "$(status_of "$F")" '^accept '
check_eq "one connection: 2nd Subject not prefixed" "$(subject_of "$F")" "second"
M4=$(reply_for multi4 | sed -n 's/.*queued as \([0-9A-Za-z]*\).*/\1/p')
if [ -n "$M4" ] && wait_for 10 in_hold "$M4"; then
	ok "one connection: 4th is held"
else
	not_ok "one connection: 4th is held" "'$(queue_all | tr '\n' ' ')'" "hold:$M4"
fi
F=$(delivered_one multi5)
check_match "one connection: 5th gets accept" "$(status_of "$F")" '^accept '
wait_queue_settled 5
check_eq "one connection: 3rd and 4th not delivered" \
	"$(delivered_count multi3)$(delivered_count multi4)" 00

echo "# SIGHUP reload"
kill -HUP "$MILTER_PID"
sleep 0.5
mkmsg "$T/afterhup.eml" afterhup "vigie-e2e-tag after reload" "Sent after SIGHUP."
send "$T/afterhup.eml"
F=$(delivered_one afterhup)
check_eq "SIGHUP: milter still running" "$(milter_alive && echo yes)" yes
check_match "SIGHUP: next message still tagged" "$(status_of "$F")" '^tag score=5\.0$'

echo "# milter down: milter_default_action = tempfail"
milter_stop
check_eq "SIGTERM: milter exits 0 within 10 s" "$?" 0
mkmsg "$T/down.eml" down "vigie-e2e-tag while down" "Sent while the milter is stopped."
send "$T/down.eml"
check_match "milter down: swaks sees a 4xx" "$REPLY" '^4[0-9][0-9] '
check_eq "milter down: swaks exits non-zero" "$([ "$RC" -ne 0 ] && echo yes)" yes
check_eq "milter down: no queue id" "$QID" ""
sleep 0.5
check_eq "milter down: nothing delivered" "$(delivered_count down)" 0
check_eq "milter down: nothing new queued" "$(queue_ids incoming)$(queue_ids active)$(queue_ids deferred)" ""
milter_start "$CONF"
send "$T/down.eml"
check_match "milter back: same message accepted" "$REPLY" '^250 .*queued as'
F=$(delivered_one down)
check_match "milter back: delivered and tagged" "$(status_of "$F")" '^tag score=5\.0$'
check_eq "milter back: delivered once" "$(delivered_count down)" 1

echo "# monitor mode"
milter_start "$MONITOR_CONF"
mkmsg "$T/monquar.eml" monquar "vigie-e2e-quarantine in monitor mode" "Would be held."
send "$T/monquar.eml"
MQ=$QID
check_match "monitor, quarantine level: accepted (250)" "$REPLY" '^250 .*queued as'
mkmsg "$T/monrej.eml" monrej "Invoice" "Would be vigie-e2e-reject-ed."
send "$T/monrej.eml"
check_match "monitor, reject level: accepted (250)" "$REPLY" '^250 .*queued as'
F=$(delivered_one monquar)
check_eq "monitor, quarantine level: delivered" "$([ -n "$F" ] && echo yes)" yes
ST=$(status_of "$F")
check_match "monitor, quarantine level: its X-Vigie-Status action is tag (monitor only tags)" "$ST" '^tag score=9\.0( |$)'
check_match "monitor, quarantine level: its X-Vigie-Status tells quarantine would have happened" "$ST" '^tag .*quarantine'
check_match "monitor, quarantine level: its X-Vigie-Report names E2E_QUAR" "$(report_of "$F")" 'E2E_QUAR=9\.0'
check_eq "monitor, quarantine level: no X-Spam-Flag (monitor changes no filing)" \
	"$([ -n "$F" ] && msg_header_count "$F" X-Spam-Flag)" 0
F=$(delivered_one monrej)
check_eq "monitor, reject level: delivered" "$([ -n "$F" ] && echo yes)" yes
ST=$(status_of "$F")
check_match "monitor, reject level: its X-Vigie-Status action is tag (monitor only tags)" "$ST" '^tag score=20\.0( |$)'
check_match "monitor, reject level: its X-Vigie-Status tells reject would have happened" "$ST" '^tag .*reject'
check_match "monitor, reject level: its X-Vigie-Report names E2E_REJECT" "$(report_of "$F")" 'E2E_REJECT=20\.0'
check_eq "monitor: nothing new in hold" "$(queue_ids hold | grep -cx "$MQ")" 0

milter_stop
check_eq "SIGTERM (monitor config): milter exits 0" "$?" 0
finish

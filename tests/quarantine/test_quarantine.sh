#!/bin/bash
# test_quarantine.sh - vigie-quarantine on a real (private) Postfix hold queue.
#
# SYNOPSIS
#	bash tests/quarantine/test_quarantine.sh	(as root; sh re-execs bash)
#
# DESCRIPTION
#	Starts the private Postfix of tests/e2e/lib.sh with build/vigie-milter
#	and tests/e2e/vigie-test.conf (the subject word vigie-e2e-quarantine
#	scores 9, over the quarantine threshold 8), plus a header_checks rule
#	that holds mail whose Subject says "other-hold": mail held by
#	something else than vigie. Sends three lures (one carrying an
#	invented NIR, in clear and RFC 2047-encoded) and one such message,
#	then runs build/vigie-quarantine -c <the instance> and checks: list
#	(oldest first, sender domain, action, score, rules; "not vigie" for
#	the other), list --json, show (headers and explain view, no NIR in
#	any form), release (the message is delivered right away, not just
#	out of hold), delete, expire --older-than (1h keeps everything, 0d
#	--dry-run deletes nothing, 0d deletes what vigie held and leaves the
#	other), and the command-line conventions (usage errors exit 2 on
#	stderr, --help exit 0 on stdout, --version). Ends with
#	"N passed, M failed" (tests/lib.sh); 77 when not root.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/../e2e/lib.sh"

e2e_init
QTOOL=$VIGIE_ROOT/build/vigie-quarantine
SCAN=$VIGIE_ROOT/build/vigie-scan
if [ ! -x "$QTOOL" ] || [ ! -x "$SCAN" ]; then
	e2e_die "build/vigie-quarantine or build/vigie-scan not built (make)"
fi
# invented NIR: 1 85 05 78 006 084, key 97 - (1850578006084 mod 97) = 91
NIR_SPACED="1 85 05 78 006 084 91"
NIR=185057800608491

echo "# command line"
OUT=$("$QTOOL" 2>"$T/err.txt"); RC=$?
check_eq "no command: exit 2" "$RC" 2
check_eq "no command: nothing on stdout" "$OUT" ""
check_match "no command: usage on stderr" "$(cat "$T/err.txt")" '^usage: vigie-quarantine'
OUT=$("$QTOOL" --help 2>"$T/err.txt"); RC=$?
check_eq "--help: exit 0" "$RC" 0
check_match "--help: usage on stdout" "$OUT" '^usage: vigie-quarantine'
check_eq "--help: nothing on stderr" "$(cat "$T/err.txt")" ""
check_match "--version" "$("$QTOOL" --version)" '^vigie-quarantine [0-9]+\.[0-9]+'
"$QTOOL" release 'x;rm' >/dev/null 2>"$T/err.txt"; RC=$?
check_eq "not a queue id: exit 2" "$RC" 2
check_match "not a queue id: said on stderr" "$(cat "$T/err.txt")" 'not a Postfix queue id'
"$QTOOL" expire --older-than 30 >/dev/null 2>"$T/err.txt"; RC=$?
check_eq "age without a unit: exit 2" "$RC" 2
"$QTOOL" expire >/dev/null 2>&1; RC=$?
check_eq "expire without --older-than: exit 2" "$RC" 2

pf_setup
# mail held by something else than vigie: a header_checks HOLD rule
echo '/^Subject:.*other-hold/ HOLD held by a header check' >"$PF_CFG/header_checks"
echo "header_checks = regexp:$PF_CFG/header_checks" >>"$PF_CFG/main.cf"
pf_check_config
pf_start
milter_start "$E2E_DIR/vigie-test.conf"
Q=("$QTOOL" -c "$PF_CFG")

echo "# empty hold queue"
OUT=$("${Q[@]}" list); RC=$?
check_eq "list, empty: exit 0" "$RC" 0
check_eq "list, empty: the title line only" "$(printf '%s\n' "$OUT" | wc -l)" 1
check_eq "list --json, empty: nothing" "$("${Q[@]}" list --json)" ""

# the held messages: lib.sh's mkmsg with this sender and body
MSG_FROM="Service Client <client@phish.example.net>"
QBODY="Votre numero de securite sociale $NIR_SPACED est a verifier."

# send_held - send a message from FROM and wait until it is held; prints its id
send_held() {
	local f=$1 from=$2 box qid
	box=$(sed -n 's/^To: \([^@]*\)@.*/\1/p' "$f")
	swaks_send "$T/$box.swaks" --from "$from" --to "$box@$PF_DOMAIN" --data "$f"
	qid=$(swaks_queue_id "$T/$box.swaks")
	if [ -n "$qid" ] && wait_for 10 in_hold "$qid"; then
		echo "$qid"
	else
		e2e_die "$box was not held: $(swaks_final_reply "$T/$box.swaks")"
	fi
}

echo "# four held messages, one second apart"
ENCODED=$(printf 'Numero %s' "$NIR" | base64 -w0)
mkmsg "$T/a.eml" qrelease "vigie-e2e-quarantine NIR $NIR_SPACED" "$QBODY" "Comments: =?utf-8?b?$ENCODED?="
mkmsg "$T/o.eml" qother "other-hold: a message vigie accepts" "$QBODY"
mkmsg "$T/b.eml" qdelete "vigie-e2e-quarantine to delete" "$QBODY"
mkmsg "$T/c.eml" qexpire "vigie-e2e-quarantine to expire" "$QBODY"
A=$(send_held "$T/a.eml" lure@phish.example.net); sleep 1
O=$(send_held "$T/o.eml" news@other.example.com); sleep 1
B=$(send_held "$T/b.eml" lure@phish.example.net); sleep 1
C=$(send_held "$T/c.eml" lure@phish.example.net)
wait_queue_settled 10
echo "# held: A=$A O=$O B=$B C=$C"

echo "# list"
OUT=$("${Q[@]}" list); RC=$?
check_eq "list: exit 0" "$RC" 0
check_eq "list: oldest first" "$(printf '%s\n' "$OUT" | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" "$A $O $B $C "
check_match "list: vigie's: id, date, sender domain, action, score, rules" \
	"$(printf '%s\n' "$OUT" | grep "^$A ")" \
	"^$A +$(date +%Y-%m-%d) [0-9]{2}:[0-9]{2} +phish\.example\.net +quarantine +9\.0 +E2E_QUAR$"
check_match "list: the other one is listed as not vigie's" \
	"$(printf '%s\n' "$OUT" | grep "^$O ")" "^$O .* other\.example\.com +not vigie "
OUT=$("${Q[@]}" list --json); RC=$?
check_eq "list --json: exit 0" "$RC" 0
check_eq "list --json: one object per held message, fields as listed" "$(printf '%s\n' "$OUT" | python3 -c '
import json, sys
ms = [json.loads(l) for l in sys.stdin]
print(" ".join("%s:%s:%s:%s:%s:%s" % (m["queue_id"], m["held_by"], m["action"],
      m["score"], ",".join(m["rules"]), m["sender_domain"]) for m in ms))
print(all(a["arrival_time"] <= b["arrival_time"] for a, b in zip(ms, ms[1:])))')" \
	"$A:vigie:quarantine:9.0:E2E_QUAR:phish.example.net $O:other:accept:0.0::other.example.com $B:vigie:quarantine:9.0:E2E_QUAR:phish.example.net $C:vigie:quarantine:9.0:E2E_QUAR:phish.example.net
True"
check_eq "list: -c after the command works too" \
	"$("$QTOOL" list -c "$PF_CFG" | awk 'NR > 1 { print $1 }' | tr '\n' ' ')" "$A $O $B $C "

echo "# show"
OUT=$("${Q[@]}" show --vigie-config "$E2E_DIR/vigie-test.conf" --vigie-scan "$SCAN" "$A" 2>"$T/err.txt"); RC=$?
check_eq "show: exit 0" "$RC" 0
check_match "show: says vigie held it" "$OUT" '^Held by: vigie$'
check_match "show: the Subject, its NIR masked as vigie masks" "$OUT" \
	'^Subject: \[SUSPECT\] vigie-e2e-quarantine NIR # ## ## ## ### ### ##$'
check_match "show: the RFC 2047 header decoded, its NIR masked" "$OUT" '^Comments: Numero #{15}$'
check_match "show: X-Vigie-Report" "$OUT" '^X-Vigie-Report: E2E_QUAR=9\.0$'
check_match "show: the explain view (rule, score, description)" "$OUT" \
	'E2E_QUAR +9\.0 +subject +"vigie-e2e-quarantine" +-- test: quarantine'
check_eq "show: no NIR, in any spacing" \
	"$(printf '%s\n' "$OUT" | tr -d ' .-' | grep -c "${NIR:0:13}")" 0
check_eq "show: not the body" "$(printf '%s\n' "$OUT" | grep -c 'securite sociale')" 0
OUT=$("${Q[@]}" show --vigie-scan "$SCAN" --vigie-config "$E2E_DIR/vigie-test.conf" "$O"); RC=$?
check_eq "show, the other one: exit 0" "$RC" 0
check_match "show, the other one: not held by vigie" "$OUT" '^Held by: other$'
OUT=$("${Q[@]}" show --vigie-scan "$T/no-such-scan" "$O" 2>"$T/err.txt"); RC=$?
check_eq "show, vigie-scan missing: exit 1" "$RC" 1
check_match "show, vigie-scan missing: the headers still shown" "$OUT" '^Subject: other-hold'
check_match "show, vigie-scan missing: said on stderr" "$(cat "$T/err.txt")" "cannot run $T/no-such-scan"
"${Q[@]}" show ABCDE12345 >/dev/null 2>"$T/err.txt"; RC=$?
check_eq "show, unknown id: exit 1" "$RC" 1
check_match "show, unknown id: said on stderr" "$(cat "$T/err.txt")" 'ABCDE12345 is not in the hold queue'

echo "# release"
OUT=$("${Q[@]}" release "$A" 2>"$T/err.txt"); RC=$?
check_eq "release: exit 0" "$RC" 0
check_eq "release: no longer held" "$(in_hold "$A" && echo held)" ""
# queue_run_delay is 300 s: only postqueue -i delivers it within seconds
F=$(wait_delivered qrelease 10)
check_eq "release: delivered now" "$([ -n "$F" ] && echo yes)" yes
check_match "release: delivered with vigie's headers" \
	"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status)" '^quarantine score=9\.0$'
"${Q[@]}" release "$A" >/dev/null 2>"$T/err.txt"; RC=$?
check_eq "release, no longer held: exit 1" "$RC" 1

echo "# delete"
OUT=$("${Q[@]}" delete "$B" 2>"$T/err.txt"); RC=$?
check_eq "delete: exit 0" "$RC" 0
check_eq "delete: gone from every queue" "$(queue_all | grep -c ":$B\$")" 0
check_eq "delete: not delivered" "$(delivered_count qdelete)" 0

echo "# expire"
OUT=$("${Q[@]}" expire --older-than 1h); RC=$?
check_eq "expire --older-than 1h: exit 0" "$RC" 0
check_eq "expire --older-than 1h: nothing that young deleted" "$OUT" ""
check_eq "expire --older-than 1h: both still held" "$(in_hold "$C" && in_hold "$O" && echo yes)" yes
OUT=$("${Q[@]}" expire --older-than 0d --dry-run); RC=$?
check_eq "expire --dry-run: exit 0" "$RC" 0
check_match "expire --dry-run: names vigie's held message" "$OUT" "^would delete $C "
check_eq "expire --dry-run: only that one" "$(printf '%s\n' "$OUT" | wc -l)" 1
check_eq "expire --dry-run: deletes nothing" "$(in_hold "$C" && echo yes)" yes
OUT=$("${Q[@]}" expire --older-than 0d); RC=$?
check_eq "expire --older-than 0d: exit 0" "$RC" 0
check_match "expire --older-than 0d: says what it deleted" "$OUT" "^deleted $C "
check_eq "expire: vigie's held message deleted" "$(queue_all | grep -c ":$C\$")" 0
check_eq "expire: the message vigie did not hold is left alone" "$(in_hold "$O" && echo yes)" yes
check_eq "list: only the other one is left" "$("${Q[@]}" list | awk 'NR > 1 { print $1 }')" "$O"

echo "# not root"
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$QTOOL" -c "$PF_CFG" list 2>"$T/err.txt"); RC=$?
check_eq "as nobody, list: exit 1, not an empty list" "$RC" 1
OUT=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$QTOOL" -c "$PF_CFG" show "$O" 2>"$T/err.txt"); RC=$?
check_eq "as nobody, show: exit 1 (postcat cannot read the queue)" "$RC" 1
check_match "as nobody, show: says which tool failed" "$(cat "$T/err.txt")" '^vigie-quarantine: post(queue|cat) .*failed'

echo "# vigie-report on this run's vigie-milter -f log"
milter_stop
J=$("$VIGIE_ROOT/build/vigie-report" --json "$T/milter.log")
check_eq "vigie-report: 3 quarantined, 1 accepted, undated (stderr lines)" "$(printf '%s\n' "$J" | python3 -c '
import json, sys
d = json.load(sys.stdin)["days"]
print(" ".join("%s:%s" % (x["day"], x["actions"]) for x in d))')" \
	"undated:{'accept': 1, 'tag': 0, 'quarantine': 3, 'reject': 0}"
check_match "vigie-report: the held mail's sender domain" \
	"$("$VIGIE_ROOT/build/vigie-report" "$T/milter.log")" '^    phish\.example\.net +3$'
finish

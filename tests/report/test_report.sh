#!/bin/bash
# test_report.sh - vigie-report on a log sample with every time stamp format.
#
# SYNOPSIS
#	bash tests/report/test_report.sh
#
# DESCRIPTION
#	Runs build/vigie-report on tests/report/sample.log (rsyslog's ISO
#	stamps on 2026-12-01, journalctl -o short-iso on 2026-12-02 with
#	monitor-mode and allow-listed lines and a line the packaged unit
#	logs (vigie-milter -f: its own prefix after journald's), an
#	undated vigie-milter -f
#	line, Postfix and other vigie-milter lines to ignore, two vigie
#	lines that cannot be read) and on lines written here with the
#	traditional "Mon DD HH:MM:SS" stamp of today and yesterday, and
#	checks the per-day counts of actions, errors, top rules and top
#	sender domains of held and rejected mail, in text and JSON; --day,
#	--yesterday, --top, standard input, .gz files, an unreadable file
#	(exit 1) and the usage conventions (exit 2 on stderr, --help on
#	stdout, --version). Ends with "N passed, M failed" (tests/lib.sh);
#	77 when build/vigie-report is not built.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh
REPORT=build/vigie-report
SAMPLE=tests/report/sample.log
[ -x "$REPORT" ] || skip "build/vigie-report is not built: run make first"
TMP=$(mktemp -d /tmp/vigie-report.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# jget - evaluate a Python expression on the JSON report in $1 (as r)
jget() {
	printf '%s\n' "$1" | python3 -c '
import json, sys
r = json.load(sys.stdin)
day = {d["day"]: d for d in r["days"]}
print(eval(sys.argv[1]))' "$2"
}

echo "# JSON report of the sample"
J=$("$REPORT" --json "$SAMPLE"); RC=$?
check_eq "--json: exit 0" "$RC" 0
check_eq "days, in order, undated last" "$(jget "$J" '" ".join(day)')" "2026-12-01 2026-12-02 undated"
check_eq "12-01: messages per action" \
	"$(jget "$J" 'day["2026-12-01"]["messages"], day["2026-12-01"]["actions"]')" \
	"(8, {'accept': 3, 'tag': 2, 'quarantine': 2, 'reject': 1})"
check_eq "12-01: one error line" "$(jget "$J" 'day["2026-12-01"]["errors"]')" 1
check_eq "12-01: top rules, most frequent first, ties by name" \
	"$(jget "$J" '" ".join("%s=%d" % (x["id"], x["count"]) for x in day["2026-12-01"]["top_rules"])')" \
	"CLAIM_FROM_NAME=4 MENTION_BODY=2 LINK_LOOKALIKE=1 LURE_FEE=1 NIR_REQUEST=1"
check_eq "12-01: top sender domains of held and rejected mail only" \
	"$(jget "$J" '" ".join("%s=%d" % (x["domain"], x["count"]) for x in day["2026-12-01"]["top_sender_domains"])')" \
	"ameli-remboursement.example=2 cpam-info.example=1"
check_eq "12-02: monitor mode, allow-listed, journald-of-stderr lines counted" \
	"$(jget "$J" 'day["2026-12-02"]["messages"], day["2026-12-02"]["actions"], day["2026-12-02"]["monitor"]')" \
	"(4, {'accept': 1, 'tag': 2, 'quarantine': 0, 'reject': 1}, {'quarantine': 1, 'reject': 1})"
check_eq "12-02: what monitor mode would have held or rejected counts as held or rejected" \
	"$(jget "$J" 'day["2026-12-02"]["top_sender_domains"]')" \
	"[{'domain': 'monitored.example', 'count': 3}]"
check_eq "undated: the vigie-milter -f line" "$(jget "$J" 'day["undated"]["actions"]["accept"]')" 1
check_eq "lines with an impossible date or no action: counted as unreadable" \
	"$(jget "$J" 'r["unreadable_lines"]')" 2

echo "# text report"
OUT=$("$REPORT" "$SAMPLE"); RC=$?
check_eq "text: exit 0" "$RC" 0
check_match "text: a title per day" "$OUT" '^vigie report for 2026-12-01: 8 messages, 1 error$'
check_match "text: an action line with its share" "$OUT" '^  quarantine +2 +25\.0 %$'
check_match "text: monitor mode" "$OUT" '^  monitor mode would have applied reject to 1$'
check_match "text: top rule" "$OUT" '^    CLAIM_FROM_NAME +4$'
check_match "text: top sender domain" "$OUT" '^    ameli-remboursement\.example +2$'
check_match "text: unreadable lines said" "$OUT" '^2 vigie-milter lines could not be read$'

echo "# selections and inputs"
J=$("$REPORT" --json --day 2026-12-02 "$SAMPLE")
check_eq "--day: that day only" "$(jget "$J" '" ".join(day)')" "2026-12-02"
J=$("$REPORT" --json --top 1 "$SAMPLE")
check_eq "--top 1: one rule, one domain" \
	"$(jget "$J" 'len(day["2026-12-01"]["top_rules"]), len(day["2026-12-01"]["top_sender_domains"])')" "(1, 1)"
J=$("$REPORT" --json <"$SAMPLE")
check_eq "standard input, no FILE" "$(jget "$J" 'day["2026-12-01"]["messages"]')" 8
J=$(sed "" "$SAMPLE" | "$REPORT" --json -)
check_eq "standard input, -" "$(jget "$J" 'day["2026-12-01"]["messages"]')" 8
gzip -c "$SAMPLE" >"$TMP/mail.log.2.gz"
J=$("$REPORT" --json "$SAMPLE" "$TMP/mail.log.2.gz")
check_eq "a .gz file read too (two files add up)" "$(jget "$J" 'day["2026-12-01"]["messages"]')" 16

# traditional syslog stamps (journalctl's default): no year in them
TODAY=$(date +%F)
YESTERDAY=$(date -d yesterday +%F)
{
	echo "$(LC_ALL=C date -d yesterday '+%b %e %H:%M:%S') mx vigie-milter[7]: queue_id=A1 action=reject score=30.0 rules=NIR_REQUEST anomalies=- sender_domain=old.example"
	echo "$(LC_ALL=C date '+%b %d %H:%M:%S') mx vigie-milter[7]: queue_id=A2 action=quarantine score=9.0 rules=LURE_FEE anomalies=- sender_domain=new.example"
	echo "$(LC_ALL=C date '+%b %d %H:%M:%S') mx vigie-milter[7]: queue_id=A3 action=accept score=0.0 rules=- anomalies=- sender_domain=new.example"
} >"$TMP/bsd.log"
J=$("$REPORT" --json "$TMP/bsd.log")
check_eq "Mon DD stamps: today and yesterday, this year" \
	"$(jget "$J" '" ".join("%s:%d" % (d["day"], d["messages"]) for d in r["days"])')" "$YESTERDAY:1 $TODAY:2"
J=$("$REPORT" --json --yesterday "$TMP/bsd.log")
check_eq "--yesterday: only yesterday's reject" \
	"$(jget "$J" '[(d["day"], d["actions"]["reject"], d["top_sender_domains"][0]["domain"]) for d in r["days"]]')" \
	"[('$YESTERDAY', 1, 'old.example')]"

echo "# errors and conventions"
OUT=$("$REPORT" "$TMP/absent.log" "$SAMPLE" 2>"$TMP/err"); RC=$?
check_eq "missing file: exit 1" "$RC" 1
check_match "missing file: named on stderr with the reason" "$(cat "$TMP/err")" \
	"^vigie-report: $TMP/absent.log: No such file or directory$"
check_match "missing file: the other file still reported" "$OUT" '^vigie report for 2026-12-01'
OUT=$("$REPORT" --day 2026-02-30 "$SAMPLE" 2>"$TMP/err"); RC=$?
check_eq "bad --day: exit 2" "$RC" 2
check_eq "bad --day: nothing on stdout" "$OUT" ""
check_match "bad --day: said on stderr" "$(cat "$TMP/err")" 'is not a day'
"$REPORT" --top 0 "$SAMPLE" >/dev/null 2>&1; RC=$?
check_eq "--top 0: exit 2" "$RC" 2
"$REPORT" --day 2026-12-01 --yesterday "$SAMPLE" >/dev/null 2>&1; RC=$?
check_eq "--day with --yesterday: exit 2" "$RC" 2
OUT=$("$REPORT" --help 2>"$TMP/err"); RC=$?
check_eq "--help: exit 0" "$RC" 0
check_match "--help: on stdout" "$OUT" '^usage: vigie-report'
check_match "--version" "$("$REPORT" --version)" '^vigie-report [0-9]+\.[0-9]+'
OUT=$("$REPORT" </dev/null); RC=$?
check_eq "no vigie lines: exit 0" "$RC" 0
check_eq "no vigie lines: said so" "$OUT" "no vigie-milter message lines found"
finish

#!/bin/bash
# test_scan.sh - vigie-scan as a security team uses it: every input kind
# (file, directory, Maildir, mbox, stdin), the output formats, --summary
# and --expect, --check, -j, and the documented exit statuses.
set -u
cd "$(dirname "$0")/../.." || exit 2
SCAN=${VIGIE_SCAN:-build/vigie-scan}
CONF=config/vigie.conf
T="--trusted-authserv-id mx.vigie-test.example"
. tests/lib.sh
TMP=$(mktemp -d /tmp/vigie-scan-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

PHISH=$(ls tests/corpus/phish/*.eml | head -1)
LEGIT=$(ls tests/corpus/legit/*.eml | head -1)

# one file, text output: path action score rules
out=$($SCAN -c $CONF $T "$PHISH"); rc=$?
check_eq "file: exit 0" "$rc" 0
check_eq "file: text line starts with the path" "${out%% *}" "$PHISH"

# stdin gives the same verdict as the file
a=$($SCAN -c $CONF $T "$PHISH" | cut -d' ' -f2-)
b=$($SCAN -c $CONF $T - <"$PHISH" | cut -d' ' -f2-)
check_eq "stdin: same verdict as the file" "$b" "$a"

# Maildir: cur/ and new/ read, tmp/ skipped
mkdir -p "$TMP/Maildir/cur" "$TMP/Maildir/new" "$TMP/Maildir/tmp"
cp "$PHISH" "$TMP/Maildir/cur/1:2,S"
cp "$LEGIT" "$TMP/Maildir/new/2"
cp "$LEGIT" "$TMP/Maildir/tmp/3"
check_eq "Maildir: cur and new scanned, tmp skipped" \
	"$($SCAN -c $CONF $T "$TMP/Maildir" | wc -l)" 2
cp "$PHISH" "$TMP/Maildir/cur/1732800000.M123456P7890.host:2,S"
check_eq "Maildir names (10-digit timestamps) are printed as they are" \
	"$($SCAN -c $CONF $T "$TMP/Maildir" | grep -c '/cur/1732800000.M123456P7890.host:2,S ')" 1

# mbox: messages split at "From " lines after a blank line
{ echo "From a@example.com Mon Jan  1 00:00:00 2026"; cat "$PHISH"; echo
  echo "From b@example.com Mon Jan  1 00:00:01 2026"; cat "$LEGIT"; echo; } >"$TMP/box.mbox"
out=$($SCAN -c $CONF $T "$TMP/box.mbox")
check_eq "mbox: two messages" "$(echo "$out" | wc -l)" 2
check_eq "mbox: labelled file:N" "$(echo "$out" | sed -n 2p | cut -d' ' -f1)" "$TMP/box.mbox:2"
check_eq "mbox: first is the lure" "$(echo "$out" | sed -n 1p | cut -d' ' -f2-)" "$a"

# JSON: the documented fields, valid JSON
json=$($SCAN -c $CONF $T --json --explain "$PHISH")
check_eq "json: parses, has path/score/action/rules" "$(echo "$json" | python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
ok = isinstance(o["score"], (int, float)) and o["action"] in ("accept", "tag", "quarantine", "reject") \
    and all("id" in r and "score" in r and "target" in r and "excerpt" in r for r in o["rules"]) \
    and o["path"].endswith(".eml")
print("yes" if ok else "no")')" yes

# -j: same output, same order, whatever the number of workers
check_eq "-j 1 and -j 4 print the same lines in the same order" \
	"$($SCAN -j 1 -c $CONF $T tests/corpus | md5sum)" "$($SCAN -j 4 -c $CONF $T tests/corpus | md5sum)"

# --summary and --expect, on every lure: the *-ocr-* ones are words in an
# image, caught with ocr = true (off in the shipped config; tests/ocr)
sed -e "s|\"rules/|\"$PWD/config/rules/|g" -e 's/^ocr = false;/ocr = true;/' $CONF >"$TMP/ocr.conf"
export OMP_THREAD_LIMIT=1
$SCAN -c "$TMP/ocr.conf" $T --expect phish tests/corpus/phish >"$TMP/sum"; rc=$?
check_eq "--expect phish on the lures: exit 0" "$rc" 0
check_eq "--expect phish: no miss listed" "$(grep '^missed' "$TMP/sum")" "missed 0"
check_eq "--summary: one line per rule" "$(grep -c '^rule ' "$TMP/sum")" \
	"$($SCAN -c $CONF --check 2>/dev/null | tail -n 1 | sed 's/.*OK, \([0-9]*\) rules.*/\1/')"
$SCAN -c "$TMP/ocr.conf" $T --expect ham tests/corpus/phish >"$TMP/sum"; rc=$?
check_eq "--expect ham on lures: exit 3" "$rc" 3
check_eq "--expect ham: every lure listed as a false positive" \
	"$(grep '^false_positives' "$TMP/sum")" "false_positives $(ls tests/corpus/phish | wc -l)"

# --check: the shipped rules lint clean; a bad rule file fails with file:line
check_eq "--check: shipped config OK" "$($SCAN -c $CONF --check 2>&1 | tail -1 | grep -c ': OK, ')" 1
printf 'rules = [ "bad.rules" ];\n' >"$TMP/bad.conf"
printf 'rules = (\n { id = "X"; target = "body"; pattern = "(unclosed"; score = 1; } );\n' >"$TMP/bad.rules"
err=$($SCAN -c "$TMP/bad.conf" --check 2>&1); rc=$?
check_eq "--check: bad rule exits 2" "$rc" 2
check_eq "--check: names file, line and rule" "$(echo "$err" | grep -c 'bad.rules:2: rule X: pattern error at offset')" 1

# exit statuses
$SCAN -c $CONF "$TMP/does-not-exist" >/dev/null 2>&1
check_eq "unreadable input: exit 1" "$?" 1
$SCAN -c "$TMP/nope.conf" "$PHISH" >/dev/null 2>&1
check_eq "missing config: exit 2" "$?" 2

# streams: pipes and FIFOs named on the command line, and no PATH at all,
# read like a file; an mbox through a pipe is still split
check_eq "/dev/stdin from a pipe: same verdict" \
	"$(cat "$PHISH" | $SCAN -c $CONF $T /dev/stdin | cut -d' ' -f2-)" "$a"
check_eq "<(...): same verdict" \
	"$($SCAN -c $CONF $T <(cat "$PHISH") | cut -d' ' -f2-)" "$a"
check_eq "no PATH, standard input a pipe: same verdict" \
	"$(cat "$PHISH" | $SCAN -c $CONF $T | cut -d' ' -f2-)" "$a"
mkfifo "$TMP/fifo"
timeout 20 cat "$PHISH" >"$TMP/fifo" &
check_eq "a FIFO: same verdict" \
	"$(timeout 20 $SCAN -c $CONF $T "$TMP/fifo" | cut -d' ' -f2-)" "$a"
wait
check_eq "an mbox through a pipe: both messages" \
	"$(cat "$TMP/box.mbox" | $SCAN -c $CONF $T - | cut -d' ' -f1 | tr '\n' ' ')" "-:1 -:2 "
err=$($SCAN -c $CONF /dev/null 2>&1 >/dev/null); rc=$?
check_eq "a device is no message: exit 1" "$rc" 1
check_match "a device is no message: says so" "$err" '/dev/null: not a message, a directory, a Maildir or an mbox'
# file names are the user's: long digit runs are printed as they are
cp "$PHISH" "$TMP/1732800000.M1P2.host,S=4111111111111111:2,S"
check_eq "a 16-digit run in a file name is not masked" \
	"$($SCAN -c $CONF $T --json "$TMP/1732800000.M1P2.host,S=4111111111111111:2,S" | grep -c '4111111111111111')" 1

# vigie-milter follows the same conventions
MILTER=${VIGIE_MILTER:-build/vigie-milter}
out=$($MILTER --help 2>/dev/null); rc=$?
check_eq "vigie-milter --help: exit 0" "$rc" 0
check_match "vigie-milter --help: long options on stdout" "$out" '--config FILE'
check_match "vigie-milter --version" "$($MILTER --version)" '^vigie-milter [0-9]+\.[0-9]+'
err=$($MILTER --bogus 2>&1 >/dev/null); rc=$?
check_eq "vigie-milter --bogus: exit 2" "$rc" 2
check_eq "vigie-milter --bogus: one line saying what is wrong" \
	"$(echo "$err" | head -n 1)" "vigie-milter: unknown option --bogus"
# a socket that cannot be opened: the reason, in words an admin can act on
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c 'import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); time.sleep(30)' "$port" &
busy=$!
for _ in $(seq 50); do ss -ltn "sport = :$port" | grep -q LISTEN && break; sleep 0.1; done
err=$(timeout 20 $MILTER -c tests/e2e/vigie-test.conf -p "inet:$port@127.0.0.1" -f 2>&1 >/dev/null); rc=$?
kill $busy 2>/dev/null; wait $busy 2>/dev/null
check_eq "vigie-milter, TCP port in use: exit 1" "$rc" 1
check_match "vigie-milter, TCP port in use: says the port is in use" "$err" \
	"cannot open socket \"inet:$port@127.0.0.1\": port $port on 127.0.0.1 is in use"
err=$(timeout 20 $MILTER -c tests/e2e/vigie-test.conf -p "unix:$TMP/no/such/dir/v.sock" -f 2>&1 >/dev/null)
check_match "vigie-milter, unix socket in a missing directory: names it" "$err" \
	"directory $TMP/no/such/dir: No such file or directory"
check_match "vigie-milter --check is -n" "$($MILTER --check --config $CONF 2>&1 | tail -n 1)" ': OK, [0-9]+ rules'

# monitor mode: the text line says what would have been done, as JSON does
sed 's/^mode = .*/mode = "monitor";/; s|"rules/|"'"$PWD"'/config/rules/|g' $CONF >"$TMP/monitor.conf"
out=$($SCAN -c "$TMP/monitor.conf" $T "$PHISH")
check_match "monitor mode: text shows tag and the would-be action" "$out" ' tag [0-9.]+ .* monitor=(quarantine|reject)$'
check_match "monitor mode: JSON says the same" "$($SCAN -c "$TMP/monitor.conf" $T --json "$PHISH")" '"action":"tag".*"monitor":"(quarantine|reject)"'
# --explain: the words that claimed a brand, not the brand's id
out=$($SCAN -c $CONF $T --explain tests/corpus/phish/093-cpam-dotted-beneficiaires.eml)
check_match "--explain: a claim shows the words as matched (C. P. A. M.)" "$out" '^  CLAIM_FROM_NAME .* "c\. p\. a\. m"'
# --explain: each rule's description, and what a combination combined
out=$($SCAN -c $CONF $T --explain tests/corpus/phish/001-vitale-renew-gmail.eml)
check_match "--explain: a pattern rule with its description" "$out" '^  LURE_FEE .* -- A small fee to pay'
check_match "--explain: a combination with the hits it combined" "$out" '^  LURE_MANY .*combined: LURE_VITALE,LURE_VITALE_SUBJECT,LURE_FEE,LURE_DEADLINE,LURE_CALL_TO_ACTION$'

# the conventions of Debian tools: --help on stdout, exit 0; --version;
# a usage error says what is wrong on stderr, exit 2
out=$($SCAN --help 2>/dev/null); rc=$?
check_eq "--help: exit 0" "$rc" 0
check_match "--help: the synopsis on stdout" "$out" '^usage: vigie-scan'
check_match "--version" "$($SCAN --version)" '^vigie-scan [0-9]+\.[0-9]+'
for args in "-j 0" "--expect spam" "--bogus" "-c"; do
	# shellcheck disable=SC2086
	err=$($SCAN "$PHISH" $args 2>&1 >/dev/null); rc=$?
	check_eq "$args: exit 2" "$rc" 2
	check_eq "$args: one line saying what is wrong, not the whole usage" \
		"$(echo "$err" | grep -c '^usage:')$(echo "$err" | head -n 1 | grep -c '^vigie-scan: ')" "01"
done

# privacy: no NIR-shaped number in any output for the lures that quote one
NIR_RE='[12][ .-]?[0-9]{2}[ .-]?[0-9]{2}[ .-]?(2[AB]|[0-9]{2})[ .-]?[0-9]{3}[ .-]?[0-9]{3}[ .-]?[0-9]{2}'
nir_lures=$(grep -lE "$NIR_RE" tests/corpus/phish/*.eml)
check_eq "precondition: some lures quote a NIR in clear" "$([ -n "$nir_lures" ] && echo yes)" yes
out=$($SCAN -c $CONF $T --explain $nir_lures; $SCAN -c $CONF $T --json --explain $nir_lures)
check_eq "the NIR rules fire on them" "$(echo "$out" | grep -c 'NIR_LABELLED' | awk '{print ($1 > 0) ? "yes" : "no"}')" yes
check_eq "no NIR-shaped number in --explain output" "$(echo "$out" | grep -cE "$NIR_RE")" 0

finish

#!/bin/bash
# test_redteam.sh - the red-team generator's evasive variants against the
# shipped rules: every variant quarantined or rejected, every honest twin
# accepted.
#
#   tests/redteam/gen.py writes the messages and MANIFEST.tsv into a temp
#   directory; each group of messages (same config, same recipient) is
#   scanned in one vigie-scan run, with build/vigie-scan and, when present,
#   build-asan/vigie-scan. The variants use config/vigie.conf; honest twins
#   use it too, except those marked "site" (internal mail, report mailbox),
#   which use tests/corpus/site.conf. An honest twin sent to a report
#   mailbox (a recipient in the manifest) may be tagged, as site.conf's
#   report_addresses promise "tag at most". Per technique the suite prints
#   "N/M caught" and the misses. Rows whose state is "pending-*" wait for
#   another branch (look-alike letters, report mailboxes) or are known false
#   positives: they are reported, never counted.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
TRUST="--trusted-authserv-id mx.vigie-test.example"
# Debian's python3 (python3-qrcode, python3-png), not another one first in PATH
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3) || skip "python3 absent"
"$PY" -c 'import qrcode, png' 2>/dev/null || skip "python3-qrcode or python3-png absent (packaging/deps.sh installs them)"
[ -x build/vigie-scan ] || skip "build/vigie-scan absent (make all)"
TMP=$(mktemp -d /tmp/vigie-redteam.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
if ! "$PY" tests/redteam/gen.py "$TMP/gen" 2>"$TMP/gen.err"; then
	not_ok "gen.py: $(head -c 300 "$TMP/gen.err")"
	finish
fi
MANIFEST=$TMP/gen/MANIFEST.tsv
check_match "gen.py wrote messages" "$(wc -l <"$MANIFEST")" '^[1-9][0-9]+$'

# verdicts BIN - scan every manifest row with BIN, print "action<TAB>row"
verdicts() {
	local bin=$1 conf recipient kind file args out
	awk -F'\t' '{print $4 "\t" $5}' "$MANIFEST" | sort -u |
	while IFS=$'\t' read -r conf recipient; do
		args=(-c config/vigie.conf)
		[ "$conf" = site ] && args=(-c tests/corpus/site.conf)
		[ "$recipient" != - ] && args+=(--recipient "$recipient")
		awk -F'\t' -v c="$conf" -v r="$recipient" \
		    '$4 == c && $5 == r {print $6}' "$MANIFEST" >"$TMP/files"
		out=$TMP/scan.$conf
		# shellcheck disable=SC2046,SC2086
		"$bin" "${args[@]}" $TRUST $(cat "$TMP/files") >"$out" 2>"$out.err"
		if [ $? -ne 0 ] || grep -q 'Sanitizer\|runtime error' "$out.err"; then
			echo "CRASH $(head -c 200 "$out.err" | tr '\n' ' ')"
		fi
		cat "$out"
	done
}

for bin in build/vigie-scan build-asan/vigie-scan; do
	[ -x "$bin" ] || continue
	verdicts "$bin" >"$TMP/verdicts"
	crash=$(grep '^CRASH' "$TMP/verdicts")
	check_eq "$bin: no crash, no sanitizer report" "$crash" ""
	# join the manifest with vigie-scan's "file action score":
	# kind technique state file action score recipient
	awk 'NR == FNR { act[$1] = $2 " " $3; next }
	     { split($0, f, "\t"); print f[1], f[2], f[3], f[6], \
	       (f[6] in act ? act[f[6]] : "none -"), f[5] }' \
	    "$TMP/verdicts" FS='\t' "$MANIFEST" >"$TMP/joined"
	# per technique: kind technique state caught total misses
	awk '{ key = $1 " " $2 " " $3; total[key]++
	       good = ($1 == "phish") ? ($5 == "quarantine" || $5 == "reject") \
	                              : ($5 == "accept" || ($5 == "tag" && $7 != "-"))
	       if (good) caught[key]++
	       else { n = split($4, p, "/"); miss[key] = miss[key] " " p[n] "=" $5 "(" $6 ")" } }
	     END { for (k in total) print k, caught[k] + 0, total[k], miss[k] }' \
	    "$TMP/joined" | sort >"$TMP/table"
	while read -r kind technique state caught total misses; do
		word=caught; [ "$kind" = ham ] && word=accepted
		line="$bin: $kind $technique: $caught/$total $word"
		if [ "$state" != active ]; then
			echo "# $state: $line${misses:+; misses:$misses}"
		elif [ "$caught" -eq "$total" ]; then
			ok "$line"
		else
			not_ok "$line; misses:$misses"
		fi
	done <"$TMP/table"
done
finish

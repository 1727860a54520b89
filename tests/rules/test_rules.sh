#!/bin/bash
# test_rules.sh - every shipped rule has a message that must hit it and
# one that must not (tests/rules/expect.tsv), and every row holds. A rule
# added to the shipped pack without a row fails this test. A row whose
# config is "auth" names a rule that needs vigie's own DNS checks: its
# messages are made and checked by tests/auth/test_auth.sh, which must
# name it; no test here asks DNS.
set -u
cd "$(dirname "$0")/../.." || exit 2
SCAN=${VIGIE_SCAN:-build/vigie-scan}
T="--trusted-authserv-id mx.vigie-test.example"
. tests/lib.sh

# conf_file KIND - the config a row names: shipped, limits or site
conf_file() {
	case $1 in
	limits) echo tests/rules/limits.conf ;;
	site) echo tests/corpus/site.conf ;;
	*) echo config/vigie.conf ;;
	esac
}

# Each config scans all its messages in one vigie-scan run (loading the
# pack costs more than judging a message): "KIND FILE RULE,RULE..." lines
VERDICTS=$(mktemp /tmp/vigie-rules.XXXXXX)
trap 'rm -f "$VERDICTS"' EXIT
for kind in $(awk -F'\t' '$1 !~ /^#/ && NF >= 4 && $2 != "auth" {print $2}' tests/rules/expect.tsv | sort -u); do
	files=$(awk -F'\t' -v k="$kind" '$1 !~ /^#/ && $2 == k {print $3; print $4}' tests/rules/expect.tsv | sort -u)
	printf '%s\n' "$files" | tr '\n' '\0' |
	    xargs -0 $SCAN -c "$(conf_file "$kind")" $T | awk -v k="$kind" '{print k, $1, $4}' >>"$VERDICTS"
	check_eq "$kind: every message of expect.tsv judged" \
	    "$(awk -v k="$kind" '$1 == k' "$VERDICTS" | wc -l)" "$(printf '%s\n' "$files" | wc -l)"
done

# hits KIND FILE RULE - does the rule hit the message under that config?
hits() {
	awk -v k="$1" -v f="$2" '$1 == k && $2 == f {print $3}' "$VERDICTS" |
	    tr ',' '\n' | grep -qx "$3"
}

shipped=$($SCAN -c config/vigie.conf --summary tests/rules/msgs/big.eml | awk '$1 == "rule" {print $2}')
for id in $shipped; do
	check_eq "$id has a row in expect.tsv" \
	    "$(grep -q "^$id	" tests/rules/expect.tsv && echo yes)" yes
done
while IFS='	' read -r id conf must_hit must_miss; do
	case $id in ''|'#'*) continue ;; esac
	if [ "$conf" = auth ]; then
		check_eq "$id is checked by $must_hit" \
		    "$(grep -qw "$id" "$must_hit" && echo yes)" yes
		continue
	fi
	check_eq "$id hits $must_hit" "$(hits "$conf" "$must_hit" "$id" && echo yes)" yes
	check_eq "$id does not hit $must_miss" "$(hits "$conf" "$must_miss" "$id" || echo yes)" yes
done <tests/rules/expect.tsv
finish

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

# hits CONF FILE RULE - does the rule hit the message under that config?
hits() {
	local conf=config/vigie.conf
	[ "$1" = limits ] && conf=tests/rules/limits.conf
	[ "$1" = site ] && conf=tests/corpus/site.conf
	$SCAN -c "$conf" $T "$2" | awk '{print $4}' | tr ',' '\n' | grep -qx "$3"
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

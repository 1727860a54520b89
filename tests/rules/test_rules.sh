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
PASS=0
FAIL=0

check() {	# check DESCRIPTION yes|no
	if [ "$2" = yes ]; then
		echo "ok - $1"; PASS=$((PASS + 1))
	else
		echo "not ok - $1"; FAIL=$((FAIL + 1))
	fi
}

# hits CONF FILE RULE - does the rule hit the message under that config?
hits() {
	local conf=config/vigie.conf
	[ "$1" = limits ] && conf=tests/rules/limits.conf
	$SCAN -c "$conf" $T "$2" | awk '{print $4}' | tr ',' '\n' | grep -qx "$3"
}

shipped=$($SCAN -c config/vigie.conf --summary tests/rules/msgs/big.eml | awk '$1 == "rule" {print $2}')
for id in $shipped; do
	check "$id has a row in expect.tsv" \
	    "$(grep -q "^$id	" tests/rules/expect.tsv && echo yes)"
done
while IFS='	' read -r id conf must_hit must_miss; do
	case $id in ''|'#'*) continue ;; esac
	if [ "$conf" = auth ]; then
		check "$id is checked by $must_hit" \
		    "$(grep -qw "$id" "$must_hit" && echo yes)"
		continue
	fi
	check "$id hits $must_hit" "$(hits "$conf" "$must_hit" "$id" && echo yes)"
	check "$id does not hit $must_miss" "$(hits "$conf" "$must_miss" "$id" || echo yes)"
done <tests/rules/expect.tsv
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]

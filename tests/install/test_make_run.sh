#!/bin/bash
# test_make_run.sh - what `make run` sets up on a fresh Debian, the
# recipe it prints, and `make uninstall`.
#
# SYNOPSIS
#	bash tests/install/test_make_run.sh	(as root)
#
# DESCRIPTION
#	Runs tests/run-milter.sh --setup-only and --uninstall with Postfix's
#	configuration and queue directories in a temporary directory
#	(VIGIE_POSTFIX_DIR, VIGIE_SPOOL), as on a machine whose Postfix was
#	installed with "No configuration": a minimal main.cf is written, the
#	printed `postconf -e` lines then work on it, an existing main.cf is
#	never changed, and uninstall removes what setup made and nothing
#	else. Ends with "N passed, M failed" (tests/lib.sh).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
. tests/lib.sh
[ "$(id -u)" -eq 0 ] || skip "needs root (it creates the user vigie)"
getent group postfix >/dev/null || skip "Postfix is not installed"
TMP=$(mktemp -d /tmp/vigie-make-run.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export VIGIE_POSTFIX_DIR=$TMP/postfix VIGIE_SPOOL=$TMP/spool VIGIE_ALIASES=$TMP/aliases
echo "postmaster: root" >"$VIGIE_ALIASES"
mkdir -p "$VIGIE_SPOOL" "$VIGIE_POSTFIX_DIR"
# a Postfix installed with "No configuration" has a master.cf, no main.cf
cp /usr/share/postfix/master.cf.dist "$VIGIE_POSTFIX_DIR/master.cf"
user_before=$(getent passwd vigie | cut -d: -f5)

out=$(sh tests/run-milter.sh --setup-only 2>&1); rc=$?
check_eq "setup: exit 0" "$rc" 0
check_match "setup: says it wrote a main.cf" "$out" 'there was no .*/main.cf: wrote a minimal local-only one'
check_eq "setup: main.cf written" "$([ -f "$VIGIE_POSTFIX_DIR/main.cf" ] && echo yes)" yes
check_eq "setup: socket directory vigie:postfix 2750" \
	"$(stat -c '%U:%G %a' "$VIGIE_SPOOL/vigie")" "vigie:postfix 2750"
check_eq "setup: the missing aliases.db is built (else smtpd answers 451)" \
	"$([ -f "$VIGIE_ALIASES.db" ] && echo built)" built
check_eq "setup: main.cf is valid for postconf" \
	"$(postconf -c "$VIGIE_POSTFIX_DIR" -h inet_interfaces 2>&1)" loopback-only

# the printed recipe works on it, and is the recipe of packaging/postfix
lines=$(grep '^[a-z]' packaging/postfix/main.cf.snippet)
n=0
while IFS= read -r line; do
	postconf -c "$VIGIE_POSTFIX_DIR" -e "$line" && n=$((n + 1))
done <<<"$lines"
check_eq "the recipe applies with postconf -e" "$n" "$(echo "$lines" | wc -l)"
check_eq "after it, milter_default_action is the recipe's" \
	"$(postconf -c "$VIGIE_POSTFIX_DIR" -h milter_default_action)" \
	"$(sed -n 's/^milter_default_action = //p' packaging/postfix/main.cf.snippet)"
check_eq "postconf reads the result without a warning" \
	"$(postconf -c "$VIGIE_POSTFIX_DIR" -n 2>&1 >/dev/null)" ""

# an existing main.cf is left alone
echo "# the admin's own" >"$TMP/own.cf"
cp "$TMP/own.cf" "$VIGIE_POSTFIX_DIR/main.cf"
sh tests/run-milter.sh --setup-only >/dev/null 2>&1
check_eq "setup again: an existing main.cf is not changed" \
	"$(cmp -s "$TMP/own.cf" "$VIGIE_POSTFIX_DIR/main.cf" && echo same)" same
sh tests/run-milter.sh --uninstall >/dev/null 2>&1
check_eq "uninstall: the admin's main.cf stays" \
	"$([ -f "$VIGIE_POSTFIX_DIR/main.cf" ] && echo yes)" yes
check_eq "uninstall: socket directory removed" \
	"$([ -e "$VIGIE_SPOOL/vigie" ] && echo present || echo gone)" gone

# uninstall removes the main.cf it wrote
rm -f "$VIGIE_POSTFIX_DIR/main.cf"
sh tests/run-milter.sh --setup-only >/dev/null 2>&1
sh tests/run-milter.sh --uninstall >/dev/null 2>&1
check_eq "uninstall: the main.cf make run wrote is removed" \
	"$([ -e "$VIGIE_POSTFIX_DIR/main.cf" ] && echo present || echo gone)" gone
# uninstall while the milter still runs as vigie: refused, nothing removed
# (userdel used to fail after the socket directory was gone)
if [ -z "$user_before" ]; then
	rm -f "$VIGIE_POSTFIX_DIR/main.cf"
	sh tests/run-milter.sh --setup-only >/dev/null 2>&1
	setpriv --reuid=vigie --regid=postfix --clear-groups sleep 30 &	# exec: $! is the sleep
	sleeper=$!
	sleep 0.5
	out=$(sh tests/run-milter.sh --uninstall 2>&1); rc=$?
	kill "$sleeper" 2>/dev/null; wait "$sleeper" 2>/dev/null
	check_eq "uninstall with vigie running: exit 1" "$rc" 1
	check_match "uninstall with vigie running: says to stop it" "$out" 'stop vigie-milter first'
	check_eq "uninstall with vigie running: socket directory kept" \
		"$([ -d "$VIGIE_SPOOL/vigie" ] && echo kept)" kept
	sh tests/run-milter.sh --uninstall >/dev/null 2>&1
fi
check_match "the printed recipe says postfix start when Postfix is not running" \
	"$(sh tests/run-milter.sh --setup-only >/dev/null 2>&1; sh tests/run-milter.sh --version 2>&1 | grep "^Add to"; sh tests/run-milter.sh --uninstall >/dev/null 2>&1)" \
	'postfix start if it is not running'
if [ -z "$user_before" ]; then
	check_eq "uninstall: the user vigie it made is removed" \
		"$(getent passwd vigie >/dev/null && echo present || echo gone)" gone
else
	check_eq "uninstall: a user vigie it did not make stays" \
		"$(getent passwd vigie | cut -d: -f5)" "$user_before"
fi
finish

#!/bin/bash
# test_package.sh - the Debian package, built, installed, run, linted and purged.
#
# SYNOPSIS
#	make check-package		(or: bash tests/package/test_package.sh, as root)
#
# DESCRIPTION
#	Proves what packaging/ promises instead of assuming it:
#
#	1. make deb builds build/deb/vigie_<version>_<arch>.deb; lintian
#	   finds no error in it;
#	2. apt-get installs it: binaries, conffiles, man pages, the unit,
#	   the vigie system user (in group postfix), the socket directory
#	   /var/spool/postfix/vigie (vigie:postfix, 2750);
#	3. the installed vigie-milter -n accepts the installed config, and
#	   systemd-analyze verify accepts the installed unit;
#	4. the installed daemon, started as the unit's ExecStart does (as its
#	   User/Group with their groups, its UMask), listens on the socket
#	   under /var/spool/postfix, runs as vigie, answers miltertest, and
#	   behind a private Postfix (tests/e2e/lib.sh) delivers a clean
#	   message with X-Vigie-Status and refuses a phishing one with 550;
#	   it reloads on SIGHUP and stops on SIGTERM;
#	5. dpkg --purge removes it all: binaries, /etc/vigie, the user and
#	   group, the socket directory, /var/lib/vigie, the unit and its
#	   enablement link; the lists of files under /etc, /var/lib,
#	   /var/spool/postfix, /lib/systemd and /usr and the user and group
#	   databases are as they were before the test.
#
#	This changes the machine while it runs (a package, a user) and puts
#	it back: cleanup purges the package even when a check failed. A
#	vigie user or socket directory that existed before is left alone
#	(the package only removes what it created) and noted.
#
#	Prints "ok - ..." / "not ok - ... (got X, want Y)" per check and
#	"N passed, M failed" last; exits 1 when a check failed, 77 (with the
#	reason) when it cannot run: not root, no dpkg-buildpackage or
#	debhelper, or a vigie package already installed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
# ok / not_ok / check_eq / check_match, skip, finish
# shellcheck source=tests/lib.sh
. tests/lib.sh
# The private Postfix of the end-to-end tests (pf_setup, swaks_send, ...).
if [ -f tests/e2e/lib.sh ]; then
	# shellcheck source=../e2e/lib.sh
	. tests/e2e/lib.sh
fi
INSTALLED=0
VPID=""
SOCK=/var/spool/postfix/vigie/vigie.sock
UNIT=/lib/systemd/system/vigie.service

note() { echo "# $*"; }

[ "$(id -u)" -eq 0 ] || skip "not root (installs and purges a package)"
command -v dpkg-buildpackage >/dev/null || skip "dpkg-buildpackage not found (apt-get install dpkg-dev)"
command -v dh >/dev/null || skip "debhelper not found (apt-get install debhelper)"
if dpkg-query -W -f='${Status}' vigie 2>/dev/null | grep -q 'ok installed\|config-files'; then
	skip "a vigie package is already installed: not touching it (dpkg --purge vigie first)"
fi

T=$(mktemp -d /tmp/vigie-pkgtest.XXXXXX) || exit 2
chmod 0755 "$T"

# snapshot - what must be the same before and after: file names, users, groups
snapshot() {
	{
		find /etc /var/lib /var/spool/postfix /lib/systemd /usr/sbin /usr/bin \
			/usr/share/man /usr/share/doc -xdev \
			\( -path /var/lib/dpkg -o -path /var/lib/apt -o -path /var/lib/ucf \
			-o -path /var/lib/man-db -o -path /etc/ld.so.cache \
			-o -path /var/lib/lintian -o -path /var/lib/postfix \) -prune -o -print 2>/dev/null
		getent passwd | cut -d: -f1,3,4,6,7
		getent group
	} | sort
}

# cleanup - stop what we started, purge what we installed (EXIT trap)
cleanup() {
	local rc=$?
	trap - EXIT
	[ -n "$VPID" ] && kill -KILL "$VPID" 2>/dev/null
	if [ -n "${PF_MASTER_PID:-}" ] && declare -F pf_stop >/dev/null; then
		pf_stop >/dev/null 2>&1
	fi
	if [ "$INSTALLED" = 1 ] &&
	    dpkg-query -W -f='${Status}' vigie 2>/dev/null | grep -q 'installed\|config-files'; then
		note "cleanup: purging the vigie package"
		dpkg --purge vigie >/dev/null 2>&1
	fi
	if [ "${VIGIE_PKG_KEEP:-0}" = 1 ]; then note "kept $T"; else rm -rf "$T"; fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USER_BEFORE=$(getent passwd vigie)
[ -n "$USER_BEFORE" ] && note "a user vigie existed before the test: the package must leave it in place"
DIR_BEFORE=$([ -e /var/spool/postfix/vigie ] && echo yes)
[ -n "$DIR_BEFORE" ] && note "/var/spool/postfix/vigie existed before the test: the package must leave it in place"
HAVE_POSTFIX=$([ -d /var/spool/postfix ] && getent group postfix >/dev/null && echo yes)
snapshot >"$T/before"

echo "# 1. build and lint"
if make -s deb >"$T/deb.log" 2>&1; then ok "make deb"; else not_ok "make deb" "exit $? ($(tail -n 3 "$T/deb.log" | tr '\n' '|'))" "exit 0"; fi
DEB=$(tail -n 1 "$T/deb.log")
[ -f "$DEB" ] || { not_ok "the .deb exists" "'$DEB'" "build/deb/vigie_*.deb"; finish; }
check_match "package name and version" "$(basename "$DEB")" '^vigie_[0-9.]+-[0-9]+_[a-z0-9]+\.deb$'
if command -v lintian >/dev/null; then
	lintian --pedantic -I "$DEB" >"$T/lintian.log" 2>&1
	sed 's/^/#   /' "$T/lintian.log"
	check_eq "lintian: no errors" "$(grep -c '^E:' "$T/lintian.log")" 0
else
	note "lintian not installed: lint check skipped (apt-get install lintian)"
fi
check_match "Depends has publicsuffix and the shared libraries" \
	"$(dpkg-deb -f "$DEB" Depends)" 'publicsuffix.*libmilter1.0.1|libmilter1.0.1.*publicsuffix'

echo "# 2. install"
INSTALLED=1
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$DEB" >"$T/install.log" 2>&1; then
	ok "apt-get install ./$(basename "$DEB")"
else
	not_ok "apt-get install" "$(tail -n 3 "$T/install.log" | tr '\n' '|')" "exit 0"
	finish
fi
for f in /usr/sbin/vigie-milter /usr/bin/vigie-scan /usr/sbin/vigie-quarantine /usr/bin/vigie-report; do
	check_eq "$f installed, executable" "$([ -x "$f" ] && echo yes)" yes
done
check_match "installed vigie-quarantine runs (python3 is a dependency)" \
	"$(/usr/sbin/vigie-quarantine --version 2>&1)" '^vigie-quarantine [0-9]'
check_match "installed vigie-report reads a log" \
	"$(/usr/bin/vigie-report tests/report/sample.log 2>&1)" '^vigie report for 2026-12-01: 8 messages'
CONFFILES=$(dpkg-query -W -f='${Conffiles}\n' vigie | awk 'NF {print $1}' | sort | tr '\n' ' ')
check_eq "conffiles" "$CONFFILES" "/etc/vigie/rules/auth.rules /etc/vigie/rules/fr-health.rules /etc/vigie/vigie.conf "
check_match "installed vigie.conf runs as user vigie" "$(grep -E '^[[:space:]]*user[[:space:]]*=' /etc/vigie/vigie.conf)" '"vigie"'
for m in /usr/share/man/man8/vigie-milter.8.gz /usr/share/man/man1/vigie-scan.1.gz \
    /usr/share/man/man5/vigie.conf.5.gz /usr/share/man/man8/vigie-quarantine.8.gz \
    /usr/share/man/man1/vigie-report.1.gz; do
	check_eq "man page $m" "$([ -f "$m" ] && echo yes)" yes
done
check_eq "man vigie.conf renders" "$(MANWIDTH=80 man -l /usr/share/man/man5/vigie.conf.5.gz 2>&1 >/dev/null | head -n 3)" ""
check_eq "README in /usr/share/doc/vigie" "$(ls /usr/share/doc/vigie/README* >/dev/null 2>&1 && echo yes)" yes
check_eq "systemd unit installed" "$([ -f "$UNIT" ] && echo yes)" yes
check_match "user vigie exists" "$(getent passwd vigie)" '^vigie:x:[0-9]+:[0-9]+:.*:/nonexistent:'
if [ -n "$HAVE_POSTFIX" ]; then
	check_match "user vigie is in group postfix" "$(id -Gn vigie)" '(^| )postfix( |$)'
	check_eq "socket directory owner, group, mode" \
		"$(stat -c '%U:%G %a' /var/spool/postfix/vigie 2>&1)" "vigie:postfix 2750"
else
	note "no Postfix here: user and socket directory checks for Postfix skipped"
fi

echo "# 3. configuration and unit"
OUT=$(/usr/sbin/vigie-milter -n -c /etc/vigie/vigie.conf 2>"$T/n.err")
check_eq "vigie-milter -n -c /etc/vigie/vigie.conf: exit status" "$?" 0
check_match "vigie-milter -n: OK line" "$OUT" '^/etc/vigie/vigie.conf: OK, [0-9]+ rules, [0-9]+ brands'
PHISH=$(ls tests/corpus/phish/001-*.eml 2>/dev/null | head -n 1)
check_match "the package starts in monitor mode" \
	"$(grep '^mode' /etc/vigie/vigie.conf)" '^mode = "monitor";'
if [ -n "$PHISH" ]; then
	check_match "installed vigie-scan, monitor mode: tags $(basename "$PHISH"), would reject" \
		"$(/usr/bin/vigie-scan "$PHISH" 2>&1)" ' tag [0-9.]+ .* monitor=reject$'
	# README.Debian's one-line switch to enforce, on a copy
	sed 's/^mode = "monitor";/mode = "enforce";/' /etc/vigie/vigie.conf >/etc/vigie/enforce-test.conf
	check_match "README.Debian's switch to enforce: the lure is rejected" \
		"$(/usr/bin/vigie-scan -c /etc/vigie/enforce-test.conf "$PHISH" 2>&1)" ' reject [0-9.]+ '
	rm -f /etc/vigie/enforce-test.conf
fi
if command -v systemd-analyze >/dev/null; then
	VERIFY=$(systemd-analyze verify "$UNIT" 2>&1)
	RC=$?
	[ -n "$VERIFY" ] && printf '%s\n' "$VERIFY" | sed 's/^/#   /'
	check_eq "systemd-analyze verify $UNIT" "$RC" 0
else
	note "systemd-analyze not available: unit verification skipped"
fi

echo "# 4. the installed daemon, started as the unit starts it"
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
U=$(sed -n 's/^User=//p' "$UNIT")
G=$(sed -n 's/^Group=//p' "$UNIT")
UM=$(sed -n 's/^UMask=//p' "$UNIT")
check_eq "unit ExecStart" "$EXEC" "/usr/sbin/vigie-milter -f -c /etc/vigie/vigie.conf"
if [ -z "$HAVE_POSTFIX" ]; then
	note "no /var/spool/postfix: the daemon cannot use the default socket; run checks skipped"
else
	# shellcheck disable=SC2086
	(umask "${UM:-0007}"; cd / && exec setpriv --reuid="$U" --regid="$G" --init-groups $EXEC) \
		</dev/null >"$T/milter.log" 2>&1 &
	VPID=$!
	for _ in $(seq 1 100); do
		[ -S "$SOCK" ] && break
		kill -0 "$VPID" 2>/dev/null || break
		sleep 0.1
	done
	check_eq "daemon listening on $SOCK" "$([ -S "$SOCK" ] && echo yes)" yes
	check_eq "daemon runs as user vigie" "$(ps -o user= -p "$VPID" 2>/dev/null | tr -d ' ')" vigie
	check_eq "socket owner, group, mode" "$(stat -c '%U:%G %a' "$SOCK" 2>&1)" "vigie:postfix 660"

	if command -v miltertest >/dev/null; then
		MT=$(miltertest -D sock="unix:$SOCK" -s tests/package/status.lua 2>&1)
		RC=$?
		printf '%s\n' "$MT" | sed 's/^/#   /'
		check_eq "miltertest: clean message gets X-Vigie-Status" "$RC" 0
	else
		note "miltertest not installed: protocol check skipped"
	fi

	# Through a real Postfix: the private instance of tests/e2e/lib.sh,
	# its smtpd (user postfix, not root) pointed at the package's socket.
	if command -v swaks >/dev/null && command -v postfix >/dev/null &&
	    declare -F pf_setup >/dev/null && declare -F pf_start >/dev/null &&
	    declare -F swaks_send >/dev/null && declare -F wait_delivered >/dev/null &&
	    declare -F msg_header >/dev/null; then
		# in a subshell: the harness exits when it cannot start
		(pf_setup && postconf -c "$PF_CFG" -e "smtpd_milters = unix:$SOCK" &&
		    pf_start) >"$T/pf.log" 2>&1
		[ -s "$T/spool/pid/master.pid" ] && PF_MASTER_PID=$(awk '{print $1; exit}' "$T/spool/pid/master.pid")
		PF_CFG=$T/postfix
		PF_PORT=$(awk -F'[: \t]+' '/^127\.0\.0\.1:[0-9]+ / {print $2; exit}' "$PF_CFG/master.cf" 2>/dev/null)
		if [ -n "${PF_MASTER_PID:-}" ] && [ -n "$PF_PORT" ]; then
			cat >"$T/clean.eml" <<-EOF
			From: Pkg Test <pkg@example.org>
			To: pkgclean@$PF_DOMAIN
			Subject: Lunch on Friday
			Date: $(date -R)
			Message-ID: <pkgclean.$$@example.org>
			MIME-Version: 1.0
			Content-Type: text/plain; charset=us-ascii

			Shall we meet at noon? Nothing to see here.
			EOF
			swaks_send "$T/clean.swaks" --from pkg@example.org --to "pkgclean@$PF_DOMAIN" --data "$T/clean.eml"
			check_match "Postfix: clean message accepted (250)" "$(swaks_final_reply "$T/clean.swaks")" '^250 '
			F=$(wait_delivered pkgclean 15) || F=""
			check_eq "Postfix: clean message delivered" "$([ -n "$F" ] && echo yes)" yes
			check_match "Postfix: X-Vigie-Status added by the installed daemon" \
				"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status)" '^accept score=[0-9.]+'
			if [ -n "$PHISH" ]; then
				swaks_send "$T/phish.swaks" --from pkg@example.org --to "pkgphish@$PF_DOMAIN" --data "$PHISH"
				check_match "Postfix, monitor mode: $(basename "$PHISH") accepted (250)" \
					"$(swaks_final_reply "$T/phish.swaks")" '^250 '
				F=$(wait_delivered pkgphish 15) || F=""
				check_match "Postfix, monitor mode: X-Vigie-Status says it would reject" \
					"$([ -n "$F" ] && msg_header "$F" X-Vigie-Status)" '^tag score=[0-9.]+ monitor=reject'
			fi
			wait_queue_settled 10
			check_eq "Postfix: nothing left in its queues (nothing dropped or stuck)" \
				"$(queue_all | grep -v '^hold:' | tr '\n' ' ')" ""
		else
			not_ok "private Postfix started" "$(tail -n 5 "$T/pf.log" | tr '\n' '|')" "a running instance"
		fi
	else
		note "tests/e2e/lib.sh (or postfix, swaks) not usable: the Postfix check is skipped; miltertest covered the protocol"
	fi

	kill -HUP "$VPID" 2>/dev/null
	for _ in $(seq 1 50); do grep -q 'reloaded' "$T/milter.log" && break; sleep 0.1; done
	check_match "SIGHUP: reloaded, still running" \
		"$(grep -o 'reloaded [^:]*' "$T/milter.log" | tail -n 1) $(kill -0 "$VPID" 2>/dev/null && echo alive)" 'reloaded .* alive$'
	kill -TERM "$VPID" 2>/dev/null
	RC=timeout
	for _ in $(seq 1 100); do
		if ! kill -0 "$VPID" 2>/dev/null; then wait "$VPID"; RC=$?; break; fi
		sleep 0.1
	done
	check_eq "SIGTERM: exit status" "$RC" 0
	VPID=""
	sed 's/^/#   milter: /' "$T/milter.log" | tail -n 8
	if declare -F pf_stop >/dev/null && [ -n "${PF_MASTER_PID:-}" ]; then
		pf_stop >/dev/null 2>&1
		PF_MASTER_PID=""
	fi
fi

echo "# 5. purge"
if dpkg --purge vigie >"$T/purge.log" 2>&1; then ok "dpkg --purge vigie"; else not_ok "dpkg --purge vigie" "$(tail -n 3 "$T/purge.log" | tr '\n' '|')" "exit 0"; fi
INSTALLED=0
check_eq "dpkg knows no vigie any more" "$(dpkg-query -W -f='${Status}' vigie 2>/dev/null)" ""
for f in /usr/sbin/vigie-milter /usr/bin/vigie-scan /usr/sbin/vigie-quarantine \
    /usr/bin/vigie-report /etc/vigie "$UNIT" /var/lib/vigie \
    /etc/systemd/system/multi-user.target.wants/vigie.service; do
	check_eq "gone: $f" "$([ -e "$f" ] && echo present)" ""
done
if [ -n "$USER_BEFORE" ]; then
	check_eq "user vigie (there before the test) left as it was" "$(getent passwd vigie)" "$USER_BEFORE"
else
	check_eq "gone: user vigie" "$(getent passwd vigie)" ""
	check_eq "gone: group vigie" "$(getent group vigie)" ""
fi
if [ -n "$DIR_BEFORE" ]; then
	check_eq "/var/spool/postfix/vigie (there before the test) left in place" "$([ -d /var/spool/postfix/vigie ] && echo yes)" yes
else
	check_eq "gone: /var/spool/postfix/vigie" "$([ -e /var/spool/postfix/vigie ] && echo present)" ""
fi
snapshot >"$T/after"
DIFF=$(diff "$T/before" "$T/after")
[ -n "$DIFF" ] && printf '%s\n' "$DIFF" | head -n 20 | sed 's/^/#   /'
check_eq "nothing else left behind (files, users, groups as before)" "$(printf '%s' "$DIFF" | wc -l)" 0

finish

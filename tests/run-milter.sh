#!/bin/sh
# run-milter.sh - run vigie-milter in the foreground for the system Postfix
# (make run), and undo what that set up (make uninstall).
#
# SYNOPSIS
#	make run		(installs packages and builds first)
#	sh tests/run-milter.sh [vigie-milter options...]
#	sh tests/run-milter.sh --setup-only
#	sh tests/run-milter.sh --uninstall	(make uninstall)
#
# DESCRIPTION
#	Prepares what config/vigie.conf expects, prints the lines of the one
#	Postfix recipe (packaging/postfix/main.cf.snippet) to add to main.cf,
#	then execs build/vigie-milter -f -c config/vigie.conf (logs on stderr;
#	^C stops it). As root it makes sure of:
#
#	  user vigie	a system user whose primary group is postfix, so the
#			socket (mode 0660, group of the daemon) is reachable
#			by Postfix's smtpd, chrooted or not;
#	  /var/spool/postfix/vigie	owned vigie:postfix, mode 2750 (setgid:
#			the socket inherits group postfix);
#	  /etc/postfix/main.cf	only when there is none (Debian's Postfix
#			installed with "No configuration", as packaging/deps.sh
#			does, has none, and `postconf -e` then fails): a minimal
#			local-only one, marked as made here. An existing main.cf
#			is never changed.
#
#	  /etc/aliases.db	only when there is none (same reason): built
#			with postalias, as Postfix's own set-up would; left
#			in place by --uninstall (it is Postfix's file).
#
#	--setup-only stops after that; --uninstall (refused while a process of
#	the user vigie it made runs: userdel would fail half-way) removes the spool
#	directory, the user vigie when this script made it, and main.cf
#	when it is still the one this script wrote.
#
# ENVIRONMENT
#	VIGIE_POSTFIX_DIR	Postfix's configuration directory (/etc/postfix)
#	VIGIE_SPOOL		Postfix's queue directory (/var/spool/postfix)
#	VIGIE_ALIASES		the aliases file of the minimal main.cf (/etc/aliases)
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MILTER=$ROOT/build/vigie-milter
CONF=$ROOT/config/vigie.conf
RECIPE=$ROOT/packaging/postfix/main.cf.snippet
PFDIR=${VIGIE_POSTFIX_DIR:-/etc/postfix}
SPOOL=${VIGIE_SPOOL:-/var/spool/postfix}
SOCKDIR=$SPOOL/vigie
ALIASES=${VIGIE_ALIASES:-/etc/aliases}
MARK="# Minimal local-only Postfix configuration written by vigie's make run"
USER_COMMENT="vigie milter (make run)"

# minimal_main_cf - a main.cf that delivers nothing beyond this host
minimal_main_cf() {
	cat <<-EOF
	$MARK
	# (there was none). make uninstall removes this file while its first
	# line is the one above: delete that line to keep the file.
	compatibility_level = 3.6
	myhostname = $(hostname -f 2>/dev/null || hostname)
	mydestination = \$myhostname, localhost
	inet_interfaces = loopback-only
	inet_protocols = all
	mynetworks_style = host
	alias_maps = hash:$ALIASES
	alias_database = hash:$ALIASES
	EOF
}

# setup - the user, the socket directory and, if none, a main.cf
setup() {
	if ! getent group postfix >/dev/null; then
		echo "run-milter: no group postfix: install Postfix first (packaging/deps.sh)" >&2
		exit 1
	fi
	if ! getent passwd vigie >/dev/null; then
		echo "run-milter: creating system user vigie (group postfix)"
		useradd --system --gid postfix --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin --comment "$USER_COMMENT" vigie
	elif ! id -Gn vigie | tr ' ' '\n' | grep -qx postfix; then
		echo "run-milter: adding user vigie to group postfix"
		usermod -a -G postfix vigie
	fi
	mkdir -p "$SOCKDIR"
	chown vigie:postfix "$SOCKDIR"
	chmod 2750 "$SOCKDIR"	# setgid: the socket gets group postfix
	if [ ! -e "$PFDIR/main.cf" ]; then
		mkdir -p "$PFDIR"
		minimal_main_cf >"$PFDIR/main.cf"
		echo "run-milter: there was no $PFDIR/main.cf: wrote a minimal local-only one" \
			"(make uninstall removes it)"
	fi
	# Postfix installed with "No configuration" has no aliases.db either:
	# without it smtpd answers every local recipient 451 (lookup failure).
	if [ ! -e "$ALIASES.db" ] && [ -f "$ALIASES" ]; then
		postalias -c "$PFDIR" "hash:$ALIASES"
		echo "run-milter: there was no $ALIASES.db: built it (postalias $ALIASES)"
	fi
}

# uninstall - undo setup, leaving alone what this script did not make
uninstall() {
	if [ "$(getent passwd vigie | cut -d: -f5)" = "$USER_COMMENT" ] &&
		pgrep -u vigie >/dev/null 2>&1; then
		echo "run-milter: processes of user vigie are running (pgrep -u vigie):" \
			"stop vigie-milter first (^C in make run), then make uninstall again" >&2
		exit 1
	fi
	rm -rf "$SOCKDIR"
	echo "run-milter: removed $SOCKDIR"
	if [ "$(getent passwd vigie | cut -d: -f5)" = "$USER_COMMENT" ]; then
		userdel vigie
		echo "run-milter: removed user vigie"
	fi
	if [ -f "$PFDIR/main.cf" ] && [ "$(head -n 1 "$PFDIR/main.cf")" = "$MARK" ]; then
		rm -f "$PFDIR/main.cf"
		echo "run-milter: removed the $PFDIR/main.cf it had written"
	fi
}

if [ "${1:-}" = --uninstall ]; then
	[ "$(id -u)" -eq 0 ] || { echo "run-milter: --uninstall needs root" >&2; exit 1; }
	uninstall
	exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
	setup
else
	echo "run-milter: not root: assuming user vigie and $SOCKDIR exist (see this script)" >&2
fi
[ "${1:-}" = --setup-only ] && exit 0
[ -x "$MILTER" ] || { echo "run-milter: $MILTER not built (make)" >&2; exit 1; }

echo "Add to Postfix's main.cf, then: postfix reload (postfix start if it is not running yet," \
	"as after an install with \"No configuration\"; comments in $RECIPE):"
echo
grep '^[a-z]' "$RECIPE" | sed "s/^\([a-z_]*\) = \(.*\)/    postconf -e '\1 = \2'/"
echo
echo "Starting: $MILTER -f -c $CONF $*"
exec "$MILTER" -f -c "$CONF" "$@"

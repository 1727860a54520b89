#!/bin/sh
# run-milter.sh - run vigie-milter in the foreground for the system Postfix (make run).
#
# SYNOPSIS
#	make run		(installs packages and builds first)
#	sh tests/run-milter.sh [vigie-milter options...]
#
# DESCRIPTION
#	Prepares what config/vigie.conf expects, prints the lines to add to
#	Postfix's main.cf, then execs build/vigie-milter -f -c config/vigie.conf
#	(logs on stderr; ^C stops it). As root it makes sure of:
#
#	  user vigie	a system user whose primary group is postfix, so the
#			socket (mode 0660, group of the daemon) is reachable
#			by Postfix's smtpd, chrooted or not;
#	  /var/spool/postfix/vigie	owned vigie:postfix, mode 2750 (setgid:
#			the socket inherits group postfix).
#
#	The system Postfix's own configuration is never changed here.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
MILTER=$ROOT/build/vigie-milter
CONF=$ROOT/config/vigie.conf
SPOOL=/var/spool/postfix
SOCKDIR=$SPOOL/vigie

[ -x "$MILTER" ] || { echo "run-milter: $MILTER not built (make)" >&2; exit 1; }

if [ "$(id -u)" -eq 0 ]; then
	if ! getent group postfix >/dev/null; then
		echo "run-milter: no group postfix: install Postfix first (packaging/deps.sh)" >&2
		exit 1
	fi
	if ! getent passwd vigie >/dev/null; then
		echo "run-milter: creating system user vigie (group postfix)"
		useradd --system --gid postfix --no-create-home --home-dir /nonexistent \
			--shell /usr/sbin/nologin --comment "vigie milter" vigie
	elif ! id -Gn vigie | tr ' ' '\n' | grep -qx postfix; then
		echo "run-milter: adding user vigie to group postfix"
		usermod -a -G postfix vigie
	fi
	mkdir -p "$SOCKDIR"
	chown vigie:postfix "$SOCKDIR"
	chmod 2750 "$SOCKDIR"	# setgid: the socket gets group postfix
else
	echo "run-milter: not root: assuming user vigie and $SOCKDIR exist (see this script)" >&2
fi

cat <<EOF
Add to Postfix's main.cf (postconf -e ..., then: postfix reload):

    # vigie: scan mail received by SMTP (smtpd) and local submissions.
    # Postfix daemons run in the queue directory ($SPOOL), chrooted
    # there or not, so this relative path works for both.
    smtpd_milters = unix:vigie/vigie.sock
    non_smtpd_milters = \$smtpd_milters
    milter_protocol = 6
    # What Postfix does when vigie is down or times out: "accept" lets
    # mail through unscanned; "tempfail" makes senders retry (no mail is
    # lost, but none arrives while vigie is down). Pick one knowingly.
    milter_default_action = accept
    milter_connect_timeout = 10s
    milter_command_timeout = 30s
    milter_content_timeout = 120s

Starting: $MILTER -f -c $CONF $*
EOF
exec "$MILTER" -f -c "$CONF" "$@"

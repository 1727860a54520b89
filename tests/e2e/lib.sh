# lib.sh - a private Postfix instance and a vigie-milter, for end-to-end tests
# (it sources tests/lib.sh, the result counter every suite shares).
#
# SYNOPSIS
#	. tests/e2e/lib.sh		(from bash; the scripts re-exec bash)
#	e2e_init			temp dir, cleanup trap (skips when not root)
#	pf_setup; pf_start		private Postfix on 127.0.0.1:$PF_PORT
#	pf_instance_lines, pf_service_lines, pf_check_config
#					the parts of pf_setup another instance
#					(bench/postfix.sh) shares
#	milter_start CONF [ARGS...]	vigie-milter -f on $MILTER_SOCK
#	swaks_send OUT ARGS...		swaks against the private Postfix
#	mkmsg FILE BOX SUBJECT BODY [HEADER...]
#					a plain-text message to BOX@$PF_DOMAIN
#					from $MSG_FROM
#	send FILE [SWAKS-ARGS...]	swaks FILE from $ENV_FROM to its To: box;
#					sets OUT, RC, QID, REPLY
#	wait_delivered BOX [SECS]	path of the first message delivered to BOX
#	ok / not_ok / check_eq ...	result lines and finish, from tests/lib.sh
#
#	Exit status of a script using it: 0 all passed, 1 a check failed,
#	2 the harness could not start ("Bail out!"), 77 skipped (not root).
#
# DESCRIPTION
#	Everything lives under one temp dir $T (mktemp, mode 0755 so that
#	the unprivileged Postfix daemons and the virtual(8) delivery user
#	can reach it):
#
#	  $T/postfix/	config_directory: main.cf, master.cf
#	  $T/spool/	queue_directory (made by "postfix check")
#	  $T/data/	data_directory
#	  $T/mail/inbox/	one Maildir for all of @vigie-test.example (nobody's)
#	  $T/milter/	vigie.sock (the milter runs as root here)
#	  $T/postfix.log	Postfix's own log (maillog_file, via postlogd)
#	  $T/milter.log	vigie-milter's stderr (-f)
#
#	The instance listens only on 127.0.0.1:$PF_PORT, runs nothing
#	chrooted, delivers every BOX@vigie-test.example with virtual(8)
#	into the Maildir $T/mail/inbox/ (virtual(8) forbids regexp
#	substitutions in its maps, hence one mailbox; a message is found by
#	the Delivered-To: BOX@... line that virtual(8) prepends, so give
#	every case its own BOX) and sends nothing anywhere else (all other
#	transports are error:). The system Postfix and /etc/postfix are
#	never written: /etc/postfix is only read as meta_directory
#	(postfix-files, dynamicmaps.cf).
#
#	Every wait polls with a bound. e2e_cleanup, run from the EXIT trap,
#	stops the milter and the private Postfix (by their pids) even when
#	a test failed, and removes $T unless VIGIE_E2E_KEEP=1.
#
# ENVIRONMENT
#	VIGIE_MILTER	the daemon (default: $VIGIE_ROOT/build/vigie-milter)
#	VIGIE_E2E_KEEP	1: keep the temp dir for inspection
#	VIGIE_E2E_VERBOSE 1: show log tails even when all checks passed

VIGIE_ROOT=${VIGIE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# ok, not_ok, check_eq, check_match, skip, finish: the counting part
# shellcheck source=tests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
VIGIE_MILTER=${VIGIE_MILTER:-$VIGIE_ROOT/build/vigie-milter}
E2E_DIR=$VIGIE_ROOT/tests/e2e
PF_DOMAIN=vigie-test.example
# the From field mkmsg writes and the envelope sender send gives (a test
# may set them for one call: MSG_FROM=... mkmsg ...)
MSG_FROM="E2E Sender <e2e@example.org>"
ENV_FROM=e2e@example.org

T=""
PF_CFG=""
PF_PORT=""
PF_MASTER_PID=""
MILTER_PID=""
MILTER_SOCK=""

# e2e_log - a diagnostic line on stderr
e2e_log() {
	echo "# $*" >&2
}

# e2e_die - a broken harness: no point going on
e2e_die() {
	echo "Bail out! $*" >&2
	exit 2
}

# e2e_init - temp dir, cleanup trap; dies when a tool is missing
e2e_init() {
	local tool
	[ "$(id -u)" -eq 0 ] || skip "not root (a private Postfix instance must be started as root)"
	for tool in postfix postconf postqueue postsuper swaks; do
		command -v "$tool" >/dev/null 2>&1 || e2e_die "$tool not found (run packaging/deps.sh)"
	done
	T=$(mktemp -d /tmp/vigie-e2e.XXXXXX) || e2e_die "mktemp failed"
	chmod 0755 "$T"
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
}

# e2e_cleanup - stop what we started and remove the temp dir (EXIT trap)
e2e_cleanup() {
	local rc=$?
	trap - EXIT
	milter_stop >/dev/null 2>&1 || true
	pf_stop >/dev/null 2>&1 || true
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$TEST_FAILED" -ne 0 ] || [ "$rc" -ne 0 ] || [ "${VIGIE_E2E_VERBOSE:-0}" = 1 ]; then
			e2e_show_logs
		fi
		if [ "${VIGIE_E2E_KEEP:-0}" = 1 ]; then
			e2e_log "kept $T"
		else
			rm -rf "$T"
		fi
	fi
	exit "$rc"
}

# e2e_show_logs - the ends of the milter and Postfix logs, for diagnosis
e2e_show_logs() {
	local f
	for f in "$T/milter.log" "$T/postfix.log" "$T/postfix-ctl.log"; do
		[ -s "$f" ] || continue
		e2e_log "---- last lines of $f"
		tail -n 40 "$f" | sed 's/^/#   /' >&2
	done
}

# wait_for - poll a shell command until it succeeds: wait_for SECS CMD...
wait_for() {
	local secs=$1 i=0
	shift
	while [ "$i" -lt $((secs * 10)) ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# port_is_free - nothing listens on 127.0.0.1:PORT
port_is_free() {
	[ -z "$(ss -Hltn "sport = :$1" 2>/dev/null)" ] &&
		! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# pick_port - a free loopback port from 20025-29999, starting at random
pick_port() {
	local p i
	p=$((20025 + (RANDOM % 9900)))
	for i in $(seq 0 200); do
		if port_is_free "$((p + i))"; then
			echo "$((p + i))"
			return 0
		fi
	done
	return 1
}

# pf_setup - write the private instance's main.cf and master.cf
pf_setup() {
	local uid gid
	PF_CFG=$T/postfix
	PF_PORT=$(pick_port) || e2e_die "no free port on 127.0.0.1"
	MILTER_SOCK=$T/milter/vigie.sock
	uid=$(id -u nobody)
	gid=$(id -g nobody)
	mkdir -p "$PF_CFG" "$T/spool" "$T/data" "$T/mail" "$T/milter"
	chmod 0755 "$T/milter"
	chown "$uid:$gid" "$T/mail"
	chown postfix "$T/data"
	: >"$T/postfix.log"

	{
	pf_instance_lines "end-to-end tests" tests/e2e/lib.sh e2e
	cat <<-EOF

	myhostname = mx.$PF_DOMAIN
	mydomain = $PF_DOMAIN
	myorigin = \$myhostname
	inet_interfaces = 127.0.0.1
	inet_protocols = ipv4
	mynetworks = 127.0.0.0/8
	smtpd_banner = \$myhostname ESMTP vigie-e2e
	biff = no
	append_dot_mydomain = no

	# Nothing leaves this instance and nothing goes to local users.
	mydestination =
	local_recipient_maps =
	relay_domains =
	relayhost =
	alias_maps =
	alias_database =
	local_transport = error:5.1.1 no local delivery in the vigie test instance
	default_transport = error:5.4.4 no outbound mail from the vigie test instance
	relay_transport = error:5.4.4 no outbound mail from the vigie test instance
	smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
	virtual_mailbox_domains = $PF_DOMAIN
	virtual_mailbox_base = $T/mail
	virtual_mailbox_maps = static:inbox/
	virtual_uid_maps = static:$uid
	virtual_gid_maps = static:$gid

	# Fast failures for tests: no penalty sleeps, no flow-control delays.
	smtpd_error_sleep_time = 0s
	in_flow_delay = 0s

	# The milter under test, wired as the README says.
	EOF
	pf_recipe_lines
	} >"$PF_CFG/main.cf"

	{
	echo "127.0.0.1:$PF_PORT inet n -       n       -       -       smtpd"
	pf_service_lines
	} >"$PF_CFG/master.cf"
	pf_check_config
}

# pf_recipe_lines - the one Postfix recipe (packaging/postfix/main.cf.snippet)
# with the socket of the milter under test
pf_recipe_lines() {
	grep '^[a-z]' "$VIGIE_ROOT/packaging/postfix/main.cf.snippet" |
	    sed "s|unix:vigie/vigie.sock|unix:$MILTER_SOCK|"
}

# pf_instance_lines - the main.cf lines every private instance shares
# (where it lives, who runs it, where it logs): WHAT, SCRIPT, SYSLOG_TAG
pf_instance_lines() {
	cat <<-EOF
	# Private Postfix instance for vigie's $1 (generated by
	# $2; removed with its temp dir).
	compatibility_level = 3.6
	queue_directory = $T/spool
	data_directory = $T/data
	meta_directory = /etc/postfix
	mail_owner = postfix
	setgid_group = postdrop
	syslog_name = postfix-vigie-$3
	maillog_file = $T/postfix.log
	maillog_file_prefixes = $T
	EOF
}

# pf_service_lines - master.cf's services but smtpd: Debian's
# master.cf.proto, every service unchrooted
pf_service_lines() {
	cat <<-EOF
	pickup    unix  n       -       n       60      1       pickup
	cleanup   unix  n       -       n       -       0       cleanup
	qmgr      unix  n       -       n       300     1       qmgr
	rewrite   unix  -       -       n       -       -       trivial-rewrite
	bounce    unix  -       -       n       -       0       bounce
	defer     unix  -       -       n       -       0       bounce
	trace     unix  -       -       n       -       0       bounce
	verify    unix  -       -       n       -       1       verify
	flush     unix  n       -       n       1000?   0       flush
	proxymap  unix  -       -       n       -       -       proxymap
	proxywrite unix -       -       n       -       1       proxymap
	smtp      unix  -       -       n       -       -       smtp
	relay     unix  -       -       n       -       -       smtp
	showq     unix  n       -       n       -       -       showq
	error     unix  -       -       n       -       -       error
	retry     unix  -       -       n       -       -       error
	discard   unix  -       -       n       -       -       discard
	local     unix  -       n       n       -       -       local
	virtual   unix  -       n       n       -       -       virtual
	lmtp      unix  -       -       n       -       -       lmtp
	anvil     unix  -       -       n       -       1       anvil
	scache    unix  -       -       n       -       1       scache
	postlog   unix-dgram n  -       n       -       1       postlogd
	EOF
}

# pf_check_config - postconf reads the instance's configuration, or bail out
pf_check_config() {
	postconf -c "$PF_CFG" >/dev/null 2>"$T/postfix-ctl.log" ||
		e2e_die "postconf -c $PF_CFG failed: $(cat "$T/postfix-ctl.log")"
}

# pf_listening - the private smtpd answers with its banner
pf_listening() {
	local line
	# (a bare "exec ... 2>/dev/null" would silence the whole script)
	{ exec 3<>"/dev/tcp/127.0.0.1/$PF_PORT"; } 2>/dev/null || return 1
	read -r -t 2 line <&3
	printf 'QUIT\r\n' >&3
	exec 3<&- 3>&-
	case $line in 220*) return 0 ;; esac
	return 1
}

# pf_start - check and start the private instance, wait for its banner
pf_start() {
	postfix -c "$PF_CFG" check >>"$T/postfix-ctl.log" 2>&1 ||
		e2e_die "postfix check failed: $(tail -n 5 "$T/postfix-ctl.log")"
	postfix -c "$PF_CFG" start >>"$T/postfix-ctl.log" 2>&1 ||
		e2e_die "postfix start failed: $(tail -n 5 "$T/postfix-ctl.log")"
	wait_for 10 test -s "$T/spool/pid/master.pid" || e2e_die "no master.pid"
	PF_MASTER_PID=$(awk '{print $1; exit}' "$T/spool/pid/master.pid")
	wait_for 15 pf_listening || e2e_die "private Postfix not answering on 127.0.0.1:$PF_PORT"
	e2e_log "private Postfix (master pid $PF_MASTER_PID) on 127.0.0.1:$PF_PORT, dir $T"
}

# pf_stop - stop the private instance; its process group is gone afterwards
pf_stop() {
	[ -n "$PF_MASTER_PID" ] || return 0
	postfix -c "$PF_CFG" stop >>"$T/postfix-ctl.log" 2>&1 || true
	# "postfix stop" waits up to 5 s then kills master's group; make sure.
	if ! wait_for 8 pf_gone; then
		kill -KILL -- "-$PF_MASTER_PID" 2>/dev/null || true
		wait_for 3 pf_gone || true
	fi
	PF_MASTER_PID=""
}

# pf_gone - no process is left in the master's process group
pf_gone() {
	! pgrep -g "$PF_MASTER_PID" >/dev/null 2>&1
}

# milter_alive - the milter we started is still running
milter_alive() {
	[ -n "$MILTER_PID" ] && kill -0 "$MILTER_PID" 2>/dev/null
}

# milter_ready - the socket exists (the milter has called smfi_main)
milter_ready() {
	milter_alive || return 2
	[ -S "$MILTER_SOCK" ]
}

# milter_start - vigie-milter -f -c CONF -p unix:$MILTER_SOCK [ARGS...]
milter_start() {
	local conf=$1 rc
	shift
	[ -x "$VIGIE_MILTER" ] || e2e_die "$VIGIE_MILTER not built (make)"
	milter_stop
	rm -f "$MILTER_SOCK"
	"$VIGIE_MILTER" -n -c "$conf" "$@" >>"$T/milter.log" 2>&1 ||
		e2e_die "vigie-milter -n -c $conf refused the config: $(tail -n 3 "$T/milter.log")"
	echo "---- vigie-milter -f -c $conf $* (started $(date +%T))" >>"$T/milter.log"
	"$VIGIE_MILTER" -f -c "$conf" -p "unix:$MILTER_SOCK" "$@" </dev/null >>"$T/milter.log" 2>&1 &
	MILTER_PID=$!
	wait_for 10 milter_ready
	rc=$?
	if [ "$rc" -ne 0 ]; then
		e2e_show_logs
		e2e_die "vigie-milter did not open $MILTER_SOCK"
	fi
}

# milter_stop - SIGTERM, bounded wait, SIGKILL as a last resort;
# returns 1 when the milter had to be killed or exited non-zero
milter_stop() {
	local rc=0
	[ -n "$MILTER_PID" ] || return 0
	if kill -TERM "$MILTER_PID" 2>/dev/null; then
		if ! wait_for 10 milter_exited; then
			e2e_log "vigie-milter ignored SIGTERM for 10 s; killing it"
			kill -KILL "$MILTER_PID" 2>/dev/null
			rc=1
		fi
	fi
	wait "$MILTER_PID" 2>/dev/null || rc=1
	MILTER_PID=""
	return "$rc"
}

# milter_exited - our milter child is a zombie or gone
milter_exited() {
	local st
	st=$(ps -o stat= -p "$MILTER_PID" 2>/dev/null) || return 0
	case $st in Z*|"") return 0 ;; esac
	return 1
}

# swaks_send - swaks against the private instance: swaks_send OUTFILE ARGS...
# Returns swaks' exit code; the whole transcript is in OUTFILE.
swaks_send() {
	local out=$1
	shift
	swaks --server 127.0.0.1 --port "$PF_PORT" --helo client.vigie-test.example \
		--timeout 60 "$@" >"$out" 2>&1 </dev/null
}

# mkmsg - write a message file: mkmsg FILE BOX SUBJECT BODY [HEADER...]
mkmsg() {
	local f=$1 box=$2 subject=$3 body=$4 h
	shift 4
	{
		echo "From: $MSG_FROM"
		echo "To: $box@$PF_DOMAIN"
		echo "Subject: $subject"
		echo "Date: $(date -R)"
		echo "Message-ID: <$box.$$@client.vigie-test.example>"
		for h in "$@"; do printf '%s\n' "$h"; done
		echo "MIME-Version: 1.0"
		echo "Content-Type: text/plain; charset=us-ascii"
		echo
		printf '%s\n' "$body"
	} >"$f"
}

# send - swaks a message file from $ENV_FROM to the box of its To: field,
# with swaks' further ARGS; sets OUT (transcript), RC, QID, REPLY
send() {
	local f=$1 box
	shift
	box=$(sed -n 's/^To: \([^@]*\)@.*/\1/p' "$f" | head -n 1)
	OUT=$T/$box.swaks
	swaks_send "$OUT" --from "$ENV_FROM" --to "$box@$PF_DOMAIN" --data "$f" "$@"
	RC=$?
	QID=$(swaks_queue_id "$OUT")
	REPLY=$(swaks_final_reply "$OUT")
}

# swaks_queue_id - the queue id from "250 2.0.0 Ok: queued as ID"
swaks_queue_id() {
	sed -n 's/.*<- *250 .*queued as \([0-9A-Za-z]*\).*/\1/p' "$1" | tail -n 1
}

# swaks_final_reply - the reply that decided the message's fate: the first
# error reply ("550 5.7.1 ...", "451 4.7.1 ...") or else "250 ... queued as ID"
swaks_final_reply() {
	local r
	r=$(sed -n 's/^ *<\*\* *//p' "$1" | head -n 1)
	[ -n "$r" ] || r=$(sed -n 's/^ *<- *\(250 .*queued.*\)/\1/p' "$1" | tail -n 1)
	printf '%s\n' "$r" | tr -d '\r'
}

# delivered_files - messages delivered to BOX@vigie-test.example, oldest first
delivered_files() {
	local dir=$T/mail/inbox/new
	# virtual(8) prepends Delivered-To: as the message's first lines; one
	# awk reads them all (the tests poll this while mail arrives)
	[ -d "$dir" ] || return 0
	(cd "$dir" && ls -1tr) | sed "s|^|$dir/|" |
		xargs -r -d '\n' awk -v want="$(printf 'delivered-to: %s@%s' "$1" "$PF_DOMAIN" | tr 'A-Z' 'a-z')" \
		'FNR > 5 { nextfile } tolower($0) == want { print FILENAME; nextfile }'
}

# delivered_count - how many messages BOX holds
delivered_count() {
	delivered_files "$1" | wc -l
}

# wait_delivered - print the path of message number N (default 1) in BOX
wait_delivered() {
	local box=$1 secs=${2:-10} n=${3:-1}
	wait_for "$secs" _has_n "$box" "$n" || return 1
	delivered_files "$box" | sed -n "${n}p"
}
_has_n() {
	[ "$(delivered_count "$1")" -ge "$2" ]
}

# queue_ids - ids in queue QUEUE (hold, incoming, active, deferred), via postqueue -j
queue_ids() {
	postqueue -c "$PF_CFG" -j 2>/dev/null |
		sed -n "s/.*\"queue_name\": *\"$1\".*\"queue_id\": *\"\([0-9A-Za-z]*\)\".*/\1/p"
}

# queue_all - every id in every queue with its queue name, "hold:ID" per line
queue_all() {
	postqueue -c "$PF_CFG" -j 2>/dev/null |
		sed -n 's/.*"queue_name": *"\([a-z]*\)".*"queue_id": *"\([0-9A-Za-z]*\)".*/\1:\2/p'
}

# queue_settled - no message in incoming or active (hold is expected)
queue_settled() {
	[ -z "$(queue_ids incoming)$(queue_ids active)" ]
}

# wait_queue_settled - bounded wait for Postfix to finish with its queue
wait_queue_settled() {
	wait_for "${1:-10}" queue_settled
}

# in_hold - queue id ID is in the hold queue
in_hold() {
	queue_ids hold | grep -qx "$1"
}

# msg_header - the values of header NAME (case-insensitive) of a message
# file, unfolded, one per line, in order; only the header block is read.
msg_header() {
	awk -v want="$(printf '%s' "$2" | tr 'A-Z' 'a-z')" '
	function flush() {
		if (cur != "") {
			i = index(cur, ":")
			if (i > 0 && tolower(substr(cur, 1, i - 1)) == want) {
				v = substr(cur, i + 1); sub(/^[ \t]+/, "", v); print v
			}
		}
		cur = ""
	}
	{ sub(/\r$/, "") }
	/^$/ { flush(); exit }
	/^[ \t]/ { cur = cur " " substr($0, 2); sub(/^[ \t]+/, " ", cur); next }
	{ flush(); cur = $0 }
	END { flush() }' "$1"
}

# msg_header_count - how many header fields NAME a message file has
msg_header_count() {
	msg_header "$1" "$2" | wc -l | tr -d ' '
}

# sieve_folder - the folder packaging/sieve/vigie-junk.sieve files MSG
# into, by Pigeonhole's sieve-test (no Dovecot service runs): "Junk",
# "INBOX", or "no-sieve-test" when dovecot-sieve is not installed
sieve_folder() {
	local dir
	[ -n "$1" ] || return
	command -v sieve-test >/dev/null || { echo no-sieve-test; return; }
	dir=$(mktemp -d "$T/sieve.XXXXXX")
	chmod 0777 "$dir"
	cp "$VIGIE_ROOT/packaging/sieve/vigie-junk.sieve" "$dir/"
	printf 'mail_uid = nobody\nmail_gid = nogroup\nmail_location = maildir:%s/Maildir\n' \
		"$dir" >"$dir/dovecot.conf"
	sieve-test -c "$dir/dovecot.conf" "$dir/vigie-junk.sieve" "$1" 2>/dev/null |
		sed -n 's/^ \* store message in folder: //p' | head -n 1
}

# milter_log_for - the milter's log line for Postfix queue id ID
milter_log_for() {
	grep -E "queue_id=$1( |\$)" "$T/milter.log" | tail -n 1
}

#!/bin/bash
# test_sendmail.sh - vigie-milter behind a real Sendmail (unpacked, not installed).
#
# SYNOPSIS
#	bash tests/sendmail/test_sendmail.sh		(as root)
#
# DESCRIPTION
#	Debian's sendmail-bin conflicts with Postfix, so it is not installed:
#	its .debs (and those of the two libraries Postfix hosts lack) are
#	fetched once with apt-get download into build/sendmail-debs/ and
#	unpacked with dpkg-deb -x into a temp root. From a minimal .mc, m4
#	and the unpacked cf/ macros make a sendmail.cf whose milter line is
#	the INPUT_MAIL_FILTER of packaging/sendmail/sendmail.mc.snippet with
#	the socket pointed at the test's. Sendmail runs as root in the
#	foreground (-bD) on a free 127.0.0.1 port, queue-only (nothing is
#	delivered, nothing leaves), in its own UTS namespace whose host name
#	is fully qualified (otherwise Sendmail sleeps 60 s looking for one).
#	build/vigie-milter runs with config/vigie.conf and its rules copied
#	to the temp dir, changed only to stay root and use the temp socket.
#
#	Checks, with swaks: a phishing message of the corpus that vigie-scan
#	rejects is refused by Sendmail with 550 5.7.1 and vigie's text; a
#	clean one is queued with vigie's X-Vigie-Status header in its qf
#	file; with vigie stopped, F=T makes Sendmail answer 4xx.
#
#	"ok - ..." / "not ok - ..." per check, "N passed, M failed" last;
#	exit 1 on a failure, 77 with the reason when it cannot run (not
#	root, no network for the .debs, a tool missing).
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 2
# ok / not_ok / check_eq / check_match, skip, finish (tests/lib.sh), wait_for, pick_port
. "$ROOT/tests/e2e/lib.sh"
T=""
SM_PID=""
MILTER_PID=""
MILTER=${VIGIE_MILTER:-$ROOT/build/vigie-milter}
SCAN=$ROOT/build/vigie-scan
DEBS=$ROOT/build/sendmail-debs
SNIPPET=$ROOT/packaging/sendmail/sendmail.mc.snippet

[ "$(id -u)" -eq 0 ] || skip "not root (Sendmail's daemon mode needs root)"
for tool in swaks unshare dpkg-deb apt-get ss; do
	command -v "$tool" >/dev/null || skip "$tool not found"
done
[ -x "$MILTER" ] && [ -x "$SCAN" ] || skip "build/vigie-milter or build/vigie-scan not built (make)"

# cleanup - stop Sendmail and the milter (by pid), remove the temp dir
cleanup() {
	local rc=$?
	trap - EXIT
	[ -n "$SM_PID" ] && kill -TERM "$SM_PID" 2>/dev/null
	[ -n "$MILTER_PID" ] && kill -TERM "$MILTER_PID" 2>/dev/null
	[ -n "$SM_PID" ] && wait "$SM_PID" 2>/dev/null
	[ -n "$MILTER_PID" ] && wait "$MILTER_PID" 2>/dev/null
	if [ -n "$T" ]; then
		if [ "$rc" -ne 0 ] || [ "$TEST_FAILED" -ne 0 ]; then
			for f in "$T/milter.log" "$T/sendmail.log"; do
				[ -s "$f" ] && { echo "# ---- $f"; tail -n 20 "$f" | sed 's/^/#   /'; }
			done
		fi
		if [ "${VIGIE_SM_KEEP:-0}" = 1 ]; then echo "# kept $T"; else rm -rf "$T"; fi
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# final_reply - the server's refusal, or its 250 after DATA, from a swaks transcript
final_reply() {
	local r
	r=$(sed -n 's/^ *<\*\* *//p' "$1" | head -n 1)
	[ -n "$r" ] || r=$(sed -n 's/^ *<- *\(250 .*accepted.*\)/\1/p' "$1" | tail -n 1)
	printf '%s\n' "$r" | tr -d '\r'
}

# 1. Sendmail's .debs, downloaded once, unpacked into the temp root
mkdir -p "$DEBS"
NEED="sendmail-bin sendmail-base sendmail-cf liblockfile1 libwrap0"
command -v m4 >/dev/null || NEED="$NEED m4"
for p in $NEED; do
	ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 && continue
	# apt's _apt user cannot write here; the download then runs as root
	(cd "$DEBS" && apt-get download -q "$p" >/dev/null 2>&1) ||
		skip "apt-get download $p failed (no access to the Debian archive?)"
done
T=$(mktemp -d /tmp/vigie-sendmail.XXXXXX) || exit 2
SMROOT=$T/root
mkdir -p "$SMROOT" "$T/queue" "$T/conf"
chmod 0700 "$T/queue"
for d in "$DEBS"/*.deb; do
	dpkg-deb -x "$d" "$SMROOT" || skip "dpkg-deb -x $d failed"
done
SENDMAIL=$SMROOT/usr/libexec/sendmail/sendmail
[ -x "$SENDMAIL" ] || SENDMAIL=$SMROOT/usr/lib/sm.bin/sendmail
[ -x "$SENDMAIL" ] || skip "no sendmail binary in the unpacked sendmail-bin"
# setgid smmsp/mail on the copy would make ld.so ignore LD_LIBRARY_PATH
chmod g-s "$SENDMAIL"
export LD_LIBRARY_PATH=$SMROOT/usr/lib/x86_64-linux-gnu:$SMROOT/lib/x86_64-linux-gnu
M4=$(command -v m4 || echo "$SMROOT/usr/bin/m4")
CF=$SMROOT/usr/share/sendmail/cf
[ -f "$CF/m4/cf.m4" ] || skip "no cf/m4/cf.m4 in the unpacked sendmail-cf"

# sm - run Sendmail with a fully qualified host name: with an unqualified
# one ("vm" here) it sleeps 60 s before doing anything. Only in a subshell
# ($(...) or &): it execs, so that "sm ... &" leaves $! = Sendmail's pid.
sm() {
	exec unshare --uts sh -c 'hostname mx.vigie-test.example && exec "$0" "$@"' "$SENDMAIL" "$@"
}
unshare --uts true 2>/dev/null || skip "unshare --uts is not permitted here (needed to give Sendmail a qualified host name)"
SM_VERSION=$(sm -d0.1 -bt </dev/null 2>&1)
printf '%s\n' "$SM_VERSION" | grep -q 'MILTER' ||
	skip "the unpacked sendmail does not run here or lacks MILTER: $(printf '%s' "$SM_VERSION" | head -n 2 | tr '\n' ' ')"

# 2. vigie-milter: the shipped configuration and rules, root, temp socket
SOCK=$T/vigie.sock
cp config/vigie.conf "$T/conf/vigie.conf"
cp -r config/rules "$T/conf/rules"
sed -i -e 's/^allow_root[[:space:]]*=.*/allow_root = true;/' \
	-e 's/^user[[:space:]]*=.*/user = "";/' \
	-e "s|^socket[[:space:]]*=.*|socket = \"unix:$SOCK\";|" "$T/conf/vigie.conf"
check_eq "test config: the three changed keys" \
	"$(grep -cE '^(allow_root = true;|user = "";|socket = "unix:'"$SOCK"'";)$' "$T/conf/vigie.conf")" 3
"$MILTER" -n -c "$T/conf/vigie.conf" >/dev/null 2>"$T/n.err"
check_eq "vigie-milter -n accepts the test config" "$?" 0
PHISH=$(ls tests/corpus/phish/001-*.eml 2>/dev/null | head -n 1)
[ -n "$PHISH" ] || skip "no tests/corpus/phish/001-*.eml"
check_match "vigie-scan: $(basename "$PHISH") scores reject" \
	"$("$SCAN" -c "$T/conf/vigie.conf" "$PHISH" 2>&1)" ' reject [0-9.]+ '
REJECT_TEXT=$(sed -n 's/^reject_text[[:space:]]*=[[:space:]]*"\(.*\)";.*/\1/p' "$T/conf/vigie.conf")
"$MILTER" -f -c "$T/conf/vigie.conf" </dev/null >"$T/milter.log" 2>&1 &
MILTER_PID=$!
wait_for 10 test -S "$SOCK"
check_eq "vigie-milter listening on $SOCK" "$([ -S "$SOCK" ] && echo yes)" yes

# 3. sendmail.cf: a minimal .mc with the milter line of the shipped snippet
PORT=$(pick_port) || skip "no free port on 127.0.0.1"
FILTER=$(grep -m1 '^INPUT_MAIL_FILTER(' "$SNIPPET" | sed -e "s|S=unix:[^,]*|S=unix:$SOCK|" -e 's/)dnl$/)/')
check_match "snippet's INPUT_MAIL_FILTER has S=, F=T and T=" "$FILTER" "S=unix:$SOCK, F=T, T=C:[0-9]+[sm];S:[0-9]+[sm];R:[0-9]+[sm];E:[0-9]+[sm]"
printf 'hosts files\naliases files\n' >"$T/service.switch"
printf '127.0.0.1 localhost mx.vigie-test.example\n' >"$T/hosts"
cat >"$T/test.mc" <<EOF
divert(-1)
# test.mc - a throw-away Sendmail for vigie's test: loopback only, queue only.
divert(0)dnl
include(\`$CF/m4/cf.m4')dnl
VERSIONID(\`vigie sendmail test')dnl
OSTYPE(\`linux')dnl
define(\`confDOMAIN_NAME', \`mx.vigie-test.example')dnl
define(\`confDONT_PROBE_INTERFACES', \`True')dnl
define(\`QUEUE_DIR', \`$T/queue')dnl
define(\`STATUS_FILE', \`$T/statistics')dnl
define(\`confPID_FILE', \`$T/sendmail.pid')dnl
define(\`ALIAS_FILE', \`')dnl
define(\`confCW_FILE', \`-o $T/local-host-names')dnl
define(\`confHOST_STATUS_DIRECTORY', \`')dnl
define(\`confSERVICE_SWITCH_FILE', \`$T/service.switch')dnl
define(\`confHOSTS_FILE', \`$T/hosts')dnl
define(\`confDELIVERY_MODE', \`queueonly')dnl
define(\`confLOG_LEVEL', \`14')dnl
define(\`confMILTER_LOG_LEVEL', \`14')dnl
define(\`confDONT_BLAME_SENDMAIL', \`GroupWritableDirPathSafe,TrustStickyBit')dnl
define(\`confTO_IDENT', \`0s')dnl
FEATURE(\`nocanonify')dnl
FEATURE(\`accept_unresolvable_domains')dnl
FEATURE(\`no_default_msa')dnl
DAEMON_OPTIONS(\`Port=$PORT, Addr=127.0.0.1, Name=MTA')dnl
${FILTER}dnl
MAILER(\`local')dnl
MAILER(\`smtp')dnl
EOF
"$M4" "$T/test.mc" >"$T/sendmail.cf" 2>"$T/m4.err"
check_eq "m4 builds sendmail.cf" "$?:$(head -c 200 "$T/m4.err")" "0:"
check_match "sendmail.cf declares the filter" "$(grep '^Xvigie' "$T/sendmail.cf")" "^Xvigie, S=unix:$SOCK, F=T, T="
check_match "sendmail.cf uses it for SMTP" "$(grep '^O InputMailFilters' "$T/sendmail.cf")" 'InputMailFilters=vigie'

# sm_listening - Sendmail answers with its banner on the port
sm_listening() {
	local line
	{ exec 3<>"/dev/tcp/127.0.0.1/$PORT"; } 2>/dev/null || return 1
	read -r -t 2 line <&3
	printf 'QUIT\r\n' >&3
	exec 3<&- 3>&-
	case $line in 220*) return 0 ;; esac
	return 1
}
sm -C "$T/sendmail.cf" -bD -L sm-vigie-test </dev/null >"$T/sendmail.log" 2>&1 &
SM_PID=$!
if ! wait_for 15 sm_listening; then
	not_ok "Sendmail listening on 127.0.0.1:$PORT" "$(head -n 3 "$T/sendmail.log" | tr '\n' '|')" "a 220 banner"
	finish
fi
ok "Sendmail $(printf '%s\n' "$SM_VERSION" | sed -n 's/^Version //p') listening on 127.0.0.1:$PORT"

# send - swaks to the test Sendmail: send OUTFILE ARGS...
send() {
	local out=$1
	shift
	swaks --server 127.0.0.1 --port "$PORT" --helo client.vigie-test.example \
		--from sender@example.org --to root@localhost --timeout 60 "$@" \
		</dev/null >"$out" 2>&1
}

# 4. a phishing message: refused at end of data
send "$T/phish.swaks" --data "$PHISH"
R=$(final_reply "$T/phish.swaks")
check_match "phishing message refused with 550 5.7.1" "$R" '^550 5\.7\.1 '
check_match "with vigie's reject_text" "$R" "$(printf '%s' "$REJECT_TEXT" | sed 's/[].[*^$\/|()?+{}]/\\&/g')"
check_match "vigie logged the reject" "$(grep 'action=reject' "$T/milter.log" | tail -n 1)" 'queue_id=[0-9A-Za-z]+ action=reject score='

# 5. a clean message: queued with X-Vigie-Status
send "$T/clean.swaks" --header "Subject: Lunch on Friday" --body "Shall we meet at noon? Nothing to see here."
R=$(final_reply "$T/clean.swaks")
check_match "clean message accepted (250)" "$R" '^250 2\.0\.0 [0-9A-Za-z]+ Message accepted'
QID=$(printf '%s\n' "$R" | sed -n 's/^250 2\.0\.0 \([0-9A-Za-z]*\) .*/\1/p')
QF=$T/queue/qf$QID
check_eq "clean message queued ($QID)" "$([ -f "$QF" ] && [ -f "$T/queue/df$QID" ] && echo yes)" yes
check_match "qf file has X-Vigie-Status: accept" "$(grep -a '^H.*X-Vigie-Status:' "$QF" 2>/dev/null)" 'X-Vigie-Status: accept score=[0-9]+\.[0-9]$'
check_match "vigie logged Sendmail's queue id" "$(grep "queue_id=$QID " "$T/milter.log")" "queue_id=$QID action=accept"

# 6. vigie down: F=T makes Sendmail tempfail instead of passing mail unscanned
kill -TERM "$MILTER_PID" 2>/dev/null
wait "$MILTER_PID" 2>/dev/null
check_eq "vigie-milter stopped on SIGTERM (exit status)" "$?" 0
MILTER_PID=""
rm -f "$SOCK"
send "$T/down.swaks" --header "Subject: Lunch again" --body "Still there?"
check_match "vigie down: F=T tempfails (4xx)" "$(final_reply "$T/down.swaks")" '^4[0-9][0-9] '

finish

#!/bin/bash
# test_privileges.sh - least privilege: user, groups, socket mode, no core dumps.
#
# SYNOPSIS
#	bash tests/security/test_privileges.sh	(as root; sh re-execs bash)
#
# DESCRIPTION
#	Starts build/vigie-milter (VIGIE_MILTER) as root with the shipped
#	config/vigie.conf adapted (rules by absolute path, socket in a private
#	directory given with -p) and checks, from /proc and stat:
#
#	  -u nobody, socket directory only root can write: the daemon opens
#	  the socket as root, then every thread's real, effective, saved and
#	  file-system uid and gid are nobody's, no supplementary group 0, the
#	  socket has socket_mode (0660) and belongs to nobody, and the daemon
#	  still answers a milter option negotiation on it;
#	  core dumps off: "Max core file size" 0 (soft and hard) in
#	  /proc/PID/limits, and the process is not dumpable: its /proc/PID
#	  files belong to root although it runs as nobody, and nobody cannot
#	  read its /proc/PID/environ (both follow from PR_SET_DUMPABLE 0);
#	  no user and allow_root = false: refuses, non-zero, says why, and
#	  leaves no socket file (nor pid file) behind;
#	  allow_root = true: runs as root (core dumps still off);
#	  -u with an unknown user: refuses, says why;
#	  -n on broken configs: non-zero, one "file:line: ..." per problem
#	  (a NUL in a pattern, escaped or raw, included);
#	  pid file (-P, written as root): a symlink planted at its path is
#	  refused and its root-owned target left intact, as is an existing
#	  pid file of a live process; a stale one (dead pid) is replaced;
#	  the file holds the daemon's pid and is removed on SIGTERM;
#	  a non-loopback stats_listen: -n refuses it as start-up does (the
#	  same check), and start-up leaves no socket behind;
#	  a world-writable configuration or rule file: a warning naming it
#	  from -n and in the log at start.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/../e2e/lib.sh"

e2e_init
[ -x "$VIGIE_MILTER" ] || e2e_die "$VIGIE_MILTER not built (make)"
command -v setpriv >/dev/null 2>&1 || e2e_die "setpriv not found (util-linux)"
NOBODY_UID=$(id -u nobody)
NOBODY_GID=$(id -g nobody)
SOCKDIR=$T/sock
mkdir -p "$SOCKDIR"
chmod 0755 "$SOCKDIR"		# root's: nobody cannot create the socket here
MILTER_SOCK=$SOCKDIR/vigie.sock

# conf - write the shipped config with KEY = VALUE lines replaced: conf FILE [KEY VALUE]...
conf() {
	local f=$1 args=()
	shift
	args=(-e "s|^rules = .*|rules = [ \"$VIGIE_ROOT/config/rules/fr-health.rules\" ];|")
	while [ $# -ge 2 ]; do
		args+=(-e "s|^$1 = .*|$1 = $2;|")
		shift 2
	done
	sed "${args[@]}" "$VIGIE_ROOT/config/vigie.conf" >"$f"
}

# proc_ids - "Uid Gid Groups" lines of every thread of PID
proc_ids() {
	cat /proc/"$1"/task/*/status 2>/dev/null | grep -E '^(Uid|Gid|Groups):'
}

# optneg - a milter option negotiation on the unix socket: prints the
# reply's command letter ("O" when the milter answers)
optneg() {
	python3 - "$1" <<-'PY'
	import socket, struct, sys
	s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	s.settimeout(5)
	s.connect(sys.argv[1])
	body = b"O" + struct.pack(">III", 6, 0x1FF, 0x1FFFFF)
	s.sendall(struct.pack(">I", len(body)) + body)
	n = struct.unpack(">I", s.recv(4))[0]
	print(s.recv(n)[:1].decode())
	PY
}

echo "# -u nobody, socket directory only root can write"
conf "$T/nobody.conf" user '"vigie"' allow_root false socket_mode '"0660"'
milter_start "$T/nobody.conf" -u nobody
PID=$MILTER_PID
IDS=$(proc_ids "$PID")
check_eq "Uid: real, effective, saved, fs all nobody's (every thread)" \
	"$(printf '%s\n' "$IDS" | awk '$1 == "Uid:" { for (i = 2; i <= 5; i++) if ($i != u) bad++; n++ } END { print ((n > 0 && bad == 0) ? "yes" : "no") }' u="$NOBODY_UID")" yes
check_eq "Gid: real, effective, saved, fs all nobody's group (every thread)" \
	"$(printf '%s\n' "$IDS" | awk '$1 == "Gid:" { for (i = 2; i <= 5; i++) if ($i != g) bad++; n++ } END { print ((n > 0 && bad == 0) ? "yes" : "no") }' g="$NOBODY_GID")" yes
check_eq "Groups: no group 0" \
	"$(printf '%s\n' "$IDS" | awk '$1 == "Groups:" { for (i = 2; i <= NF; i++) if ($i == 0) bad++ } END { print bad + 0 }')" 0
check_eq "socket mode is socket_mode (0660)" "$(stat -c %a "$MILTER_SOCK")" 660
check_eq "socket belongs to nobody" "$(stat -c %u "$MILTER_SOCK")" "$NOBODY_UID"
check_eq "socket directory still root's 0755 (nobody could not have made it)" \
	"$(stat -c '%u %a' "$SOCKDIR")" "0 755"
check_eq "milter answers an option negotiation after the drop" "$(optneg "$MILTER_SOCK" 2>&1)" O
check_eq "core dumps off: Max core file size 0 0" \
	"$(awk '/^Max core file size/ { print $5, $6 }' /proc/"$PID"/limits)" "0 0"
check_eq "not dumpable: /proc/PID/status belongs to root though the process is nobody" \
	"$(stat -c %u /proc/"$PID"/status)" 0
if setpriv --reuid="$NOBODY_UID" --regid="$NOBODY_GID" --clear-groups \
	cat /proc/"$PID"/environ >/dev/null 2>&1; then
	not_ok "not dumpable: nobody cannot read its /proc/PID/environ" "readable" "permission denied"
else
	ok "not dumpable: nobody cannot read its /proc/PID/environ"
fi
milter_stop
check_eq "SIGTERM: exits 0" "$?" 0
milter_start "$T/nobody.conf" -u nobody
check_eq "restart over the socket left behind: runs" "$(milter_alive && echo yes)" yes
milter_stop

echo "# refusing root"
conf "$T/root-refused.conf" user '""' allow_root false
rm -f "$MILTER_SOCK"
OUT=$(timeout 10 "$VIGIE_MILTER" -f -c "$T/root-refused.conf" -p "unix:$MILTER_SOCK" 2>&1 </dev/null)
RC=$?
check_eq "no user, allow_root = false: exits non-zero (not killed by timeout)" \
	"$([ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && echo yes || echo "no, $RC")" yes
check_match "no user, allow_root = false: says why" "$OUT" 'refusing to run as root'
check_eq "no user, allow_root = false: no root-owned socket file left behind" \
	"$([ -e "$MILTER_SOCK" ] && stat -c %U "$MILTER_SOCK" || echo none)" none
OUT=$(timeout 10 "$VIGIE_MILTER" -f -c "$T/nobody.conf" -p "unix:$MILTER_SOCK" -u no-such-user-vigie 2>&1 </dev/null)
RC=$?
check_eq "-u unknown user: exits non-zero" "$([ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && echo yes || echo "no, $RC")" yes
check_match "-u unknown user: says why" "$OUT" 'no-such-user-vigie.*(does not exist|unknown)'

echo "# allow_root = true"
conf "$T/root.conf" user '""' allow_root true socket_mode '"0600"'
milter_start "$T/root.conf"
check_eq "allow_root = true: runs as root" \
	"$(awk '$1 == "Uid:" { print $3 }' /proc/"$MILTER_PID"/status)" 0
check_eq "allow_root = true: socket mode 0600" "$(stat -c %a "$MILTER_SOCK")" 600
check_eq "allow_root = true: core dumps still off" \
	"$(awk '/^Max core file size/ { print $5, $6 }' /proc/"$MILTER_PID"/limits)" "0 0"
milter_stop

echo "# -n on broken configurations"
# nbad - FILE DESCRIPTION [WHERE]: -n must exit non-zero and name
# WHERE:LINE: (WHERE defaults to FILE)
nbad() {
	local out rc where=${3:-$1}
	out=$("$VIGIE_MILTER" -n -c "$1" 2>&1 </dev/null)
	rc=$?
	check_eq "-n $2: exits non-zero" "$([ "$rc" -ne 0 ] && echo yes || echo "no, $rc")" yes
	check_match "-n $2: names file and line" "$out" "^(vigie-milter: )?$where:[0-9]+: "
}
conf "$T/good.conf"
check_match "-n on the shipped config: OK" "$("$VIGIE_MILTER" -n -c "$T/good.conf" 2>&1 | tr '\n' ' '; echo "rc=${PIPESTATUS[0]}")" 'OK.*rc=0'
conf "$T/bad-syntax.conf"
sed -i 's/^mode = .*/mode = "enforce"/' "$T/bad-syntax.conf"	# missing ';'
printf 'thresholds = {\n' >>"$T/bad-syntax.conf"
nbad "$T/bad-syntax.conf" "syntax error"
conf "$T/bad-value.conf" mode '"sometimes"' on_error '"drop"'
nbad "$T/bad-value.conf" "bad mode and on_error"
conf "$T/bad-new-keys.conf" forged_fields_action '"drop"' max_forged_fields 20000 milter_timeout 0
nbad "$T/bad-new-keys.conf" "bad forged_fields_action, max_forged_fields, milter_timeout"
check_eq "-n on the three bad new keys: one line each" \
	"$("$VIGIE_MILTER" -n -c "$T/bad-new-keys.conf" 2>&1 | grep -cE 'forged_fields_action|max_forged_fields|milter_timeout')" 3
conf "$T/bad-ratio.conf" reload_min_ratio 2
nbad "$T/bad-ratio.conf" "reload_min_ratio = 2"
conf "$T/bad-key.conf"
printf 'no_such_key = 1;\n' >>"$T/bad-key.conf"
nbad "$T/bad-key.conf" "unknown key"
conf "$T/bad-order.conf"
sed -i 's/^  reject = .*/  reject = 2.0;/' "$T/bad-order.conf"
nbad "$T/bad-order.conf" "thresholds out of order"
conf "$T/bad-mode.conf" socket_mode '"0999"'
nbad "$T/bad-mode.conf" "socket_mode not octal"
conf "$T/bad-rules.conf"
sed -i 's|^rules = .*|rules = [ "/nonexistent/vigie.rules" ];|' "$T/bad-rules.conf"
nbad "$T/bad-rules.conf" "missing rule file" "($T/bad-rules.conf|/nonexistent/vigie.rules)"
# a NUL in a pattern: libconfig would end the string there, silently
printf '# a pattern with a NUL\nrules = (\n  { id = "NUL_ESC"; description = "x"; target = "body";\n    pattern = "ameli\\x00vitale"; score = 1.0; }\n);\n' >"$T/nul-esc.rules"
conf "$T/nul-esc.conf"
sed -i "s|^rules = .*|rules = [ \"$T/nul-esc.rules\" ];|" "$T/nul-esc.conf"
nbad "$T/nul-esc.conf" "\\x00 in a pattern" "$T/nul-esc.rules"
check_match "-n \\x00 in a pattern: the line of the pattern, says NUL" \
	"$("$VIGIE_MILTER" -n -c "$T/nul-esc.conf" 2>&1)" "nul-esc.rules:4: NUL"
printf 'rules = (\n  { id = "NUL_RAW"; description = "x"; target = "body";\n    pattern = "ameli\0vitale"; score = 1.0; }\n);\n' >"$T/nul-raw.rules"
conf "$T/nul-raw.conf"
sed -i "s|^rules = .*|rules = [ \"$T/nul-raw.rules\" ];|" "$T/nul-raw.conf"
nbad "$T/nul-raw.conf" "raw NUL byte in a pattern" "$T/nul-raw.rules"
conf "$T/bad-stats.conf" stats_listen '"0.0.0.0:9810"'
OUT=$("$VIGIE_MILTER" -n -c "$T/bad-stats.conf" 2>&1 </dev/null)
RC=$?
check_eq "-n with stats_listen 0.0.0.0:9810: exits non-zero" "$([ "$RC" -ne 0 ] && echo yes || echo "no, $RC")" yes
check_match "-n with stats_listen 0.0.0.0:9810: says why" "$OUT" 'stats_listen "0\.0\.0\.0:9810": need a loopback'
rm -f "$MILTER_SOCK"
OUT=$(timeout 10 "$VIGIE_MILTER" -f -c "$T/bad-stats.conf" -p "unix:$MILTER_SOCK" -u nobody 2>&1 </dev/null)
RC=$?
check_eq "start with stats_listen 0.0.0.0:9810: exits non-zero (not killed by timeout)" \
	"$([ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && echo yes || echo "no, $RC")" yes
check_eq "start with stats_listen 0.0.0.0:9810: no socket file left behind" \
	"$([ -e "$MILTER_SOCK" ] && echo left || echo none)" none

echo "# world-writable configuration and rules"
mkdir -p "$T/ww"
cp "$VIGIE_ROOT/config/rules/fr-health.rules" "$T/ww/ww.rules"
sed 's|^rules = .*|rules = [ "ww.rules" ];|' "$T/root.conf" >"$T/ww/vigie.conf"
chmod 0644 "$T/ww/vigie.conf" "$T/ww/ww.rules"
check_eq "-n, mode 0644: no world-writable warning" \
	"$("$VIGIE_MILTER" -n -c "$T/ww/vigie.conf" 2>&1 | grep -c 'world-writable')" 0
chmod 0666 "$T/ww/vigie.conf" "$T/ww/ww.rules"
OUT=$("$VIGIE_MILTER" -n -c "$T/ww/vigie.conf" 2>&1)
check_match "-n, world-writable configuration: warns, naming it" "$OUT" "$T/ww/vigie.conf: warning: world-writable"
check_match "-n, world-writable rule file: warns, naming it" "$OUT" "$T/ww/ww.rules: warning: world-writable"
check_match "-n: the warnings are counted" "$OUT" 'OK, [0-9]+ rules, [0-9]+ brands, [2-9][0-9]* warnings'
milter_start "$T/ww/vigie.conf"
# (-n's own output goes to the same file, without the program name)
check_match "start: the world-writable rule file is named in the log" \
	"$(grep "^vigie-milter: .*ww.rules: warning: world-writable" "$T/milter.log" | tail -n 1)" 'world-writable'
milter_stop

echo "# pid file"
PIDDIR=$T/run
mkdir -p "$PIDDIR"
chmod 1777 "$PIDDIR"	# a directory others can write: the worst case
PIDFILE=$PIDDIR/vigie.pid
printf 'precious root data\n' >"$T/victim"
chmod 0600 "$T/victim"
ln -s "$T/victim" "$PIDFILE"
rm -f "$MILTER_SOCK"
OUT=$(timeout 10 "$VIGIE_MILTER" -f -c "$T/root.conf" -p "unix:$MILTER_SOCK" -P "$PIDFILE" 2>&1 </dev/null)
RC=$?
check_eq "symlink planted at the pid file: exits non-zero (not killed by timeout)" \
	"$([ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && echo yes || echo "no, $RC")" yes
check_match "symlink planted at the pid file: says why" "$OUT" "pid file $PIDFILE"
check_eq "symlink planted at the pid file: its target is untouched" \
	"$(cat "$T/victim")" "precious root data"
check_eq "symlink planted at the pid file: no socket file left behind" \
	"$([ -e "$MILTER_SOCK" ] && echo left || echo none)" none
rm -f "$PIDFILE"
sleep 300 &
LIVE=$!
echo "$LIVE" >"$PIDFILE"
OUT=$(timeout 10 "$VIGIE_MILTER" -f -c "$T/root.conf" -p "unix:$MILTER_SOCK" -P "$PIDFILE" 2>&1 </dev/null)
RC=$?
check_eq "pid file of a live process: exits non-zero" \
	"$([ "$RC" -ne 0 ] && [ "$RC" -ne 124 ] && echo yes || echo "no, $RC")" yes
check_eq "pid file of a live process: left as it was" "$(cat "$PIDFILE")" "$LIVE"
kill "$LIVE"
wait "$LIVE" 2>/dev/null
milter_start "$T/root.conf" -P "$PIDFILE"
check_eq "stale pid file (dead pid): replaced by the daemon's pid" "$(cat "$PIDFILE" 2>/dev/null)" "$MILTER_PID"
check_eq "pid file mode 0644, root's" "$(stat -c '%a %U' "$PIDFILE")" "644 root"
milter_stop
check_eq "SIGTERM: pid file removed" "$([ -e "$PIDFILE" ] && echo left || echo removed)" removed

finish

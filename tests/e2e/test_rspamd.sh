#!/bin/bash
# test_rspamd.sh - the README's rspamd recipe, end to end: a private
# Postfix with vigie first and a private rspamd (its proxy in milter
# mode) second, rspamd reading vigie's X-Vigie-Status through the shipped
# packaging/rspamd/multimap.conf as is.
#
# Checks that rspamd, placed after vigie in smtpd_milters, sees the field
# vigie added (VIGIE_TAG on a tagged message), does not see it on a clean
# one, and cannot be fooled by a sender's own X-Vigie-Status (vigie
# removes it before rspamd reads the message). rspamd's verdict is read
# from the X-Spamd-Result field its milter_headers module adds.
# Skips (77) when rspamd is not installed; no rspamd service is used:
# this one listens on free loopback ports and lives in the temp dir.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"
set -u
. "$(dirname "$0")/lib.sh"

command -v rspamd >/dev/null || skip "rspamd not installed (packaging/deps.sh installs it)"
RSPAMD_PID=""
e2e_init
trap 'rc=$?; rspamd_stop; (exit $rc); e2e_cleanup' EXIT

# rspamd_stop - stop the private rspamd (main process and its workers)
rspamd_stop() {
	[ -n "$RSPAMD_PID" ] || return 0
	kill "$RSPAMD_PID" 2>/dev/null
	wait_for 10 sh -c "! kill -0 $RSPAMD_PID 2>/dev/null" || kill -9 "$RSPAMD_PID" 2>/dev/null
	RSPAMD_PID=""
}

# rspamd_start - a private rspamd: the package's rspamd.conf, local.d in
# the temp dir with the shipped multimap.conf and loopback ports
rspamd_start() {
	local d=$T/rspamd
	mkdir -p "$d/local.d" "$d/db" "$d/run" "$d/log"
	cp "$VIGIE_ROOT/packaging/rspamd/multimap.conf" "$d/local.d/multimap.conf"
	RSPAMD_PROXY_PORT=$(pick_port) || e2e_die "no free port"
	printf 'bind_socket = "127.0.0.1:%s";\n' "$(pick_port)" >"$d/local.d/worker-normal.inc"
	printf 'bind_socket = "127.0.0.1:%s";\n' "$(pick_port)" >"$d/local.d/worker-controller.inc"
	cat >"$d/local.d/worker-proxy.inc" <<-EOC
	bind_socket = "127.0.0.1:$RSPAMD_PROXY_PORT";
	milter = yes;
	upstream "local" { default = yes; self_scan = yes; }
	EOC
	printf 'type = "file";\nfilename = "%s";\nlevel = "warning";\n' "$d/log/rspamd.log" \
		>"$d/local.d/logging.inc"
	# X-Spamd-Result on every message, local ones too (the test's are)
	printf 'use = ["x-spamd-result"];\nskip_local = false;\nskip_authenticated = false;\n' \
		>"$d/local.d/milter_headers.conf"
	# no score of rspamd's own should reject or greylist the test mail
	printf 'reject = 500;\nadd_header = 400;\ngreylist = null;\nrewrite_subject = null;\n' \
		>"$d/local.d/actions.conf"
	rspamd -f -u root -g root -c /etc/rspamd/rspamd.conf --insecure \
		--var=LOCAL_CONFDIR="$d" --var=DBDIR="$d/db" --var=RUNDIR="$d/run" \
		--var=LOGDIR="$d/log" >"$d/log/stdout" 2>&1 &
	RSPAMD_PID=$!
	wait_for 60 sh -c "ss -ltn 'sport = :$RSPAMD_PROXY_PORT' | grep -q LISTEN" ||
		e2e_die "private rspamd not listening: $(tail -n 5 "$d/log/stdout" "$d/log/rspamd.log" 2>/dev/null)"
}

# send_msg BOX SUBJECT [HEADER...] - a message through the private Postfix
send_msg() {
	local box=$1 subject=$2
	shift 2
	MSG_FROM="Rspamd Test <e2e@example.org>" mkmsg "$T/$box.eml" "$box" "$subject" \
		"A short message for the rspamd recipe test." "$@"
	send "$T/$box.eml"
}

rspamd_start
pf_setup
# the recipe: vigie first, rspamd after it
postconf -c "$PF_CFG" -e "smtpd_milters = unix:$MILTER_SOCK, inet:127.0.0.1:$RSPAMD_PROXY_PORT"
pf_start
milter_start "$E2E_DIR/vigie-test.conf"

send_msg rtag "vigie-e2e-tag for rspamd"
F=$(wait_delivered rtag 20) || F=""
check_match "tagged by vigie: delivered through both milters" "$F" .
check_match "tagged by vigie: rspamd scored it (X-Spamd-Result)" \
	"$([ -n "$F" ] && msg_header "$F" X-Spamd-Result)" .
check_match "tagged by vigie: rspamd's VIGIE_TAG symbol fired" \
	"$([ -n "$F" ] && msg_header "$F" X-Spamd-Result | tr -d '\n')" 'VIGIE_TAG\(4\.00\)'

send_msg rclean "Lunch on Friday"
F=$(wait_delivered rclean 20) || F=""
check_match "clean: delivered and scored by rspamd" \
	"$([ -n "$F" ] && msg_header "$F" X-Spamd-Result)" .
check_eq "clean: no VIGIE_ symbol" \
	"$([ -n "$F" ] && msg_header "$F" X-Spamd-Result | tr -d '\n' | grep -c 'VIGIE_')" 0

send_msg rforged "Lunch on Saturday" "X-Vigie-Status: quarantine score=99.0"
F=$(wait_delivered rforged 20) || F=""
check_eq "a sender's own X-Vigie-Status: rspamd never sees it (no VIGIE_ symbol)" \
	"$([ -n "$F" ] && msg_header "$F" X-Spamd-Result | tr -d '\n' | grep -c 'VIGIE_')" 0
finish

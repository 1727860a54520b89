#!/bin/sh
# readme-chroot.sh - follow README.md step by step on a fresh Debian 12 chroot
# and print PASS/FAIL per step (issue 15: "the README is followed on a fresh
# clone in a clean container or chroot").
#
# NOT part of `make check`: it needs root, debootstrap, Debian's archive over
# the network and about 20 minutes (debootstrap ~3 min, packages ~5 min, build
# ~5 min, make deb ~3 min).
#
# SYNOPSIS
#	sh tests/tools/readme-chroot.sh [CHROOT_DIR]	(default /tmp/vigie-readme-chroot)
#
# DESCRIPTION
#	Builds a minbase bookworm chroot (kept if it exists), clones this
#	repository into /root/vigie, then runs, as a new admin would: apt-get
#	install git make (the README's prerequisite), make run (milter left
#	running in the background), the printed postconf lines, postfix start
#	(no systemd in a chroot), swaks messages that must be accepted,
#	rejected and held, vigie-quarantine list/show/release, the switch to
#	monitor mode, make uninstall, make deb, apt install of the package
#	(vigie-milter started and reloaded by hand as README.Debian says for a
#	system without systemd), the switch to enforce, apt purge.
#	Postfix logs to /var/log/postfix.log (maillog_file: no syslog here).
#	Everything is unmounted at the end. Set VIGIE_README_CHECK=1 to also
#	run `nice -n 15 make check` inside (15 min or more).
set -u

CH=${1:-/tmp/vigie-readme-chroot}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
MIRROR=${VIGIE_MIRROR:-http://deb.debian.org/debian}
LOG=$CH.log
pass=0 fail=0

[ "$(id -u)" -eq 0 ] || { echo "readme-chroot: needs root" >&2; exit 1; }

# step NAME COMMAND - run COMMAND in the chroot's clone, report PASS/FAIL
step() {
	name=$1; shift
	t0=$(date +%s)
	echo "=== $name: $*" >>"$LOG"
	if chroot "$CH" /usr/bin/env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		sh -c "cd /root/vigie 2>/dev/null; $*" >>"$LOG" 2>&1; then
		pass=$((pass + 1)); r=PASS
	else
		fail=$((fail + 1)); r=FAIL
	fi
	printf '%s %-34s %4ss\n' "$r" "$name" "$(($(date +%s) - t0))"
}

cleanup() {
	chroot "$CH" sh -c 'pkill -x vigie-milter; postfix stop' >/dev/null 2>&1
	for m in dev/pts dev sys proc; do umount -R "$CH/$m" 2>/dev/null; done
}
trap cleanup EXIT INT TERM

: >"$LOG"
if [ ! -x "$CH/bin/sh" ]; then
	command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >>"$LOG" 2>&1
	t0=$(date +%s)
	debootstrap --variant=minbase bookworm "$CH" "$MIRROR" >>"$LOG" 2>&1 ||
		{ echo "FAIL debootstrap (see $LOG)"; exit 1; }
	echo "PASS debootstrap $(($(date +%s) - t0))s"
fi
mount -t proc proc "$CH/proc"; mount --rbind /sys "$CH/sys"; mount --make-rslave "$CH/sys"
mount --bind /dev "$CH/dev"; mount --bind /dev/pts "$CH/dev/pts"
cp /etc/resolv.conf "$CH/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$CH/usr/sbin/policy-rc.d"; chmod +x "$CH/usr/sbin/policy-rc.d"

step "prerequisite: apt-get install git make" 'apt-get update -q && apt-get install -y -q git make ca-certificates'
rm -rf "$CH/root/vigie"; git clone -q "$SRC" "$CH/root/vigie"
step "make run (setup, build, milter started)" \
	'(make run >/root/make-run.log 2>&1 &); for i in $(seq 1800); do grep -q "^vigie-milter: listening" /root/make-run.log && exit 0; sleep 1; done; exit 1'
step "printed postconf -e lines" 'grep "^    postconf -e" /root/make-run.log | sed "s/^ *//" | sh -e && postconf -e maillog_file=/var/log/postfix.log'
step "postfix start (not running after install)" 'postfix reload 2>/dev/null || postfix start'
step "swaks: honest message delivered, accept" \
	'swaks -s 127.0.0.1 --to root@localhost --from marie@example.org --header "Subject: Repas dimanche" --body "On se voit dimanche ?" && sleep 5 && grep -aq "^X-Vigie-Status: accept" /var/mail/root'
step "swaks: lure 001 rejected (550)" \
	'swaks -s 127.0.0.1 --to root@localhost --from x@example.net --data tests/corpus/phish/001-*.eml; sleep 2; grep -q "milter-reject" /var/log/postfix.log'
step "swaks: lure 015 held" \
	'swaks -s 127.0.0.1 --to root@localhost --from x@example.net --data tests/corpus/phish/015-*.eml && sleep 5 && postqueue -p | grep -q "^[0-9A-F]*!"'
HELD='$(postqueue -p | sed -n "s/^\([0-9A-F]*\)!.*/\1/p" | head -n 1)'
step "build/vigie-quarantine list" 'build/vigie-quarantine list | grep -q quarantine'
step "build/vigie-quarantine show ID" \
	"build/vigie-quarantine show --vigie-config config/vigie.conf --vigie-scan build/vigie-scan $HELD | grep -q LURE_REFUND"
step "build/vigie-quarantine release ID" \
	"id=$HELD; build/vigie-quarantine release \$id && sleep 5 && ! postqueue -p | grep -q \"^\$id\" && [ \$(grep -ac '^X-Vigie-Status' /var/mail/root) -eq 2 ]"
step "monitor mode (edit, restart make run)" \
	'pkill -x vigie-milter; sleep 3; sed -i "s/^mode = \"enforce\";/mode = \"monitor\";/" config/vigie.conf && (sh tests/run-milter.sh >/root/monitor.log 2>&1 &) && sleep 5 && swaks -s 127.0.0.1 --to root@localhost --data tests/corpus/phish/001-*.eml && sleep 5 && grep -aq "monitor=reject" /var/mail/root'
step "make uninstall (milter stopped)" \
	'git checkout config/vigie.conf; pkill -x vigie-milter; for i in $(seq 30); do pgrep -x vigie-milter >/dev/null || break; sleep 1; done; make uninstall && ! getent passwd vigie && [ ! -d /var/spool/postfix/vigie ] && [ ! -e /etc/postfix/main.cf ]'
step "make deb" 'make deb'
step "apt install ./build/deb/vigie_*.deb" 'apt-get install -y -q ./build/deb/vigie_*.deb && getent passwd vigie && grep -q "^mode = \"monitor\";" /etc/vigie/vigie.conf'
step "README.Debian: start without systemd" \
	'[ -s /usr/share/doc/vigie/README.Debian ] && cp /usr/share/postfix/main.cf.debian /etc/postfix/main.cf && newaliases && sed "/^#/d;/^\$/d;s/^/postconf -e \x27/;s/\$/\x27/" /usr/share/doc/vigie/examples/main.cf.snippet | sh -e && postconf -e maillog_file=/var/log/postfix.log && postfix reload && (runuser -u vigie -- /usr/sbin/vigie-milter -f -c /etc/vigie/vigie.conf >/root/pkg.log 2>&1 &) && sleep 5 && grep -q "mode monitor" /root/pkg.log'
step "README.Debian: switch to enforce" \
	'sed -i "s/^mode = \"monitor\";/mode = \"enforce\";/" /etc/vigie/vigie.conf && runuser -u vigie -- vigie-milter -n -c /etc/vigie/vigie.conf && kill -USR1 $(pidof vigie-milter) && sleep 3 && grep -q "reloaded" /root/pkg.log'
step "apt purge vigie" 'pkill -x vigie-milter; sleep 3; apt-get purge -y -q vigie && ! getent passwd vigie'
if [ "${VIGIE_README_CHECK:-0}" = 1 ]; then
	step "make check" 'nice -n 15 make check'
fi
echo "readme-chroot: $pass passed, $fail failed (log: $LOG)"
[ "$fail" -eq 0 ]

#!/bin/sh
# deps.sh - install the Debian packages vigie needs to build, run and test.
#
# Installs only what is missing and says which. Used by `make run`,
# `make check`, `make demo` and .ci/run; safe to run again. Each package
# is listed with the reason it is there (the README explains the choices).
set -eu

# build: compiler side
BUILD_PKGS="build-essential clang pkg-config"
# engine libraries (-dev brings the runtime library along)
BUILD_PKGS="$BUILD_PKGS libmilter-dev"		# the milter protocol (Sendmail's libmilter)
BUILD_PKGS="$BUILD_PKGS libpcre2-dev"		# rule patterns, JIT-compiled
BUILD_PKGS="$BUILD_PKGS libconfig-dev"		# vigie.conf and rule files
BUILD_PKGS="$BUILD_PKGS libgmime-3.0-dev"	# MIME tree, RFC 2047/2231, addresses, charsets
BUILD_PKGS="$BUILD_PKGS libxml2-dev"		# HTML parser (visible text, links)
BUILD_PKGS="$BUILD_PKGS libidn2-dev"		# IDNA: punycode host names
BUILD_PKGS="$BUILD_PKGS libpsl-dev publicsuffix"	# registrable domains
BUILD_PKGS="$BUILD_PKGS libicu-dev"		# Unicode normalisation, confusable skeletons
BUILD_PKGS="$BUILD_PKGS libmagic-dev"		# attachment types sniffed from content
BUILD_PKGS="$BUILD_PKGS libmicrohttpd-dev"	# the statistics endpoint (Prometheus)
BUILD_PKGS="$BUILD_PKGS libhyperscan-dev"	# one-pass prefilter before the PCRE2 rule patterns
BUILD_PKGS="$BUILD_PKGS libpoppler-glib-dev"	# PDF attachments: page text, link annotations, form fields
BUILD_PKGS="$BUILD_PKGS libarchive-dev"		# ZIP (and other) archive attachments: members, encryption
BUILD_PKGS="$BUILD_PKGS libzbar-dev libpng-dev libjpeg-dev"	# QR codes in PNG / JPEG images
BUILD_PKGS="$BUILD_PKGS libtesseract-dev"	# OCR of images, off by default (ocr = true)
BUILD_PKGS="$BUILD_PKGS libopendkim-dev"	# DKIM signatures verified by vigie itself
BUILD_PKGS="$BUILD_PKGS libopendmarc-dev"	# DMARC record parser
BUILD_PKGS="$BUILD_PKGS libspf2-dev"		# SPF of the envelope
BUILD_PKGS="$BUILD_PKGS libunbound-dev"	# DNS with a time budget and a shared TTL cache
# tests
TEST_PKGS="libcmocka-dev"			# unit test framework
TEST_PKGS="$TEST_PKGS postfix swaks"		# end-to-end: a private Postfix, an SMTP client
TEST_PKGS="$TEST_PKGS miltertest"		# the Sendmail-side milter peer
TEST_PKGS="$TEST_PKGS python3"			# differential MIME test, JSON checks
TEST_PKGS="$TEST_PKGS procps iproute2"		# ps, pgrep, ss in the test harness
TEST_PKGS="$TEST_PKGS nsd"			# tests/auth: test zones served on loopback
TEST_PKGS="$TEST_PKGS python3-dkim"		# tests/auth: messages signed for real
TEST_PKGS="$TEST_PKGS python3-qrcode python3-png"	# QR codes in the red-team variants and attachment fixtures
TEST_PKGS="$TEST_PKGS dovecot-sieve"		# sieve-test: the Sieve example (no Dovecot service is used)
TEST_PKGS="$TEST_PKGS rspamd"			# tests/e2e/test_rspamd.sh: the rspamd recipe (a private instance)
TEST_PKGS="$TEST_PKGS opendmarc"			# tests/e2e/test_opendmarc.sh: the OpenDMARC recipe (a private instance)
TEST_PKGS="$TEST_PKGS curl"			# the statistics endpoint in the privacy test
TEST_PKGS="$TEST_PKGS tesseract-ocr-fra"	# tests/ocr and the corpus: French data for the OCR tests
TEST_PKGS="$TEST_PKGS valgrind"			# leak check over many milter sessions
TEST_PKGS="$TEST_PKGS libclang-rt-14-dev"	# sanitizer and libFuzzer runtimes for clang
# packaging
TEST_PKGS="$TEST_PKGS debhelper"		# make deb: dh, compat 13 (dpkg-dev comes with build-essential)
TEST_PKGS="$TEST_PKGS lintian"			# make check-package: lint the .deb
TEST_PKGS="$TEST_PKGS m4"			# Sendmail test: sendmail.cf from a .mc (Sendmail itself is only unpacked)

case "${1:-all}" in
build)	want="$BUILD_PKGS" ;;
*)	want="$BUILD_PKGS $TEST_PKGS" ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "deps: all Debian packages present"
	exit 0
fi
echo "deps: installing missing Debian packages:$missing"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: run as root (or install them yourself): apt-get install$missing" >&2
	exit 1
fi
# Postfix asks how to configure itself: leave the system's mail setup alone.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing

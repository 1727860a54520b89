#!/bin/bash
# test_corpus.sh - the shipped rules against the project's French corpus
# and the shared real-mail corpora, with the plain and the ASan+UBSan
# builds of vigie-scan.
#
#   tests/corpus/phish/*   every message quarantined or rejected, with the
#                          shipped config and with the site's (site.conf);
#                          *-ocr-* lures (text only in an image) with those
#                          configs plus ocr = true, which is off by default
#                          (tests/ocr/test_ocr.sh shows OCR off misses them)
#   tests/corpus/legit/*   every message accepted with site.conf: the shipped
#                          rules plus the settings a site gives (its own
#                          domains, a partner, its report mailboxes)
#   tests/corpus/warning/* honest warnings about a brand's fakes from an
#                          authenticated third party (a bank, a newspaper)
#                          that is neither brand, site nor partner: tagged
#                          at most (their quoted lures may tag them; only
#                          authenticated partners earn counter-evidence)
#   tests/corpus/report/*  lures forwarded to the security team: stopped
#                          when sent anywhere, tagged at most when every
#                          recipient is one of site.conf's report_addresses
#   shared ham             none quarantined or rejected; tag rate reported
#   shared phishing_pot    verdict counts reported; the French CPF lures
#                          that claim FranceConnect quarantined or rejected
#   shared MIME torture    a verdict for every message, no crash, no
#                          sanitizer report
# The shared corpora are scanned once, by the ASan+UBSan build when there
# is one (else the plain build).
# The shared corpora are read from $VIGIE_CORPUS (../shared/corpus); where
# it is absent those checks are skipped with a message.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/lib.sh
CONF=config/vigie.conf
TRUST="--trusted-authserv-id mx.vigie-test.example"
TMP=$(mktemp -d /tmp/vigie-corpus.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

# scan BIN OUT PATH... - run vigie-scan, keep its output; fail on a crash
scan() {
	local bin=$1 out=$2
	shift 2
	"$bin" -c "$CONF" $TRUST "$@" >"$out" 2>"$out.err"
	local rc=$?
	if [ $rc -ne 0 ] || grep -q 'Sanitizer\|runtime error' "$out.err"; then
		not_ok "$bin ${*: -1}: exit $rc $(head -c 300 "$out.err")"
		return 1
	fi
	return 0
}

# expect_all OUT WORDS WHAT - every line's action is one of WORDS
expect_all() {
	local out=$1 words=$2 what=$3 bad
	bad=$(awk -v w=" $words " 'index(w, " " $2 " ") == 0' "$out")
	if [ -z "$bad" ]; then
		ok "$what ($(wc -l <"$out") messages)"
	else
		not_ok "$what: $(echo "$bad" | wc -l) wrong:"
		echo "$bad" | sed 's/^/    /'
	fi
}

# part OUT DIR - the lines of the combined output OUT about files in DIR
# (each scan below reads several directories at once: the start-up, which
# compiles the rules, costs seconds in the ASan build)
part() {
	grep -F "$2/" "$1" | grep -v 'SOURCES.tsv'
}

# no_ocr - the lines not about lures only OCR reads (judged with OCR on below)
no_ocr() {
	grep -v -- '/[0-9]*-ocr-[^/]*\.eml '
}

# ocr_conf CONF OUT - CONF with ocr = true, its rule paths made absolute
ocr_conf() {
	sed -e "s|\"\.\./\.\./|\"$PWD/|g" -e "s|\"rules/|\"$PWD/config/rules/|g" \
	    -e '/^ocr = /d' "$1" >"$2"
	echo 'ocr = true;' >>"$2"
}
# as vigie.service runs tesseract: one OpenMP thread per engine
export OMP_THREAD_LIMIT=1
ocr_conf config/vigie.conf "$TMP/shipped-ocr.conf"
ocr_conf tests/corpus/site.conf "$TMP/site-ocr.conf"
OCR_FILES=$(ls tests/corpus/phish/*-ocr-*.eml tests/corpus/legit/*-ocr-*.eml)

for bin in build/vigie-scan build-asan/vigie-scan; do
	[ -x "$bin" ] || continue
	if scan "$bin" "$TMP/shipped" tests/corpus/phish tests/corpus/warning tests/corpus/report; then
		part "$TMP/shipped" tests/corpus/phish | no_ocr >"$TMP/phish"
		expect_all "$TMP/phish" "quarantine reject" "$bin: French lures quarantined or rejected"
		part "$TMP/shipped" tests/corpus/warning >"$TMP/warning"
		expect_all "$TMP/warning" "accept tag" "$bin: third parties' warnings about fakes tagged at most"
		part "$TMP/shipped" tests/corpus/report >"$TMP/report"
		expect_all "$TMP/report" "quarantine reject" "$bin: forwarded lures stopped when not sent to a report mailbox"
	fi
	if CONF=tests/corpus/site.conf scan "$bin" "$TMP/site" tests/corpus/phish tests/corpus/legit; then
		part "$TMP/site" tests/corpus/phish | no_ocr >"$TMP/phish-site"
		expect_all "$TMP/phish-site" "quarantine reject" "$bin: French lures quarantined or rejected (site.conf)"
		part "$TMP/site" tests/corpus/legit >"$TMP/legit"
		expect_all "$TMP/legit" "accept" "$bin: honest French mail accepted (site.conf)"
	fi
	if CONF=$TMP/shipped-ocr.conf scan "$bin" "$TMP/ocr" $OCR_FILES; then
		part "$TMP/ocr" tests/corpus/phish >"$TMP/phish-ocr"
		expect_all "$TMP/phish-ocr" "quarantine reject" "$bin: French lures in images quarantined or rejected (ocr = true)"
	fi
	if CONF=$TMP/site-ocr.conf scan "$bin" "$TMP/ocr-site" $OCR_FILES; then
		part "$TMP/ocr-site" tests/corpus/phish >"$TMP/phish-ocr-site"
		expect_all "$TMP/phish-ocr-site" "quarantine reject" "$bin: French lures in images quarantined or rejected (site.conf, ocr = true)"
		part "$TMP/ocr-site" tests/corpus/legit >"$TMP/legit-ocr"
		expect_all "$TMP/legit-ocr" "accept" "$bin: honest French mail in images accepted (site.conf, ocr = true)"
	fi
	if CONF=tests/corpus/site.conf scan "$bin" "$TMP/report-team" \
	    --recipient securite@acme-industries.fr --recipient phishing@acme-industries.fr \
	    tests/corpus/report; then
		expect_all "$TMP/report-team" "accept tag" "$bin: forwarded lures reach the report mailboxes (tagged at most)"
	fi
	if CONF=tests/corpus/site.conf scan "$bin" "$TMP/report-json" --json \
	    --recipient securite@acme-industries.fr tests/corpus/report; then
		check_eq "$bin: every forwarded lure judged on its own: quarantine or reject" \
		    "$(grep -c '"forwarded":"\(quarantine\|reject\) ' "$TMP/report-json")" \
		    "$(ls tests/corpus/report/*.eml | wc -l)"
	fi
done

# report mailboxes with an address extension (Postfix's recipient_delimiter):
# securite+lures@ is delivered to securite@, so the forwarded lure is
# judged on its own ("forwarded" in --json); with the delimiter turned off
# it is an ordinary recipient
if [ -x build/vigie-scan ]; then
	NREPORT=$(ls tests/corpus/report/*.eml | wc -l)
	if CONF=tests/corpus/site.conf scan build/vigie-scan "$TMP/report-ext" --json \
	    --recipient securite+lures@acme-industries.fr --recipient phishing+fr@acme-industries.fr \
	    tests/corpus/report; then
		check_eq "report mailboxes with a +extension: each forwarded lure judged on its own" \
		    "$(grep -c '"forwarded":"\(quarantine\|reject\) ' "$TMP/report-ext")" "$NREPORT"
	fi
	sed -e 's/^report_addresses = .*/&\nrecipient_delimiter = "";/' \
	    -e "s|\"\\.\\./\\.\\./|\"$PWD/|g" tests/corpus/site.conf >"$TMP/site-nodelim.conf"
	if CONF=$TMP/site-nodelim.conf scan build/vigie-scan "$TMP/report-noext" --json \
	    --recipient securite+lures@acme-industries.fr tests/corpus/report; then
		check_eq "recipient_delimiter = \"\": securite+lures@ is no report mailbox" \
		    "$(grep -c '"forwarded":' "$TMP/report-noext")" 0
	fi
fi

if [ -z "${VIGIE_CORPUS:-}" ] || [ ! -d "${VIGIE_CORPUS}" ]; then
	echo "# shared corpus absent (../shared/corpus): real-mail checks skipped"
else
	# the real-mail corpora once, with the sanitizers (the verdicts are
	# the plain build's: the French corpus above checks both agree), in
	# one run
	for bin in build-asan/vigie-scan build/vigie-scan; do
		[ -x "$bin" ] || continue
		MIME_DIRS=$(ls -d "$VIGIE_CORPUS"/mime/* "$VIGIE_CORPUS/spamassassin_spam_2")
		scan "$bin" "$TMP/shared" "$VIGIE_CORPUS/spamassassin_easy_ham" \
		    "$VIGIE_CORPUS/spamassassin_easy_ham_2" "$VIGIE_CORPUS/phishing_pot" \
		    $MIME_DIRS || break
		for ham in spamassassin_easy_ham spamassassin_easy_ham_2; do
			part "$TMP/shared" "$VIGIE_CORPUS/$ham" >"$TMP/$ham.msgs"
			expect_all "$TMP/$ham.msgs" "accept tag" "$bin: $ham: none quarantined or rejected"
			echo "# $ham: $(awk '$2 == "tag"' "$TMP/$ham.msgs" | wc -l) of $(wc -l <"$TMP/$ham.msgs") tagged"
		done
		part "$TMP/shared" "$VIGIE_CORPUS/phishing_pot" >"$TMP/pot"
		echo "# phishing_pot verdicts: $(awk '{print $2}' "$TMP/pot" | sort | uniq -c | tr -s ' \n' ' ')"
		grep -E 'sample-(5838|5949|5955|6016|6233|6246|6255|6263|6264|6391|6757)\.eml' "$TMP/pot" >"$TMP/cpf"
		if [ "$(wc -l <"$TMP/cpf")" -eq 11 ]; then
			expect_all "$TMP/cpf" "quarantine reject" "$bin: CPF lures claiming FranceConnect caught"
		else
			not_ok "$bin: CPF samples missing from phishing_pot output"
		fi
		# malformed MIME: a verdict for every file, no crash
		for d in $MIME_DIRS; do
			files=$(find "$d" -type f ! -name SOURCES.tsv | wc -l)
			judged=$(part "$TMP/shared" "$d" | awk '{print $1}' | sed 's/:[0-9]*$//' | sort -u | wc -l)
			if [ "$judged" -ge "$files" ]; then
				ok "$bin: $(basename "$d"): a verdict for each of $files files"
			else
				not_ok "$bin: $(basename "$d"): $judged verdicts for $files files"
			fi
		done
		break
	done
fi
finish

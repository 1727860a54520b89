/*
 * scan_main.c - vigie-scan: judge message files with the same engine as
 * the milter; the tuning tool of security teams.
 *
 * usage: vigie-scan [-c FILE] [--json | --dump] [--explain] [--summary]
 *                   [--expect phish|ham] [-j N] [--sender ADDR]
 *                   [--recipient ADDR]... [--client-ip IP] [--helo NAME]
 *                   [--mail-from ADDR] [--spf-from-headers]
 *                   [--trusted-authserv-id ID]... [PATH...]
 *        vigie-scan [-c FILE] --check
 *        vigie-scan --list-detectors
 *
 * Messages are read by the main thread and judged by -j worker threads
 * (default: one per CPU); output comes in input order. --summary prints,
 * instead of one line per message, the hits per rule and the messages
 * per action; with --expect it lists the messages that missed (phish:
 * accepted or only tagged) or were false positives (ham: not accepted).
 * --check lints the configuration and rules and runs their examples, and
 * says what each detector in use fires on; --list-detectors lists them all.
 *
 * DKIM and DMARC are verified from the file itself (authentication in
 * vigie.conf); SPF only with --client-ip (and --helo, --mail-from, the
 * latter the same as --sender), which say where the message came from;
 * or, approximately, with --spf-from-headers: the client and HELO of the
 * topmost Received field and the Return-Path.
 *
 * Exit status: 0 when every message was scanned (whatever the verdicts),
 * 1 when an input could not be read, 2 on a usage or configuration error,
 * 3 when --expect found misses or false positives.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "detector.h"
#include "engine.h"
#include "lint.h"
#include "log.h"
#include "redact.h"
#include "scan_input.h"
#include "scan_output.h"
#include "scan_pool.h"
#include "scan_summary.h"
#include "scanctx.h"

#define DEFAULT_CONF	"/etc/vigie/vigie.conf"
#define PROGRESS_EVERY	0.5	/* seconds between progress lines */

struct scan_state {
	const struct conf *conf;
	const char *sender;
	struct strlist recipients;	/* envelope recipients, as RCPT TO */
	const char *client_ip;
	const char *helo;
	int	 spf_from_headers;
	enum scan_format format;
	int	 explain;
	int	 summary_only;
	struct scan_summary *summary;
	struct scan_pool *pool;
	/* the message being read */
	char	*label;
	struct buf data;
	size_t	 keep;			/* bytes worth keeping per message */
	/* progress, touched only by emit (under the pool lock) */
	int	 progress;
	size_t	 done;
	struct timespec start, last;
	int	 failed;
};

/* usage - the synopsis on out */
static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: vigie-scan [-c FILE] [--json | --dump] [--explain] "
	    "[--summary]\n"
	    "                  [--expect phish|ham] [-j N] [--sender ADDR]\n"
	    "                  [--recipient ADDR]... [--client-ip IP] [--helo NAME]\n"
	    "                  [--mail-from ADDR] [--spf-from-headers]\n"
	    "                  [--trusted-authserv-id ID]... [PATH...]\n"
	    "       vigie-scan [-c FILE] --check\n"
	    "       vigie-scan --list-detectors | --help | --version\n"
	    "PATH is a message, a directory, a Maildir, an mbox or - "
	    "(standard input,\nalso read when no PATH is given).\n");
}

/* usage_error - what is wrong, on stderr, then exit 2 */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("vigie-scan: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'vigie-scan --help'.\n", stderr);
	exit(2);
}

/* seconds_since - elapsed time */
static double
seconds_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
	    (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* judge - one message, in a worker thread */
static void
judge(void *arg, const char *label, const struct buf *data,
    struct scan_result *r)
{
	struct scan_state *st = arg;
	struct engine_msg *m;
	struct verdict v;
	size_t i;

	if ((m = engine_msg_new(st->conf)) == NULL ||
	    (st->sender != NULL && engine_msg_sender(m, st->sender) < 0) ||
	    (st->client_ip != NULL &&
	    engine_msg_client(m, st->client_ip) < 0) ||
	    (st->helo != NULL && engine_msg_helo(m, st->helo) < 0) ||
	    engine_msg_raw(m, buf_cstr(data), data->len) < 0) {
		r->error = 1;
		(void)buf_printf(&r->text, "%s error\n", label);
		engine_msg_free(m);
		return;
	}
	for (i = 0; i < st->recipients.n; i++)
		(void)engine_msg_recipient(m, st->recipients.v[i]);
	if (st->spf_from_headers)
		engine_msg_spf_from_headers(m);
	engine_msg_finish(m, &v);
	r->error = v.error;
	r->action = v.action;
	if (!st->summary_only)
		scan_output_format(&r->text, st->format, st->explain, label, &v,
		    engine_msg_view(m), st->conf->rules.rules);
	if (v.nhits > 0 && (r->rules = calloc(v.nhits,
	    sizeof(*r->rules))) != NULL) {
		for (i = 0; i < v.nhits; i++)
			r->rules[i] = (size_t)(v.hits[i].rule -
			    st->conf->rules.rules);
		r->nrules = v.nhits;
	}
	engine_msg_free(m);
}

/* emit - print and count one result, in input order */
static void
emit(void *arg, const char *label, const struct scan_result *r)
{
	struct scan_state *st = arg;
	double elapsed;

	if (r->error)
		st->failed = 1;
	fputs(buf_cstr(&r->text), stdout);
	if (st->summary != NULL)
		(void)scan_summary_add(st->summary, label, r->action, r->error,
		    r->rules, r->nrules);
	st->done++;
	if (st->progress && seconds_since(&st->last) >= PROGRESS_EVERY) {
		clock_gettime(CLOCK_MONOTONIC, &st->last);
		elapsed = seconds_since(&st->start);
		fprintf(stderr, "\r%zu messages, %.0f/s ", st->done,
		    elapsed > 0 ? (double)st->done / elapsed : 0.0);
	}
}

/* sink_begin - a message starts: remember its (sanitised) label */
static int
sink_begin(void *arg, const char *label)
{
	struct scan_state *st = arg;
	struct buf safe;

	buf_init(&safe);
	/*
	 * a file name may come from an attacker (a saved attachment): no
	 * control characters; its digits are the user's and stay as they are
	 */
	if (redact_controls(label, strlen(label), &safe) < 0 ||
	    (st->label = strdup(buf_cstr(&safe))) == NULL) {
		buf_free(&safe);
		st->failed = 1;
		return -1;
	}
	buf_free(&safe);
	buf_reset(&st->data);
	return 0;
}

/* sink_data - keep what the engine would keep (one byte more marks the cut) */
static int
sink_data(void *arg, const void *p, size_t n)
{
	struct scan_state *st = arg;

	if (st->data.len >= st->keep)
		return 0;
	if (n > st->keep - st->data.len)
		n = st->keep - st->data.len;
	if (buf_append(&st->data, p, n) < 0) {
		st->failed = 1;
		return -1;
	}
	return 0;
}

/* sink_end - hand the message to the workers */
static void
sink_end(void *arg)
{
	struct scan_state *st = arg;

	(void)scan_pool_submit(st->pool, st->label, &st->data);
	st->label = NULL;
}

/* list_detectors - --list-detectors: "name<TAB>summary" lines */
static void
list_detectors(void)
{
	const struct detector *d;

	for (d = detector_list(); d->name != NULL; d++)
		printf("%s\t%s\n", d->name, d->summary);
}

/* check_only - --check: lint, the detectors in use, and a summary */
static int
check_only(const struct conf *conf, const char *path)
{
	const struct detector *d;
	struct buf warnings;
	size_t n, i, uses;

	buf_init(&warnings);
	n = lint_ruleset(&conf->rules, conf->path, &warnings);
	fputs(buf_cstr(&warnings), stderr);
	for (d = detector_list(); d->name != NULL; d++) {
		for (uses = 0, i = 0; i < conf->rules.nrules; i++)
			uses += conf->rules.rules[i].detector == d;
		if (uses > 0)
			printf("detector %s (%zu rule%s): %s\n", d->name, uses,
			    uses > 1 ? "s" : "", d->summary);
	}
	printf("%s: OK, %zu rules, %zu brands, %zu warnings\n", path,
	    conf->rules.nrules, conf->rules.nbrands, n);
	buf_free(&warnings);
	return 0;
}

/* default_jobs - one worker per online CPU */
static unsigned
default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 && n < 64 ? (unsigned)n : 1;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "explain", no_argument, NULL, 'e' },
		{ "dump", no_argument, NULL, 'd' },
		{ "summary", no_argument, NULL, 'S' },
		{ "expect", required_argument, NULL, 'x' },
		{ "check", no_argument, NULL, 'k' },
		{ "list-detectors", no_argument, NULL, 'L' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "sender", required_argument, NULL, 's' },
		{ "recipient", required_argument, NULL, 'r' },
		{ "mail-from", required_argument, NULL, 's' },
		{ "client-ip", required_argument, NULL, 'i' },
		{ "helo", required_argument, NULL, 'H' },
		{ "spf-from-headers", no_argument, NULL, 'R' },
		{ "trusted-authserv-id", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_state st;
	struct scan_sink sink = { sink_begin, sink_data, sink_end, &st };
	struct strlist trusted = { 0 };
	enum scan_expect expect = EXPECT_NONE;
	const char *conf_path = DEFAULT_CONF;
	struct buf errors;
	struct conf *conf;
	unsigned jobs = default_jobs();
	int ch, rc = 0, check = 0, summary = 0;
	size_t i;
	char *end;

	memset(&st, 0, sizeof(st));
	opterr = 0;	/* usage_error() says what is wrong */
	while ((ch = getopt_long(argc, argv, ":c:j:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			conf_path = optarg;
			break;
		case 'J':
			st.format = SCAN_JSON;
			break;
		case 'd':
			st.format = SCAN_DUMP;
			break;
		case 'e':
			st.explain = 1;
			break;
		case 'S':
			summary = 1;
			break;
		case 'x':
			if (strcmp(optarg, "phish") == 0)
				expect = EXPECT_PHISH;
			else if (strcmp(optarg, "ham") == 0)
				expect = EXPECT_HAM;
			else
				usage_error("--expect: \"%s\" is neither phish "
				    "nor ham", optarg);
			summary = 1;
			break;
		case 'k':
			check = 1;
			break;
		case 'L':
			list_detectors();
			return 0;
		case 'j':
			jobs = (unsigned)strtoul(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || jobs == 0 ||
			    jobs > 256)
				usage_error("-j: \"%s\" is not a number of jobs "
				    "from 1 to 256", optarg);
			break;
		case 's':
			st.sender = optarg;
			break;
		case 'r':
			if (strlist_push(&st.recipients, optarg) < 0)
				return 2;
			break;
		case 'i':
			st.client_ip = optarg;
			break;
		case 'H':
			st.helo = optarg;
			break;
		case 'R':
			st.spf_from_headers = 1;
			break;
		case 't':
			if (strlist_push(&trusted, optarg) < 0)
				return 2;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("vigie-scan %s\n", VIGIE_VERSION);
			return 0;
		case ':':
			usage_error("%s needs a value", argv[optind - 1]);
		default:
			usage_error("unknown option %s", argv[optind - 1]);
		}
	}
	if (optind == argc && !check && isatty(STDIN_FILENO))
		usage_error("no PATH given and standard input is a terminal");
	log_open("vigie-scan", 1);
	if (engine_init() < 0) {
		fprintf(stderr, "vigie-scan: cannot initialise the libraries\n");
		return 2;
	}
	buf_init(&errors);
	if ((conf = conf_load(conf_path, &errors)) == NULL) {
		fputs(buf_cstr(&errors), stderr);
		buf_free(&errors);
		strlist_free(&trusted);
		return 2;
	}
	buf_free(&errors);
	if (check) {
		rc = check_only(conf, conf_path);
		conf_free(conf);
		strlist_free(&trusted);
		return rc;
	}
	for (i = 0; i < trusted.n; i++)
		if (strlist_push(&conf->trusted_authserv_ids, trusted.v[i]) < 0)
			return 2;
	strlist_free(&trusted);

	st.conf = conf;
	st.summary_only = summary && st.format == SCAN_TEXT && !st.explain;
	st.keep = conf->limits.max_scan_bytes + 1;
	st.progress = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &st.start);
	st.last = st.start;
	buf_init(&st.data);
	if ((summary && (st.summary = scan_summary_new(conf, expect)) ==
	    NULL) || (st.pool = scan_pool_new(jobs, jobs * 8, judge, &st,
	    emit, &st)) == NULL) {
		fprintf(stderr, "vigie-scan: out of memory\n");
		return 2;
	}
	if (optind == argc && scan_input_path("-", &sink) < 0)
		rc = 1;
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (scan_input_path(argv[i], &sink) < 0)
			rc = 1;
	scan_pool_finish(st.pool);
	if (st.progress)
		fprintf(stderr, "\r%zu messages in %.1f s\n", st.done,
		    seconds_since(&st.start));
	if (st.failed)
		rc = 1;
	if (st.summary != NULL) {
		scan_summary_print(st.summary, stdout);
		if (rc == 0 && scan_summary_unexpected(st.summary) > 0)
			rc = 3;
		scan_summary_free(st.summary);
	}
	free(st.label);
	buf_free(&st.data);
	strlist_free(&st.recipients);
	conf_free(conf);
	return rc;
}

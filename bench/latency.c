/*
 * latency.c - per-message judging time of the engine, in process.
 *
 * SYNOPSIS
 *	latency -c CONF [-c CONF]... [-r REPEAT] [-w WARMUP] [-t KIB] [-p] [-H]
 *	    PATH...
 *
 * DESCRIPTION
 *	Loads each CONF once (conf_load: the rules are compiled before any
 *	timing; up to 8), reads every message file named, or found directly in a
 *	directory named (sorted by name, dot files skipped), into memory,
 *	then times engine_msg_new / engine_msg_raw / engine_msg_finish /
 *	engine_msg_free for each, as vigie-scan's judge() does. Nothing is
 *	read from disk while the clock runs.
 *
 *	Each message is judged REPEAT times (default 1) with each conf in
 *	turn (interleaved, so that the confs compare under the same load),
 *	after WARMUP untimed passes over the whole set (default 1: caches,
 *	JIT stacks and the per-thread scratch are warm, as in a running
 *	milter); a message's time is the median of its repeats. Wall time is
 *	CLOCK_MONOTONIC, CPU time CLOCK_THREAD_CPUTIME_ID (less disturbed by
 *	other load).
 *
 *	With -t KIB, a buffer of KIB KiB is written over before each timed
 *	judgement, outside the clock: the caches are then cold, as they are
 *	in vigie-milter, where Postfix's processes run between two messages.
 *
 *	With -H, SPF is checked too, from each message's topmost Received
 *	field and its Return-Path (engine_msg_spf_from_headers, as
 *	vigie-scan --spf-from-headers): the DNS rows of make bench.
 *
 *	Prints one JSON object: the number of messages and bytes, and per
 *	conf ("confs": [...]) its load time and rule count and p50 / p90 /
 *	p99 / max / mean / sum of the per-message wall and CPU times in
 *	microseconds. With -p each conf also lists every message
 *	("per_file": name, bytes, wall_us, cpu_us).
 *
 * DIAGNOSTICS
 *	Exit 2 on a usage, config or read error; 1 when a verdict reported
 *	an internal error; 0 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"

#define MAXCONF	8

struct msgfile {
	char	*name;
	char	*data;
	size_t	 len;
};

static struct msgfile *files;
static size_t nfiles, afiles;
static int spf_from_headers;	/* -H */

/* die - print and exit 2 */
static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "latency: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	exit(2);
}

/* read_file - whole file into a new message slot */
static void
read_file(const char *path)
{
	FILE *f;
	struct stat st;
	struct msgfile *m;

	if ((f = fopen(path, "rb")) == NULL)
		die(path, strerror(errno));
	if (fstat(fileno(f), &st) < 0 || !S_ISREG(st.st_mode)) {
		fclose(f);
		return;
	}
	if (nfiles == afiles) {
		afiles = afiles ? afiles * 2 : 256;
		if ((files = realloc(files, afiles * sizeof(*files))) == NULL)
			die("out of memory", NULL);
	}
	m = &files[nfiles];
	memset(m, 0, sizeof(*m));
	m->len = (size_t)st.st_size;
	if ((m->data = malloc(m->len + 1)) == NULL ||
	    (m->name = strdup(path)) == NULL)
		die("out of memory", NULL);
	if (m->len > 0 && fread(m->data, 1, m->len, f) != m->len)
		die(path, "short read");
	fclose(f);
	nfiles++;
}

/* cmp_str - qsort on strings */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* add_path - a file, or the regular files directly in a directory */
static void
add_path(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *de;
	char **names = NULL, *p;
	size_t n = 0, a = 0, i;

	if (stat(path, &st) < 0)
		die(path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		read_file(path);
		return;
	}
	if ((d = opendir(path)) == NULL)
		die(path, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == a) {
			a = a ? a * 2 : 256;
			if ((names = realloc(names, a * sizeof(*names))) == NULL)
				die("out of memory", NULL);
		}
		if ((p = malloc(strlen(path) + strlen(de->d_name) + 2)) == NULL)
			die("out of memory", NULL);
		sprintf(p, "%s/%s", path, de->d_name);
		names[n++] = p;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		read_file(names[i]);
		free(names[i]);
	}
	free(names);
}

/* thrash - write over a buffer of n bytes (one byte per cache line) */
static void
thrash(volatile unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i += 64)
		p[i]++;
}

/* now_us - a clock in microseconds */
static double
now_us(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* judge - one message through the engine; 1 on an internal error */
static int
judge(const struct conf *c, const struct msgfile *m)
{
	struct engine_msg *e;
	struct verdict v;
	int err;

	if ((e = engine_msg_new(c)) == NULL)
		return 1;
	if (engine_msg_raw(e, m->data, m->len) < 0) {
		engine_msg_free(e);
		return 1;
	}
	if (spf_from_headers)
		engine_msg_spf_from_headers(e);
	engine_msg_finish(e, &v);
	err = v.error;
	engine_msg_free(e);
	return err;
}

/* cmp_double - qsort on doubles */
static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* pct - nearest-rank percentile of a sorted array */
static double
pct(const double *v, size_t n, double p)
{
	size_t k;

	if (n == 0)
		return 0;
	k = (size_t)(p / 100.0 * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

/* print_stats - "name": {p50, p90, p99, max, mean, sum} */
static void
print_stats(const char *name, double *v, size_t n)
{
	double sum = 0;
	size_t i;

	for (i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof(*v), cmp_double);
	printf("\"%s\": {\"p50\": %.1f, \"p90\": %.1f, \"p99\": %.1f, "
	    "\"max\": %.1f, \"mean\": %.1f, \"sum\": %.1f}", name,
	    pct(v, n, 50), pct(v, n, 90), pct(v, n, 99), n ? v[n - 1] : 0,
	    n ? sum / (double)n : 0, sum);
}

/* json_str - a file name as a JSON string (names here are plain) */
static void
json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if ((unsigned char)*s >= 0x20)
			putchar(*s);
	}
	putchar('"');
}

/* print_conf - one conf's per-message times as JSON (sorts w and cp) */
static void
print_conf(const char *path, const struct conf *c, double load_s,
    double *w, double *cp, int per_file)
{
	size_t i;

	printf("{\"conf\": ");
	json_str(path);
	printf(", \"rules\": %zu, \"load_s\": %.3f, ", c->rules.nrules, load_s);
	if (per_file) {
		printf("\"per_file\": [");
		for (i = 0; i < nfiles; i++) {
			printf("%s{\"file\": ", i ? ", " : "");
			json_str(files[i].name);
			printf(", \"bytes\": %zu, \"wall_us\": %.1f, "
			    "\"cpu_us\": %.1f}", files[i].len, w[i], cp[i]);
		}
		printf("], ");
	}
	print_stats("wall_us", w, nfiles);
	printf(", ");
	print_stats("cpu_us", cp, nfiles);
	printf("}");
}

int
main(int argc, char **argv)
{
	const char *conf_path[MAXCONF];
	struct conf *c[MAXCONF];
	double load_s[MAXCONF], *w[MAXCONF], *cp[MAXCONF];
	int nconf = 0, repeat = 1, warmup = 1, per_file = 0, ch, r, k;
	int errors = 0;
	struct buf err;
	double t0, *rw, *rc, bytes = 0;
	unsigned char *junk = NULL;
	size_t i, junk_len = 0;

	while ((ch = getopt(argc, argv, "c:r:w:t:pH")) != -1) {
		switch (ch) {
		case 'c':
			if (nconf == MAXCONF)
				goto usage;
			conf_path[nconf++] = optarg;
			break;
		case 'r':
			repeat = atoi(optarg);
			break;
		case 'w':
			warmup = atoi(optarg);
			break;
		case 't':
			junk_len = (size_t)strtoul(optarg, NULL, 10) * 1024;
			break;
		case 'p':
			per_file = 1;
			break;
		case 'H':
			spf_from_headers = 1;
			break;
		default:
			goto usage;
		}
	}
	if (nconf == 0 || optind >= argc || repeat < 1 || warmup < 0)
		goto usage;
	if (junk_len > 0 && (junk = calloc(1, junk_len)) == NULL)
		die("out of memory", NULL);
	if (engine_init() < 0)
		die("engine_init failed", NULL);
	for (k = 0; k < nconf; k++) {
		buf_init(&err);
		t0 = now_us(CLOCK_MONOTONIC);
		if ((c[k] = conf_load(conf_path[k], &err)) == NULL)
			die(conf_path[k], buf_cstr(&err));
		load_s[k] = (now_us(CLOCK_MONOTONIC) - t0) / 1e6;
		buf_free(&err);
	}
	for (; optind < argc; optind++)
		add_path(argv[optind]);
	if (nfiles == 0)
		die("no message files", NULL);

	for (r = 0; r < warmup; r++)
		for (i = 0; i < nfiles; i++)
			for (k = 0; k < nconf; k++)
				(void)judge(c[k], &files[i]);
	rw = calloc((size_t)repeat * MAXCONF, sizeof(*rw));
	rc = calloc((size_t)repeat * MAXCONF, sizeof(*rc));
	if (rw == NULL || rc == NULL)
		die("out of memory", NULL);
	for (k = 0; k < nconf; k++)
		if ((w[k] = calloc(nfiles, sizeof(double))) == NULL ||
		    (cp[k] = calloc(nfiles, sizeof(double))) == NULL)
			die("out of memory", NULL);
	for (i = 0; i < nfiles; i++) {
		for (r = 0; r < repeat; r++) {
			for (k = 0; k < nconf; k++) {
				double w0, c0;

				if (junk != NULL)
					thrash(junk, junk_len);
				w0 = now_us(CLOCK_MONOTONIC);
				c0 = now_us(CLOCK_THREAD_CPUTIME_ID);

				errors += judge(c[k], &files[i]);
				rc[k * repeat + r] =
				    now_us(CLOCK_THREAD_CPUTIME_ID) - c0;
				rw[k * repeat + r] = now_us(CLOCK_MONOTONIC) - w0;
			}
		}
		for (k = 0; k < nconf; k++) {
			qsort(rw + k * repeat, (size_t)repeat, sizeof(*rw),
			    cmp_double);
			qsort(rc + k * repeat, (size_t)repeat, sizeof(*rc),
			    cmp_double);
			w[k][i] = rw[k * repeat + repeat / 2];
			cp[k][i] = rc[k * repeat + repeat / 2];
		}
		bytes += (double)files[i].len;
	}

	printf("{\"messages\": %zu, \"bytes\": %.0f, \"repeat\": %d, "
	    "\"errors\": %d, \"confs\": [", nfiles, bytes, repeat, errors);
	for (k = 0; k < nconf; k++) {
		if (k > 0)
			printf(", ");
		print_conf(conf_path[k], c[k], load_s[k], w[k], cp[k],
		    per_file);
		conf_free(c[k]);
	}
	printf("]}\n");
	return errors ? 1 : 0;

usage:
	fprintf(stderr, "usage: latency -c CONF [-c CONF]... [-r REPEAT] "
	    "[-w WARMUP] [-t KIB] [-p] [-H] PATH...\n");
	return 2;
}

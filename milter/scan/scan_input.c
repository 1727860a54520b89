/*
 * scan_input.c - walk files, directories, Maildirs and mbox files.
 *
 * A directory is read in name order (so runs are repeatable), hidden
 * entries skipped, subdirectories followed to a fixed depth; a Maildir
 * is just a directory whose cur/ and new/ hold the messages (tmp/ is
 * skipped). A file whose first line starts with "From " is an mbox: it
 * is split at every "From " line that follows an empty line. Files are
 * read as streams, never rewound, so that a pipe or a FIFO named on the
 * command line (/dev/stdin, <(...)) reads like a file.
 */
#include "scan_input.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

#define SCAN_MAX_DEPTH	16
#define SCAN_CHUNK	(64 * 1024)

/* scan_stream_plain - one message from a stream */
static int
scan_stream_plain(FILE *f, const char *label, const struct scan_sink *sink,
    const char *first, size_t nfirst)
{
	char buf[SCAN_CHUNK];
	size_t n;

	if (sink->begin(sink->arg, label) < 0)
		return -1;
	if (nfirst > 0)
		(void)sink->data(sink->arg, first, nfirst);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		(void)sink->data(sink->arg, buf, n);
	sink->end(sink->arg);
	return ferror(f) ? -1 : 0;
}

/*
 * scan_stream_mbox - every message of an mbox stream whose first "From "
 * (5 bytes) has already been read
 */
static int
scan_stream_mbox(FILE *f, const char *path, const struct scan_sink *sink)
{
	char *line = NULL;
	size_t cap = 0, count = 0;
	ssize_t n;
	int open = 0, prev_blank = 1, rc = 0, first = 1;
	struct buf label;

	buf_init(&label);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (first || (prev_blank && strncmp(line, "From ", 5) == 0)) {
			first = 0;
			if (open)
				sink->end(sink->arg);
			buf_reset(&label);
			if (buf_printf(&label, "%s:%zu", path, ++count) < 0 ||
			    sink->begin(sink->arg, buf_cstr(&label)) < 0) {
				open = 0;
				rc = -1;
				break;
			}
			open = 1;
			prev_blank = 0;
			continue;	/* the separator is not part of the message */
		}
		prev_blank = line[0] == '\n' ||
		    (line[0] == '\r' && line[1] == '\n');
		if (open)
			(void)sink->data(sink->arg, line, (size_t)n);
	}
	if (open)
		sink->end(sink->arg);
	if (ferror(f))
		rc = -1;
	free(line);
	buf_free(&label);
	return rc;
}

/* scan_file - a message file or an mbox */
static int
scan_file(const char *path, FILE *f, const struct scan_sink *sink)
{
	char head[5];
	size_t n = fread(head, 1, sizeof(head), f);

	if (n == sizeof(head) && memcmp(head, "From ", 5) == 0)
		return scan_stream_mbox(f, path, sink);
	return scan_stream_plain(f, path, sink, head, n);
}

static int scan_path(const char *path, const struct scan_sink *, int depth);

/* name_cmp - qsort order for directory entries */
static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* scan_dir - every entry, in name order */
static int
scan_dir(const char *path, const struct scan_sink *sink, int depth)
{
	DIR *d;
	struct dirent *e;
	char **names = NULL, **nn;
	size_t n = 0, i;
	struct buf child;
	int rc = 0;

	if (depth > SCAN_MAX_DEPTH) {
		fprintf(stderr, "vigie-scan: %s: too deep, skipped\n", path);
		return -1;
	}
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "vigie-scan: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((nn = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (nn[n] = strdup(e->d_name)) == NULL) {
			names = nn != NULL ? nn : names;
			rc = -1;
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	buf_init(&child);
	for (i = 0; i < n; i++) {
		/* a Maildir's tmp/ holds messages still being written */
		if (strcmp(names[i], "tmp") == 0) {
			buf_reset(&child);
			(void)buf_printf(&child, "%s/cur", path);
			if (access(buf_cstr(&child), F_OK) == 0)
				continue;
		}
		buf_reset(&child);
		if (buf_printf(&child, "%s%s%s", path,
		    path[strlen(path) - 1] == '/' ? "" : "/", names[i]) < 0 ||
		    scan_path(buf_cstr(&child), sink, depth + 1) < 0)
			rc = -1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&child);
	return rc;
}

/*
 * scan_path - a file or a directory; a pipe or FIFO only when the user
 * named it (depth 0): one met in a directory could block for ever
 */
static int
scan_path(const char *path, const struct scan_sink *sink, int depth)
{
	struct stat st;
	FILE *f;
	int rc;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "vigie-scan: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return scan_dir(path, sink, depth);
	if (!S_ISREG(st.st_mode) && !(depth == 0 && S_ISFIFO(st.st_mode))) {
		fprintf(stderr, "vigie-scan: %s: not a message, a directory, a "
		    "Maildir or an mbox%s\n", path, depth ? ", skipped" : "");
		return depth == 0 ? -1 : 0;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "vigie-scan: %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = scan_file(path, f, sink);
	if (rc < 0)
		fprintf(stderr, "vigie-scan: %s: read error\n", path);
	fclose(f);
	return rc;
}

/* scan_input_path - see scan_input.h */
int
scan_input_path(const char *path, const struct scan_sink *sink)
{
	if (strcmp(path, "-") == 0)
		return scan_file("-", stdin, sink);
	return scan_path(path, sink, 0);
}

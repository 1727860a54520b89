/*
 * testutil.h - small helpers shared by the unit tests: temporary files,
 * the shipped configuration.
 */
#ifndef VIGIE_TESTUTIL_H
#define VIGIE_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* test_tmpdir - a fresh directory under /tmp (path in dir, 64 bytes) */
static inline void
test_tmpdir(char dir[64])
{
	snprintf(dir, 64, "/tmp/vigie-test-XXXXXX");
	if (mkdtemp(dir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
}

/* test_write - write text to dir/name; the path goes to path (256 bytes) */
static inline void
test_write(const char *dir, const char *name, const char *text, char path[256])
{
	FILE *f;

	snprintf(path, 256, "%s/%s", dir, name);
	if ((f = fopen(path, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

#ifdef VIGIE_CONF_H
/* test_shipped_conf - engine set up and the repository's vigie.conf loaded */
static inline struct conf *
test_shipped_conf(void)
{
	struct buf err;
	struct conf *c;

	if (engine_init() < 0) {
		fprintf(stderr, "engine_init failed\n");
		exit(1);
	}
	buf_init(&err);
	if ((c = conf_load(SRCDIR "/config/vigie.conf", &err)) == NULL) {
		fprintf(stderr, "%s", buf_cstr(&err));
		exit(1);
	}
	buf_free(&err);
	return c;
}
#endif

#endif

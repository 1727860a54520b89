/*
 * replay.c - run a libFuzzer target's LLVMFuzzerTestOneInput() on files,
 * without libFuzzer or clang: linked by test_regressions.sh with one
 * tests/fuzz/fuzz_*.c, the set-up they share (fuzz_common.c) and
 * build/libvigie.a, so that `make check` runs
 * every fuzz target's code on its seeds and past crash inputs.
 *
 * usage: replay_NAME FILE|DIR...	(a directory: each regular file in it)
 *
 * Prints "replay: N inputs" and exits 0; a crash ends it like it ends
 * the fuzzer (abort, or the sanitizer's report in a sanitized build),
 * after "replay: FILE" named the input on stderr. Exit 2 when an input
 * cannot be read.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLAY_MAX	(16 * 1024 * 1024)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* replay_file - read one file whole and hand it to the target; -1 on error */
static int
replay_file(const char *path)
{
	FILE *f;
	uint8_t *data;
	size_t len;

	if ((f = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	if ((data = malloc(REPLAY_MAX)) == NULL) {
		fclose(f);
		return -1;
	}
	len = fread(data, 1, REPLAY_MAX, f);
	if (ferror(f)) {
		perror(path);
		fclose(f);
		free(data);
		return -1;
	}
	fclose(f);
	fprintf(stderr, "replay: %s\n", path);
	(void)LLVMFuzzerTestOneInput(data, len);
	free(data);
	return 0;
}

/* replay_cmp - qsort order of directory entries: by name */
static int
replay_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* replay_dir - every entry of a directory but dot files, in name order */
static int
replay_dir(DIR *d, const char *dir, size_t *count)
{
	struct dirent *de;
	char **names = NULL, **grown, path[4096];
	size_t n = 0, i;
	int rc = 0;

	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		grown = realloc(names, (n + 1) * sizeof(*names));
		if (grown == NULL) {
			rc = -1;
			break;
		}
		names = grown;
		if ((names[n] = strdup(de->d_name)) == NULL) {
			rc = -1;
			break;
		}
		n++;
	}
	if (rc == 0)
		qsort(names, n, sizeof(*names), replay_cmp);
	for (i = 0; i < n; i++) {
		if (rc == 0 && (size_t)snprintf(path, sizeof(path), "%s/%s",
		    dir, names[i]) < sizeof(path)) {
			if (replay_file(path) < 0)
				rc = -1;
			else
				(*count)++;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* main - replay each argument */
int
main(int argc, char **argv)
{
	size_t count = 0;
	DIR *d;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if ((d = opendir(argv[i])) != NULL) {
			if (replay_dir(d, argv[i], &count) < 0)
				rc = 2;
			closedir(d);
		} else if (replay_file(argv[i]) < 0)
			rc = 2;
		else
			count++;
	}
	printf("replay: %zu inputs\n", count);
	return rc;
}

/*
 * fuzz_rules.c - libFuzzer target: the rule-file parser (rule_load.c
 * through conf_load(), libconfig and PCRE2 compilation). The input is
 * written over one rule file in a private temporary directory, next to
 * a fixed vigie.conf that names it; an input starting with "#conf" is
 * written as that vigie.conf itself instead. Every load is freed, so
 * LeakSanitizer sees a leak on any error path.
 *
 * Inputs containing "@include", and "#conf" inputs containing '/', are
 * skipped: configuration comes from the administrator, and reading
 * /dev/zero or a huge system file would only measure libconfig's
 * appetite, not vigie's code.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "fuzz_common.h"

#define RULES_INPUT_MAX	(64 * 1024)

static char fuzz_rules_dir[64];
static char fuzz_rules_conf[128];
static char fuzz_rules_file[128];

static const char fuzz_rules_conf_text[] =
    "mode = \"monitor\";\n"
    "thresholds = { tag = 2.0; quarantine = 5.0; reject = 9.0; };\n"
    "rules = [ \"fuzz.rules\" ];\n";

/* fuzz_rules_write - replace a file's contents; abort when that fails */
static void
fuzz_rules_write(const char *path, const void *data, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "w")) == NULL ||
	    (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0)
		abort();
}

/* fuzz_rules_cleanup - remove the temporary directory at exit */
static void
fuzz_rules_cleanup(void)
{
	(void)unlink(fuzz_rules_file);
	(void)unlink(fuzz_rules_conf);
	(void)rmdir(fuzz_rules_dir);
}

/* fuzz_rules_setup - engine_init(), the directory and its file names; once */
static int
fuzz_rules_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	fuzz_once(engine_init);
	if (tmp == NULL || *tmp == '\0' || strlen(tmp) > 32)
		tmp = "/tmp";
	snprintf(fuzz_rules_dir, sizeof(fuzz_rules_dir), "%s/vigie-fuzz-XXXXXX",
	    tmp);
	if (mkdtemp(fuzz_rules_dir) == NULL)
		return -1;
	snprintf(fuzz_rules_conf, sizeof(fuzz_rules_conf), "%s/vigie.conf",
	    fuzz_rules_dir);
	snprintf(fuzz_rules_file, sizeof(fuzz_rules_file), "%s/fuzz.rules",
	    fuzz_rules_dir);
	atexit(fuzz_rules_cleanup);
	return 0;
}

/* fuzz_rules_has_include - the input holds "@include", in any case */
static int
fuzz_rules_has_include(const uint8_t *data, size_t size)
{
	static const char word[] = "@include";
	size_t i, k;

	for (i = 0; i + sizeof(word) - 1 <= size; i++) {
		for (k = 0; k < sizeof(word) - 1; k++)
			if (tolower(data[i + k]) != word[k])
				break;
		if (k == sizeof(word) - 1)
			return 1;
	}
	return 0;
}

/* LLVMFuzzerTestOneInput - load the input as a rule file (or vigie.conf) */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf errors;
	struct conf *c;

	fuzz_once(fuzz_rules_setup);
	if (size > RULES_INPUT_MAX || fuzz_rules_has_include(data, size))
		return 0;
	if (size >= 5 && memcmp(data, "#conf", 5) == 0) {
		if (memchr(data, '/', size) != NULL)
			return 0;
		fuzz_rules_write(fuzz_rules_conf, data, size);
		fuzz_rules_write(fuzz_rules_file, "", 0);
	} else {
		fuzz_rules_write(fuzz_rules_conf, fuzz_rules_conf_text,
		    sizeof(fuzz_rules_conf_text) - 1);
		fuzz_rules_write(fuzz_rules_file, data, size);
	}
	buf_init(&errors);
	c = conf_load(fuzz_rules_conf, &errors);
	if (c == NULL && errors.len == 0)
		abort();		/* every refusal must say why */
	conf_free(c);
	buf_free(&errors);
	return 0;
}

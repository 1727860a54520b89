/*
 * cfgfile.c - reading a libconfig file against a table of its keys.
 */
#include "cfgfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strlist.h"

/* cfgfile_error - see cfgfile.h */
void
cfgfile_error(struct buf *errors, const char *file, int line,
    const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	(void)buf_printf(errors, "%s:%d: %s\n", file ? file : "?", line, msg);
}

/*
 * nul_in_strings - the first line with a NUL in a string, 0 if none.
 * libconfig ends a string at a NUL (a raw byte or the escape \x00), so a
 * pattern "a\x00b" would silently become "a": found here, before it
 * parses. Comments (#, //, slash-star) are skipped; fp is read to its end.
 */
static int
nul_in_strings(FILE *fp)
{
	enum { CODE, STRING, LINE_COMMENT, BLOCK_COMMENT } state = CODE;
	int c, prev = 0, line = 1, hex_line = 0;
	char hex[3] = "";
	size_t nhex = 0;

	while ((c = getc(fp)) != EOF) {
		if (c == '\0')
			return line;
		if (nhex > 0 && nhex < 3) {
			hex[nhex - 1] = (char)c;
			if (++nhex == 3 && hex[0] == '0' && hex[1] == '0')
				return hex_line;
		}
		switch (state) {
		case CODE:
			if (c == '"')
				state = STRING;
			else if (c == '#' || (c == '/' && prev == '/'))
				state = LINE_COMMENT;
			else if (c == '*' && prev == '/')
				state = BLOCK_COMMENT;
			break;
		case STRING:
			if (c == '\\') {
				c = getc(fp);
				if (c == 'x' || c == 'X') {
					nhex = 1;
					hex_line = line;
				} else if (c == EOF)
					return 0;
				else if (c == '\0')
					return line;
				else if (c == '\n')
					line++;
				c = 0;	/* an escaped character ends nothing */
			} else if (c == '"')
				state = CODE;
			break;
		case LINE_COMMENT:
			if (c == '\n')
				state = CODE;
			break;
		case BLOCK_COMMENT:
			if (c == '/' && prev == '*')
				state = CODE;
			break;
		}
		if (c == '\n')
			line++;
		prev = c;
	}
	return 0;
}

/* cfgfile_open - see cfgfile.h */
int
cfgfile_open(config_t *cfg, const char *path, const char *what,
    struct buf *errors)
{
	char *dir, *slash;
	FILE *fp;
	int rc;

	if ((dir = strdup(path)) == NULL) {
		(void)buf_append_str(errors, "out of memory\n");
		return -1;
	}
	if ((slash = strrchr(dir, '/')) == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	config_init(cfg);
	config_set_include_dir(cfg, dir);
	free(dir);
	/* opened here, not by libconfig, to say why it cannot be read */
	if ((fp = fopen(path, "r")) == NULL) {
		cfgfile_error(errors, path, 0, "cannot read the %s: %s", what,
		    strerror(errno));
		config_destroy(cfg);
		return -1;
	}
	if ((rc = nul_in_strings(fp)) != 0) {
		cfgfile_error(errors, path, rc, "NUL byte (\\x00) in a string: "
		    "it would cut the string short");
		fclose(fp);
		config_destroy(cfg);
		return -1;
	}
	rewind(fp);
	rc = config_read(cfg, fp);
	fclose(fp);
	if (rc != CONFIG_TRUE) {
		cfgfile_error(errors, config_error_file(cfg) ?
		    config_error_file(cfg) : path, config_error_line(cfg), "%s",
		    config_error_text(cfg));
		config_destroy(cfg);
		return -1;
	}
	return 0;
}

/* cfgfile_line - see cfgfile.h */
int
cfgfile_line(const config_setting_t *s)
{
	return (int)config_setting_source_line(s);
}

/* cfgfile_file - see cfgfile.h; an @include'd setting has its own file */
const char *
cfgfile_file(const config_setting_t *s, const char *fallback)
{
	const char *f = config_setting_source_file(s);

	return f != NULL ? f : fallback;
}

/* word_index - the index of s in a NULL-terminated list, or -1 */
static int
word_index(const char *const *words, const char *s)
{
	int i;

	for (i = 0; words[i] != NULL; i++)
		if (strcmp(words[i], s) == 0)
			return i;
	return -1;
}

/* cfgfile_defaults - see cfgfile.h */
int
cfgfile_defaults(void *base, const struct cfgkey *table)
{
	const struct cfgkey *k;
	char *at;

	for (k = table; k->name != NULL; k++) {
		at = (char *)base + k->offset;
		if (k->type == CFGKEY_GROUP) {
			if (cfgfile_defaults(base, k->group) < 0)
				return -1;
			continue;
		}
		if (k->def == NULL)
			continue;
		switch (k->type) {
		case CFGKEY_STRING:
			free(*(char **)at);
			if ((*(char **)at = strdup(k->def)) == NULL)
				return -1;
			break;
		case CFGKEY_BOOL:
			*(int *)at = strcmp(k->def, "true") == 0;
			break;
		case CFGKEY_NUMBER:
			*(double *)at = strtod(k->def, NULL);
			break;
		case CFGKEY_SIZE:
			*(size_t *)at = strtoul(k->def, NULL, 10);
			break;
		case CFGKEY_ULONG:
			*(unsigned long *)at = strtoul(k->def, NULL, 10);
			break;
		case CFGKEY_UINT:
			*(unsigned *)at = (unsigned)strtoul(k->def, NULL, 10);
			break;
		case CFGKEY_WORD:
			*(int *)at = word_index(k->words, k->def);
			break;
		case CFGKEY_STRLIST:
		case CFGKEY_GROUP:
		case CFGKEY_LIST:
			break;
		}
	}
	return 0;
}

/* setting_number - an integer or float setting as a double; -1 if neither */
static int
setting_number(const config_setting_t *s, int integer_only, double *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*out = config_setting_get_int(s);
		return 0;
	case CONFIG_TYPE_INT64:
		*out = (double)config_setting_get_int64(s);
		return 0;
	case CONFIG_TYPE_FLOAT:
		if (integer_only)
			return -1;
		*out = config_setting_get_float(s);
		return 0;
	default:
		return -1;
	}
}

/* read_strlist - an array or list of strings, replacing what out held */
static int
read_strlist(const config_setting_t *s, struct strlist *out,
    const char *file, const char *pre, const char *name, struct buf *errors)
{
	const char *v;
	int i, n;

	strlist_free(out);
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(s, i)) == NULL) {
			cfgfile_error(errors, file, cfgfile_line(s),
			    "%s%s: element %d is not a string", pre, name,
			    i + 1);
			return -1;
		}
		if (strlist_push(out, v) < 0)
			return -1;
	}
	return 0;
}

/* what_type - what a key's value must be, for messages */
static const char *
what_type(const struct cfgkey *k, char *tmp, size_t size)
{
	size_t len, i;

	switch (k->type) {
	case CFGKEY_STRING:
		return "a string";
	case CFGKEY_BOOL:
		return "true or false";
	case CFGKEY_NUMBER:
		return "a number";
	case CFGKEY_SIZE:
	case CFGKEY_ULONG:
	case CFGKEY_UINT:
		return "an integer";
	case CFGKEY_STRLIST:
		return "a list of strings";
	case CFGKEY_GROUP:
		return "a group { ... }";
	case CFGKEY_LIST:
		return "a list ( ... )";
	case CFGKEY_WORD:
		break;
	}
	snprintf(tmp, size, "one of");
	for (i = 0; k->words[i] != NULL; i++) {
		len = strlen(tmp);
		snprintf(tmp + len, size - len, "%s \"%s\"", i ? "," : "",
		    k->words[i]);
	}
	return tmp;
}

/* read_key - one member against its table entry; 1 wrong type, 0, -1 */
static int
read_key(void *base, const struct cfgkey *k, const config_setting_t *s,
    const char *file, const char *pre, struct buf *errors)
{
	char *at = (char *)base + k->offset;
	const char *str;
	double d;
	int w;

	switch (k->type) {
	case CFGKEY_STRING:
		if ((str = config_setting_get_string(s)) == NULL)
			return 1;
		free(*(char **)at);
		return (*(char **)at = strdup(str)) != NULL ? 0 : -1;
	case CFGKEY_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			return 1;
		*(int *)at = config_setting_get_bool(s);
		return 0;
	case CFGKEY_NUMBER:
	case CFGKEY_SIZE:
	case CFGKEY_ULONG:
	case CFGKEY_UINT:
		if (setting_number(s, k->type != CFGKEY_NUMBER, &d) < 0)
			return 1;
		if (d < k->min || d > k->max) {
			cfgfile_error(errors, file, cfgfile_line(s),
			    "%s%s: %g is out of range [%g, %g]", pre, k->name,
			    d, k->min, k->max);
			return -1;
		}
		if (k->type == CFGKEY_NUMBER)
			*(double *)at = d;
		else if (k->type == CFGKEY_SIZE)
			*(size_t *)at = (size_t)d;
		else if (k->type == CFGKEY_ULONG)
			*(unsigned long *)at = (unsigned long)d;
		else
			*(unsigned *)at = (unsigned)d;
		return 0;
	case CFGKEY_STRLIST:
		if (!config_setting_is_aggregate(s))
			return 1;
		return read_strlist(s, (struct strlist *)at, file, pre,
		    k->name, errors);
	case CFGKEY_WORD:
		if ((str = config_setting_get_string(s)) == NULL)
			return 1;
		if ((w = word_index(k->words, str)) < 0) {
			char tmp[256];

			cfgfile_error(errors, file, cfgfile_line(s),
			    "%s%s: \"%s\" is not %s", pre, k->name, str,
			    what_type(k, tmp, sizeof(tmp)));
			return -1;
		}
		*(int *)at = w;
		return 0;
	case CFGKEY_LIST:
		return config_setting_is_list(s) ||
		    config_setting_is_array(s) ? 0 : 1;
	case CFGKEY_GROUP:
		break;
	}
	return 1;
}

/* cfgfile_read_group - see cfgfile.h */
int
cfgfile_read_group(void *base, const struct cfgkey *table,
    const config_setting_t *group, const char *path, const char *who,
    struct buf *errors)
{
	const struct cfgkey *k;
	const config_setting_t *s;
	const char *file = cfgfile_file(group, path), *name;
	char pre[160], tmp[256];
	int i, n, r, rc = 0;

	snprintf(pre, sizeof(pre), "%s%s", who ? who : "", who ? ": " : "");
	n = config_setting_length(group);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(group, (unsigned)i);
		name = config_setting_name(s);
		for (k = table; k->name != NULL; k++)
			if (name != NULL && strcmp(k->name, name) == 0)
				break;
		if (k->name == NULL) {
			cfgfile_error(errors, cfgfile_file(s, path),
			    cfgfile_line(s), "%sunknown key \"%s\"", pre,
			    name ? name : "(unnamed)");
			rc = -1;
			continue;
		}
		if (k->type == CFGKEY_GROUP && config_setting_is_group(s))
			r = cfgfile_read_group(base, k->group, s, path, who,
			    errors);
		else if (k->type == CFGKEY_GROUP)
			r = 1;
		else
			r = read_key(base, k, s, cfgfile_file(s, path), pre,
			    errors);
		if (r == 1)
			cfgfile_error(errors, cfgfile_file(s, path),
			    cfgfile_line(s), "%s%s: wrong type of value (want "
			    "%s)", pre, k->name, what_type(k, tmp,
			    sizeof(tmp)));
		if (r != 0)
			rc = -1;
	}
	for (k = table; k->name != NULL; k++)
		if (k->required &&
		    config_setting_get_member(group, k->name) == NULL) {
			cfgfile_error(errors, file, cfgfile_line(group),
			    "%s\"%s\" is required", pre, k->name);
			rc = -1;
		}
	return rc;
}

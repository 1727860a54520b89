/*
 * cfgfile.c - opening a libconfig file and reporting its problems.
 */
#include "cfgfile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

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

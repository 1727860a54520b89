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

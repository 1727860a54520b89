/*
 * cfgfile.h - opening a libconfig file and reporting its problems.
 *
 * Both loaders, vigie.conf (conf.c) and the rule files (rule_load.c),
 * read libconfig files through these, so that every problem is written
 * the same way, "file:line: what is wrong", one line each, collected in
 * a buffer so that `vigie-milter -n` can list them all at once.
 */
#ifndef VIGIE_CFGFILE_H
#define VIGIE_CFGFILE_H

#include <libconfig.h>

struct buf;

/* cfgfile_error - append "file:line: message\n" to an error list */
void	cfgfile_error(struct buf *errors, const char *file, int line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * cfgfile_open - config_init() cfg and read path into it, @include
 * resolved beside path; what names the file in errors ("file", "rule
 * file"). -1 with the reason appended to errors (cfg then destroyed).
 */
int	cfgfile_open(config_t *cfg, const char *path, const char *what,
	    struct buf *errors);

/* cfgfile_line - source line of a setting; cfgfile_file - its file */
int	cfgfile_line(const config_setting_t *);
const char *cfgfile_file(const config_setting_t *, const char *fallback);

#endif

/*
 * cfgfile.h - reading a libconfig file against a table of its keys.
 *
 * Both loaders, vigie.conf (conf.c) and the rule files (rule_load.c),
 * read libconfig files through these. Each describes its keys once, in a
 * table of struct cfgkey (name, type, where the value goes, its default,
 * its range); cfgfile_defaults() applies the defaults and
 * cfgfile_read_group() reads a group against the table, so that an
 * unknown, missing, mistyped or out-of-range key is an error with its
 * line, never silently ignored. Every problem is written the same way,
 * "file:line: what is wrong", one line each, collected in a buffer so
 * that `vigie-milter -n` can list them all at once.
 */
#ifndef VIGIE_CFGFILE_H
#define VIGIE_CFGFILE_H

#include <libconfig.h>

struct buf;

enum cfgkey_type {
	CFGKEY_STRING,			/* char *, a copy */
	CFGKEY_BOOL,			/* int */
	CFGKEY_NUMBER,			/* double, within [min, max] */
	CFGKEY_SIZE,			/* size_t, an integer within [min, max] */
	CFGKEY_ULONG,			/* unsigned long, likewise */
	CFGKEY_UINT,			/* unsigned, likewise */
	CFGKEY_STRLIST,			/* struct strlist, strings copied */
	CFGKEY_WORD,			/* int: the value's index in words[] */
	CFGKEY_GROUP,			/* a group { ... } read with group[] */
	CFGKEY_LIST,			/* a list ( ... ) the caller reads itself */
};

struct cfgkey {
	const char *name;		/* NULL ends a table */
	enum cfgkey_type type;
	size_t	 offset;		/* of the value in the struct filled */
	const char *def;		/* default, written as in the file; NULL: none */
	double	 min, max;		/* numbers: the range allowed */
	const char *const *words;	/* CFGKEY_WORD: NULL-terminated */
	const struct cfgkey *group;	/* CFGKEY_GROUP: its keys */
	int	 required;		/* an error when absent */
};

/*
 * cfgfile_defaults - give every key of the table (and its groups) that
 * has a default its value, in the struct at base; -1 on memory failure
 */
int	cfgfile_defaults(void *base, const struct cfgkey *table);

/*
 * cfgfile_read_group - read every member of a group into the struct at
 * base; who ("rule ID", or NULL at the top of vigie.conf) begins each
 * problem, path names the file when libconfig knows none. -1 when any
 * member was wrong (each one reported) or on memory failure.
 */
int	cfgfile_read_group(void *base, const struct cfgkey *table,
	    const config_setting_t *group, const char *path, const char *who,
	    struct buf *errors);

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

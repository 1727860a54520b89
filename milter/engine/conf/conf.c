/*
 * conf.c - vigie.conf: read, check and build a struct conf.
 *
 * The settings are described once, in the key tables below (name, type,
 * where it goes, allowed range); the loader walks the file against them,
 * so an unknown or mistyped key is an error with its line, never silently
 * ignored. Rule files are handed to rule_load.c. Nothing here is shared
 * until conf_load() returns: a reload parses a whole new conf beside the
 * one in force.
 */
#include "conf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "cfgfile.h"
#include "rule_load.h"

enum key_type {
	KEY_STRING,
	KEY_BOOL,
	KEY_SCORE,
	KEY_SIZE,
	KEY_ULONG,
	KEY_UINT,
	KEY_STRLIST,
	KEY_MODE,
	KEY_ON_ERROR,
	KEY_FORGED_ACTION,
	KEY_GROUP,
};

struct conf_key {
	const char *name;
	enum key_type type;
	size_t	 offset;		/* in struct conf */
	unsigned long min, max;		/* KEY_SIZE, KEY_ULONG, KEY_UINT */
	const struct conf_key *group;	/* KEY_GROUP: its keys */
};

#define OFF(f)	offsetof(struct conf, f)
#define END	{ NULL, KEY_STRING, 0, 0, 0, NULL }

static const struct conf_key conf_threshold_keys[] = {
	{ "tag", KEY_SCORE, OFF(thr_tag), 0, 0, NULL },
	{ "quarantine", KEY_SCORE, OFF(thr_quarantine), 0, 0, NULL },
	{ "reject", KEY_SCORE, OFF(thr_reject), 0, 0, NULL },
	END
};

static const struct conf_key conf_allow_keys[] = {
	{ "senders", KEY_STRLIST, OFF(allow_senders), 0, 0, NULL },
	{ "sender_domains", KEY_STRLIST, OFF(allow_sender_domains), 0, 0, NULL },
	{ "client_ips", KEY_STRLIST, OFF(allow_client_ips), 0, 0, NULL },
	{ "recipients", KEY_STRLIST, OFF(allow_recipients), 0, 0, NULL },
	END
};

static const struct conf_key conf_limit_keys[] = {
	{ "max_scan_bytes", KEY_SIZE, OFF(limits.max_scan_bytes),
	    4096, 1ul << 30, NULL },
	{ "max_header_bytes", KEY_SIZE, OFF(limits.max_header_bytes),
	    1024, 64ul << 20, NULL },
	{ "max_part_bytes", KEY_SIZE, OFF(limits.max_part_bytes),
	    1024, 1ul << 30, NULL },
	{ "max_text_bytes", KEY_SIZE, OFF(limits.max_text_bytes),
	    1024, 256ul << 20, NULL },
	{ "max_mime_depth", KEY_UINT, OFF(limits.max_mime_depth), 1, 1000, NULL },
	{ "max_parts", KEY_UINT, OFF(limits.max_parts), 1, 100000, NULL },
	{ "max_urls", KEY_UINT, OFF(limits.max_urls), 0, 1000000, NULL },
	{ "max_attachments", KEY_UINT, OFF(limits.max_attachments),
	    0, 100000, NULL },
	{ "regex_match_limit", KEY_ULONG, OFF(limits.regex_match_limit),
	    1000, 100000000, NULL },
	{ "regex_depth_limit", KEY_ULONG, OFF(limits.regex_depth_limit),
	    100, 10000000, NULL },
	END
};

static const struct conf_key conf_keys[] = {
	{ "socket", KEY_STRING, OFF(socket), 0, 0, NULL },
	{ "socket_mode", KEY_STRING, OFF(socket_mode), 0, 0, NULL },
	{ "user", KEY_STRING, OFF(user), 0, 0, NULL },
	{ "allow_root", KEY_BOOL, OFF(allow_root), 0, 0, NULL },
	{ "mode", KEY_MODE, OFF(mode), 0, 0, NULL },
	{ "on_error", KEY_ON_ERROR, OFF(on_error), 0, 0, NULL },
	{ "thresholds", KEY_GROUP, 0, 0, 0, conf_threshold_keys },
	{ "add_status_header", KEY_BOOL, OFF(add_status_header), 0, 0, NULL },
	{ "subject_prefix", KEY_STRING, OFF(subject_prefix), 0, 0, NULL },
	{ "reject_text", KEY_STRING, OFF(reject_text), 0, 0, NULL },
	{ "trusted_authserv_ids", KEY_STRLIST, OFF(trusted_authserv_ids),
	    0, 0, NULL },
	{ "allow", KEY_GROUP, 0, 0, 0, conf_allow_keys },
	{ "limits", KEY_GROUP, 0, 0, 0, conf_limit_keys },
	{ "rules", KEY_STRLIST, OFF(rule_files), 0, 0, NULL },
	{ "stats_listen", KEY_STRING, OFF(stats_listen), 0, 0, NULL },
	{ "reload_min_ratio", KEY_SCORE, OFF(reload_min_ratio), 0, 0, NULL },
	{ "milter_timeout", KEY_UINT, OFF(milter_timeout), 1, 86400, NULL },
	{ "max_forged_fields", KEY_UINT, OFF(max_forged_fields), 0, 10000,
	    NULL },
	{ "forged_fields_action", KEY_FORGED_ACTION,
	    OFF(forged_fields_action), 0, 0, NULL },
	END
};

/* conf_mode_name - see conf.h */
const char *
conf_mode_name(enum conf_mode m)
{
	return m == CONF_MODE_MONITOR ? "monitor" : "enforce";
}

/* conf_defaults - values for every key the file leaves out */
static int
conf_defaults(struct conf *c)
{
	c->socket = strdup("unix:/var/spool/postfix/vigie/vigie.sock");
	c->socket_mode = strdup("0660");
	c->user = strdup("");
	c->stats_listen = strdup("");
	c->subject_prefix = strdup("[SUSPECT] ");
	c->reject_text = strdup("Message rejected as suspected phishing");
	c->mode = CONF_MODE_ENFORCE;
	c->on_error = CONF_ON_ERROR_ACCEPT;
	c->thr_tag = 4.0;
	c->thr_quarantine = 8.0;
	c->thr_reject = 15.0;
	c->add_status_header = 1;
	c->milter_timeout = 600;
	c->reload_min_ratio = 0.5;
	c->max_forged_fields = 20;
	c->forged_fields_action = CONF_FORGED_REJECT;
	scan_limits_set_defaults(&c->limits);
	return c->socket && c->socket_mode && c->user && c->subject_prefix &&
	    c->reject_text && c->stats_listen ? 0 : -1;
}

/* setting_where - file and line of a setting, for messages */
static void
setting_where(const config_setting_t *s, const char *path, const char **file,
    int *line)
{
	*file = config_setting_source_file(s);
	if (*file == NULL)
		*file = path;
	*line = (int)config_setting_source_line(s);
}

/* conf_read_strlist - an array or list of strings */
static int
conf_read_strlist(const config_setting_t *s, struct strlist *out,
    const char *path, struct buf *errors)
{
	const char *file, *v;
	int line, i, n;

	setting_where(s, path, &file, &line);
	if (!config_setting_is_aggregate(s)) {
		cfgfile_error(errors, file, line, "%s: expected a list of strings",
		    config_setting_name(s));
		return -1;
	}
	strlist_free(out);
	n = config_setting_length(s);
	for (i = 0; i < n; i++) {
		if ((v = config_setting_get_string_elem(s, i)) == NULL) {
			cfgfile_error(errors, file, line,
			    "%s: element %d is not a string",
			    config_setting_name(s), i + 1);
			return -1;
		}
		if (strlist_push(out, v) < 0)
			return -1;
	}
	return 0;
}

/* conf_read_number - an integer or float setting as long double-safe value */
static int
conf_read_number(const config_setting_t *s, double *out)
{
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		*out = config_setting_get_int(s);
		return 0;
	case CONFIG_TYPE_INT64:
		*out = (double)config_setting_get_int64(s);
		return 0;
	case CONFIG_TYPE_FLOAT:
		*out = config_setting_get_float(s);
		return 0;
	default:
		return -1;
	}
}

/* conf_read_key - one setting against its table entry */
static int
conf_read_key(struct conf *c, const struct conf_key *k,
    const config_setting_t *s, const char *path, struct buf *errors)
{
	char *base = (char *)c + k->offset;
	const char *file, *str;
	int line;
	double d;

	setting_where(s, path, &file, &line);
	switch (k->type) {
	case KEY_STRING:
		if ((str = config_setting_get_string(s)) == NULL)
			break;
		free(*(char **)base);
		*(char **)base = strdup(str);
		return *(char **)base != NULL ? 0 : -1;
	case KEY_BOOL:
		if (config_setting_type(s) != CONFIG_TYPE_BOOL)
			break;
		*(int *)base = config_setting_get_bool(s);
		return 0;
	case KEY_SCORE:
		if (conf_read_number(s, &d) < 0)
			break;
		*(double *)base = d;
		return 0;
	case KEY_SIZE:
	case KEY_ULONG:
	case KEY_UINT:
		if (config_setting_type(s) != CONFIG_TYPE_INT &&
		    config_setting_type(s) != CONFIG_TYPE_INT64)
			break;
		d = (double)config_setting_get_int64(s);
		if (config_setting_type(s) == CONFIG_TYPE_INT)
			d = config_setting_get_int(s);
		if (d < (double)k->min || d > (double)k->max) {
			cfgfile_error(errors, file, line,
			    "%s: %.0f is out of range [%lu, %lu]", k->name, d,
			    k->min, k->max);
			return -1;
		}
		if (k->type == KEY_SIZE)
			*(size_t *)base = (size_t)d;
		else if (k->type == KEY_ULONG)
			*(unsigned long *)base = (unsigned long)d;
		else
			*(unsigned *)base = (unsigned)d;
		return 0;
	case KEY_STRLIST:
		return conf_read_strlist(s, (struct strlist *)base, path,
		    errors);
	case KEY_MODE:
		if ((str = config_setting_get_string(s)) == NULL)
			break;
		if (strcmp(str, "enforce") == 0)
			*(enum conf_mode *)base = CONF_MODE_ENFORCE;
		else if (strcmp(str, "monitor") == 0)
			*(enum conf_mode *)base = CONF_MODE_MONITOR;
		else {
			cfgfile_error(errors, file, line,
			    "mode: \"%s\" is neither \"enforce\" nor \"monitor\"",
			    str);
			return -1;
		}
		return 0;
	case KEY_ON_ERROR:
		if ((str = config_setting_get_string(s)) == NULL)
			break;
		if (strcmp(str, "accept") == 0)
			*(enum conf_on_error *)base = CONF_ON_ERROR_ACCEPT;
		else if (strcmp(str, "tempfail") == 0)
			*(enum conf_on_error *)base = CONF_ON_ERROR_TEMPFAIL;
		else {
			cfgfile_error(errors, file, line,
			    "on_error: \"%s\" is neither \"accept\" nor \"tempfail\"",
			    str);
			return -1;
		}
		return 0;
	case KEY_FORGED_ACTION:
		if ((str = config_setting_get_string(s)) == NULL)
			break;
		if (strcmp(str, "reject") == 0)
			*(enum conf_forged_action *)base = CONF_FORGED_REJECT;
		else if (strcmp(str, "tempfail") == 0)
			*(enum conf_forged_action *)base = CONF_FORGED_TEMPFAIL;
		else {
			cfgfile_error(errors, file, line, "forged_fields_action: "
			    "\"%s\" is neither \"reject\" nor \"tempfail\"", str);
			return -1;
		}
		return 0;
	case KEY_GROUP:
		break;
	}
	cfgfile_error(errors, file, line, "%s: wrong type of value", k->name);
	return -1;
}

/* conf_read_group - every member of a group against a key table */
static int
conf_read_group(struct conf *c, const struct conf_key *table,
    const config_setting_t *group, const char *path, struct buf *errors)
{
	const struct conf_key *k;
	const config_setting_t *s;
	const char *file;
	int i, n, line, rc = 0;

	n = config_setting_length(group);
	for (i = 0; i < n; i++) {
		s = config_setting_get_elem(group, (unsigned)i);
		for (k = table; k->name != NULL; k++)
			if (config_setting_name(s) != NULL &&
			    strcmp(k->name, config_setting_name(s)) == 0)
				break;
		if (k->name == NULL) {
			setting_where(s, path, &file, &line);
			cfgfile_error(errors, file, line, "unknown key \"%s\"",
			    config_setting_name(s) ? config_setting_name(s) :
			    "(unnamed)");
			rc = -1;
		} else if (k->type == KEY_GROUP) {
			if (!config_setting_is_group(s)) {
				setting_where(s, path, &file, &line);
				cfgfile_error(errors, file, line,
				    "%s: expected a group { ... }", k->name);
				rc = -1;
			} else if (conf_read_group(c, k->group, s, path,
			    errors) < 0)
				rc = -1;
		} else if (conf_read_key(c, k, s, path, errors) < 0)
			rc = -1;
	}
	return rc;
}

/* conf_parse_cidr - "192.0.2.0/24", "2001:db8::/32" or a single address */
static int
conf_parse_cidr(const char *text, struct cidr *out)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(text, '/');
	size_t hl = slash ? (size_t)(slash - text) : strlen(text);
	unsigned long prefix;
	char *end;

	if (hl >= sizeof(host))
		return -1;
	memcpy(host, text, hl);
	host[hl] = '\0';
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, host, out->addr) == 1) {
		out->family = AF_INET;
		out->prefix = 32;
	} else if (inet_pton(AF_INET6, host, out->addr) == 1) {
		out->family = AF_INET6;
		out->prefix = 128;
	} else
		return -1;
	if (slash != NULL) {
		prefix = strtoul(slash + 1, &end, 10);
		if (*end != '\0' || end == slash + 1 || prefix > out->prefix)
			return -1;
		out->prefix = (unsigned)prefix;
	}
	return 0;
}

/* conf_key_line - line of a top-level key, 0 when absent */
static int
conf_key_line(const config_t *cfg, const char *key)
{
	const config_setting_t *s = config_lookup(cfg, key);

	return s != NULL ? (int)config_setting_source_line(s) : 0;
}

/* conf_check - cross-key checks once everything is read */
static int
conf_check(struct conf *c, const config_t *cfg, struct buf *errors)
{
	const char *p;
	size_t i;
	int rc = 0;

	if (!(c->thr_tag <= c->thr_quarantine &&
	    c->thr_quarantine <= c->thr_reject) || c->thr_tag <= 0) {
		cfgfile_error(errors, c->path, conf_key_line(cfg, "thresholds"),
		    "thresholds: need 0 < tag <= quarantine <= reject "
		    "(got %.1f, %.1f, %.1f)", c->thr_tag, c->thr_quarantine,
		    c->thr_reject);
		rc = -1;
	}
	if (!(c->reload_min_ratio >= 0 && c->reload_min_ratio <= 1)) {
		cfgfile_error(errors, c->path, conf_key_line(cfg,
		    "reload_min_ratio"), "reload_min_ratio: %g is not between "
		    "0 and 1", c->reload_min_ratio);
		rc = -1;
	}
	/* texts that reach SMTP or headers: printable ASCII, no '%' for smfi */
	for (p = c->reject_text; *p; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '%') {
			cfgfile_error(errors, c->path, 0, "reject_text: only "
			    "printable ASCII without '%%' is allowed");
			rc = -1;
			break;
		}
	{
		char *end;
		unsigned long mode = strtoul(c->socket_mode, &end, 8);

		if (*c->socket_mode == '\0' || *end != '\0' || mode > 0777) {
			cfgfile_error(errors, c->path, conf_key_line(cfg,
			    "socket_mode"), "socket_mode: \"%s\" is not an octal "
			    "mode such as \"0660\"", c->socket_mode);
			rc = -1;
		}
	}
	for (p = c->subject_prefix; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			cfgfile_error(errors, c->path, 0, "subject_prefix: "
			    "control characters are not allowed");
			rc = -1;
			break;
		}
	if (c->allow_client_ips.n > 0 &&
	    (c->allow_cidrs = calloc(c->allow_client_ips.n,
	    sizeof(*c->allow_cidrs))) == NULL)
		return -1;
	for (i = 0; i < c->allow_client_ips.n; i++) {
		if (conf_parse_cidr(c->allow_client_ips.v[i],
		    &c->allow_cidrs[i]) < 0) {
			cfgfile_error(errors, c->path, 0, "allow.client_ips: "
			    "\"%s\" is not an IP address or CIDR range",
			    c->allow_client_ips.v[i]);
			rc = -1;
		}
		c->nallow_cidrs = i + 1;
	}
	return rc;
}

/* conf_dir - directory part of a path ("." when none) */
static char *
conf_dir(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* conf_load_rules - compile every rule file the conf names */
static int
conf_load_rules(struct conf *c, const char *dir, int line,
    struct buf *errors)
{
	struct buf p;
	size_t i;
	int rc = 0;

	buf_init(&p);
	for (i = 0; i < c->rule_files.n; i++) {
		buf_reset(&p);
		if (c->rule_files.v[i][0] != '/' &&
		    buf_printf(&p, "%s/", dir) < 0) {
			rc = -1;
			break;
		}
		if (buf_append_str(&p, c->rule_files.v[i]) < 0) {
			rc = -1;
			break;
		}
		if (access(buf_cstr(&p), R_OK) < 0) {
			cfgfile_error(errors, c->path, line, "rules: cannot read "
			    "\"%s\": %s", buf_cstr(&p), strerror(errno));
			rc = -1;
		} else if (rule_load_file(buf_cstr(&p), &c->limits, &c->rules,
		    errors) < 0)
			rc = -1;
	}
	buf_free(&p);
	if (rc == 0)
		rc = rule_load_finish(&c->rules, errors);
	return rc;
}

/* conf_load - see conf.h */
struct conf *
conf_load(const char *path, struct buf *errors)
{
	struct conf *c;
	config_t cfg;
	char *dir;
	int rc = -1;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	if ((c->path = strdup(path)) == NULL || conf_defaults(c) < 0 ||
	    (dir = conf_dir(path)) == NULL) {
		conf_free(c);
		(void)buf_append_str(errors, "out of memory\n");
		return NULL;
	}
	if (cfgfile_open(&cfg, path, "file", errors) == 0) {
		if (conf_read_group(c, conf_keys, config_root_setting(&cfg),
		    path, errors) == 0 && conf_check(c, &cfg, errors) == 0 &&
		    conf_load_rules(c, dir, conf_key_line(&cfg, "rules"),
		    errors) == 0)
			rc = 0;
		config_destroy(&cfg);
	}
	free(dir);
	if (rc < 0) {
		conf_free(c);
		return NULL;
	}
	return c;
}

/* conf_free - release a configuration and its rules */
void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->socket);
	free(c->socket_mode);
	free(c->user);
	free(c->stats_listen);
	free(c->subject_prefix);
	free(c->reject_text);
	strlist_free(&c->trusted_authserv_ids);
	strlist_free(&c->allow_senders);
	strlist_free(&c->allow_sender_domains);
	strlist_free(&c->allow_recipients);
	strlist_free(&c->allow_client_ips);
	strlist_free(&c->rule_files);
	free(c->allow_cidrs);
	ruleset_free(&c->rules);
	free(c);
}

/* cidr_contains - address in range */
static int
cidr_contains(const struct cidr *r, int family, const unsigned char *a)
{
	unsigned full = r->prefix / 8, rest = r->prefix % 8;

	if (family != r->family)
		return 0;
	if (memcmp(r->addr, a, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	return ((r->addr[full] ^ a[full]) & (0xff << (8 - rest))) == 0;
}

/* conf_client_allowed - see conf.h; IPv4-mapped IPv6 counts as IPv4 */
int
conf_client_allowed(const struct conf *c, const char *ip)
{
	unsigned char a[16];
	int family;
	size_t i;

	if (ip == NULL)
		return 0;
	if (strncasecmp(ip, "IPv6:", 5) == 0)
		ip += 5;
	if (inet_pton(AF_INET, ip, a) == 1)
		family = AF_INET;
	else if (inet_pton(AF_INET6, ip, a) == 1) {
		static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0,
		    0, 0, 0, 0, 0xff, 0xff };

		family = AF_INET6;
		if (memcmp(a, mapped, 12) == 0) {
			memmove(a, a + 12, 4);
			family = AF_INET;
		}
	} else
		return 0;
	for (i = 0; i < c->nallow_cidrs; i++)
		if (cidr_contains(&c->allow_cidrs[i], family, a))
			return 1;
	return 0;
}

/*
 * conf.c - vigie.conf: read, check and build a struct conf.
 *
 * The settings are described once, in the key tables below (name, type,
 * where it goes, default, allowed range); cfgfile.c walks the file
 * against them, so an unknown or mistyped key is an error with its line,
 * never silently ignored. Rule files are handed to rule_load.c. Nothing here is shared
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
#include "auth.h"
#include "auth_dns.h"
#include "cfgfile.h"
#include "rule_load.h"

#define OFF(f)	offsetof(struct conf, f)

static const char *const conf_mode_words[] = { "enforce", "monitor", NULL };
static const char *const conf_on_error_words[] = { "accept", "tempfail",
    NULL };
static const char *const conf_forged_action_words[] = { "reject", "tempfail",
    NULL };
/* in the order of enum conf_auth */
static const char *const conf_auth_words[] = { "both", "builtin", "trusted",
    NULL };

static const struct cfgkey conf_threshold_keys[] = {
	{ .name = "tag", .type = CFGKEY_NUMBER, .offset = OFF(thr_tag),
	    .def = "4.0", .min = -1000, .max = 1000 },
	{ .name = "quarantine", .type = CFGKEY_NUMBER,
	    .offset = OFF(thr_quarantine), .def = "8.0", .min = -1000,
	    .max = 1000 },
	{ .name = "reject", .type = CFGKEY_NUMBER, .offset = OFF(thr_reject),
	    .def = "15.0", .min = -1000, .max = 1000 },
	{ .name = NULL }
};

static const struct cfgkey conf_allow_keys[] = {
	{ .name = "senders", .type = CFGKEY_STRLIST,
	    .offset = OFF(allow_senders) },
	{ .name = "sender_domains", .type = CFGKEY_STRLIST,
	    .offset = OFF(allow_sender_domains) },
	{ .name = "client_ips", .type = CFGKEY_STRLIST,
	    .offset = OFF(allow_client_ips) },
	{ .name = "recipients", .type = CFGKEY_STRLIST,
	    .offset = OFF(allow_recipients) },
	{ .name = NULL }
};

/* no defaults here: scan_limits_set_defaults() owns them */
static const struct cfgkey conf_limit_keys[] = {
	{ .name = "max_scan_bytes", .type = CFGKEY_SIZE,
	    .offset = OFF(limits.max_scan_bytes), .min = 4096,
	    .max = 1ul << 30 },
	{ .name = "max_header_bytes", .type = CFGKEY_SIZE,
	    .offset = OFF(limits.max_header_bytes), .min = 1024,
	    .max = 64ul << 20 },
	{ .name = "max_part_bytes", .type = CFGKEY_SIZE,
	    .offset = OFF(limits.max_part_bytes), .min = 1024,
	    .max = 1ul << 30 },
	{ .name = "max_text_bytes", .type = CFGKEY_SIZE,
	    .offset = OFF(limits.max_text_bytes), .min = 1024,
	    .max = 256ul << 20 },
	{ .name = "max_mime_depth", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_mime_depth), .min = 1, .max = 1000 },
	{ .name = "max_parts", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_parts), .min = 1, .max = 100000 },
	{ .name = "max_urls", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_urls), .min = 0, .max = 1000000 },
	{ .name = "max_attachments", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_attachments), .min = 0, .max = 100000 },
	{ .name = "regex_match_limit", .type = CFGKEY_ULONG,
	    .offset = OFF(limits.regex_match_limit), .min = 1000,
	    .max = 100000000 },
	{ .name = "regex_depth_limit", .type = CFGKEY_ULONG,
	    .offset = OFF(limits.regex_depth_limit), .min = 100,
	    .max = 10000000 },
	{ .name = "max_attach_bytes", .type = CFGKEY_SIZE,
	    .offset = OFF(limits.max_attach_bytes), .min = 0,
	    .max = 1ul << 30 },
	{ .name = "max_archive_bytes", .type = CFGKEY_SIZE,
	    .offset = OFF(limits.max_archive_bytes), .min = 0,
	    .max = 1ul << 30 },
	{ .name = "max_attach_decoded", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_attach_decoded), .min = 0, .max = 10000 },
	{ .name = "max_attach_pages", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_attach_pages), .min = 0, .max = 10000 },
	{ .name = "max_archive_members", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_archive_members), .min = 0,
	    .max = 100000 },
	{ .name = "max_archive_depth", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_archive_depth), .min = 0, .max = 20 },
	{ .name = "max_attach_ms", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_attach_ms), .min = 1, .max = 60000 },
	{ .name = "max_image_pixels", .type = CFGKEY_ULONG,
	    .offset = OFF(limits.max_image_pixels), .min = 0,
	    .max = 1ul << 30 },
	{ .name = "ocr_max_images", .type = CFGKEY_UINT,
	    .offset = OFF(limits.ocr_max_images), .min = 0, .max = 1000 },
	{ .name = "ocr_max_pixels", .type = CFGKEY_ULONG,
	    .offset = OFF(limits.ocr_max_pixels), .min = 10000,
	    .max = 1ul << 30 },
	{ .name = "ocr_max_ms", .type = CFGKEY_UINT,
	    .offset = OFF(limits.ocr_max_ms), .min = 1, .max = 60000 },
	{ .name = "max_qr_pages", .type = CFGKEY_UINT,
	    .offset = OFF(limits.max_qr_pages), .min = 0, .max = 10000 },
	{ .name = NULL }
};

static const struct cfgkey conf_keys[] = {
	{ .name = "socket", .type = CFGKEY_STRING, .offset = OFF(socket),
	    .def = "unix:/var/spool/postfix/vigie/vigie.sock" },
	{ .name = "socket_mode", .type = CFGKEY_STRING,
	    .offset = OFF(socket_mode), .def = "0660" },
	{ .name = "user", .type = CFGKEY_STRING, .offset = OFF(user),
	    .def = "" },
	{ .name = "allow_root", .type = CFGKEY_BOOL, .offset = OFF(allow_root),
	    .def = "false" },
	{ .name = "mode", .type = CFGKEY_WORD, .offset = OFF(mode),
	    .def = "enforce", .words = conf_mode_words },
	{ .name = "on_error", .type = CFGKEY_WORD, .offset = OFF(on_error),
	    .def = "accept", .words = conf_on_error_words },
	{ .name = "thresholds", .type = CFGKEY_GROUP,
	    .group = conf_threshold_keys },
	{ .name = "add_status_header", .type = CFGKEY_BOOL,
	    .offset = OFF(add_status_header), .def = "true" },
	{ .name = "subject_prefix", .type = CFGKEY_STRING,
	    .offset = OFF(subject_prefix), .def = "[SUSPECT] " },
	{ .name = "spam_flag_header", .type = CFGKEY_STRING,
	    .offset = OFF(spam_flag_header), .def = "" },
	{ .name = "reject_text", .type = CFGKEY_STRING,
	    .offset = OFF(reject_text),
	    .def = "Message rejected as suspected phishing" },
	{ .name = "trusted_authserv_ids", .type = CFGKEY_STRLIST,
	    .offset = OFF(trusted_authserv_ids) },
	{ .name = "local_domains", .type = CFGKEY_STRLIST,
	    .offset = OFF(local_domains) },
	{ .name = "partner_domains", .type = CFGKEY_STRLIST,
	    .offset = OFF(partner_domains) },
	{ .name = "report_addresses", .type = CFGKEY_STRLIST,
	    .offset = OFF(report_addresses) },
	{ .name = "recipient_delimiter", .type = CFGKEY_STRING,
	    .offset = OFF(recipient_delimiter), .def = "+" },
	{ .name = "authentication", .type = CFGKEY_WORD,
	    .offset = OFF(authentication), .def = "both",
	    .words = conf_auth_words },
	{ .name = "authserv_id", .type = CFGKEY_STRING,
	    .offset = OFF(authserv_id), .def = "" },
	{ .name = "add_authentication_results", .type = CFGKEY_BOOL,
	    .offset = OFF(add_authentication_results), .def = "false" },
	{ .name = "dns_resolver", .type = CFGKEY_STRING,
	    .offset = OFF(auth.resolver_owned), .def = "" },
	{ .name = "dns_budget_ms", .type = CFGKEY_UINT,
	    .offset = OFF(auth.budget_ms), .def = "2000", .min = 10,
	    .max = 30000 },
	{ .name = "dns_max_queries", .type = CFGKEY_UINT,
	    .offset = OFF(auth.max_queries), .def = "30", .min = 1,
	    .max = 200 },
	{ .name = "dkim_max_signatures", .type = CFGKEY_UINT,
	    .offset = OFF(auth.max_dkim), .def = "4", .min = 1,
	    .max = AUTH_DKIM_MAX },
	{ .name = "allow", .type = CFGKEY_GROUP, .group = conf_allow_keys },
	{ .name = "limits", .type = CFGKEY_GROUP, .group = conf_limit_keys },
	{ .name = "ocr", .type = CFGKEY_BOOL, .offset = OFF(limits.ocr),
	    .def = "false" },
	{ .name = "ocr_languages", .type = CFGKEY_STRING,
	    .offset = OFF(limits.ocr_languages), .def = "fra" },
	{ .name = "rules", .type = CFGKEY_STRLIST, .offset = OFF(rule_files) },
	{ .name = "stats_listen", .type = CFGKEY_STRING,
	    .offset = OFF(stats_listen), .def = "" },
	{ .name = "reload_min_ratio", .type = CFGKEY_NUMBER,
	    .offset = OFF(reload_min_ratio), .def = "0.5", .min = 0, .max = 1 },
	{ .name = "milter_timeout", .type = CFGKEY_UINT,
	    .offset = OFF(milter_timeout), .def = "600", .min = 1,
	    .max = 86400 },
	{ .name = "max_forged_fields", .type = CFGKEY_UINT,
	    .offset = OFF(max_forged_fields), .def = "20", .min = 0,
	    .max = 10000 },
	{ .name = "forged_fields_action", .type = CFGKEY_WORD,
	    .offset = OFF(forged_fields_action), .def = "reject",
	    .words = conf_forged_action_words },
	{ .name = NULL }
};

/* conf_mode_name - see conf.h */
const char *
conf_mode_name(enum conf_mode m)
{
	return m == CONF_MODE_MONITOR ? "monitor" : "enforce";
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
	/* a field name (RFC 5322: printable ASCII but ':'), bounded */
	for (p = c->spam_flag_header; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == ':' ||
		    p - c->spam_flag_header >= 64) {
			cfgfile_error(errors, c->path, conf_key_line(cfg,
			    "spam_flag_header"), "spam_flag_header: \"%s\" is "
			    "not a header field name (at most 64 printable "
			    "ASCII characters, no ':' or space)", c->spam_flag_header);
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

/*
 * conf_auth_finish - the host's name (gethostname(3), as OpenDMARC's
 * AuthservID) is vigie's authserv_id when none is given. No authserv-id
 * is trusted unless the file names it: OpenDMARC trusts the host's name
 * by default, but vigie verifies by itself, and on a site where nothing
 * before vigie removes incoming fields that default would let any sender
 * forge a trusted "dmarc=pass" under the MX's name (tests/auth 15b).
 * Fields under vigie's own id are never trusted when that id is its own
 * for sure: given in the file, or written by vigie
 * (add_authentication_results). The
 * configuration holds a reference to its resolver (freed with it, so a
 * reload naming another dns_resolver closes the old one); the resolver
 * may be overridden by VIGIE_DNS_RESOLVER, which test harnesses set
 * ("none", or their own server on loopback) so that no test ever asks
 * the network's DNS
 */
static int
conf_auth_finish(struct conf *c)
{
	char host[256];
	const char *env = getenv("VIGIE_DNS_RESOLVER");
	int explicit_id = *c->authserv_id != '\0';

	if (gethostname(host, sizeof(host)) < 0)
		strcpy(host, "localhost");
	host[sizeof(host) - 1] = '\0';
	if (!explicit_id) {
		free(c->authserv_id);
		if ((c->authserv_id = strdup(host)) == NULL)
			return -1;
	}
	c->own_authserv_id = explicit_id || c->add_authentication_results ?
	    c->authserv_id : NULL;
	if (env != NULL) {
		free(c->auth.resolver_owned);
		if ((c->auth.resolver_owned = strdup(env)) == NULL)
			return -1;
	}
	c->auth.params.resolver = c->auth.resolver_owned;
	/* NULL (a bad address): every look-up a temperror, as documented */
	c->auth.params.dns = auth_dns_get(c->auth.resolver_owned);
	c->auth.params.budget_ms = c->auth.budget_ms;
	c->auth.params.max_queries = c->auth.max_queries;
	c->auth.params.max_dkim = c->auth.max_dkim;
	return 0;
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
	scan_limits_set_defaults(&c->limits);
	if ((c->path = strdup(path)) == NULL ||
	    cfgfile_defaults(c, conf_keys) < 0 ||
	    (dir = conf_dir(path)) == NULL) {
		conf_free(c);
		(void)buf_append_str(errors, "out of memory\n");
		return NULL;
	}
	if (cfgfile_open(&cfg, path, "file", errors) == 0) {
		if (cfgfile_read_group(c, conf_keys, config_root_setting(&cfg),
		    path, NULL, errors) == 0 && conf_check(c, &cfg, errors) == 0 &&
		    conf_auth_finish(c) == 0 &&
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
	free(c->spam_flag_header);
	free(c->recipient_delimiter);
	free(c->reject_text);
	free(c->limits.ocr_languages);
	free(c->authserv_id);
	auth_dns_release(c->auth.params.dns);
	free(c->auth.resolver_owned);
	strlist_free(&c->trusted_authserv_ids);
	strlist_free(&c->local_domains);
	strlist_free(&c->partner_domains);
	strlist_free(&c->report_addresses);
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

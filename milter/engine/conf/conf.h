/*
 * conf.h - one loaded configuration: daemon settings plus compiled rules.
 *
 * conf_load() reads vigie.conf and the rule files it names, checks every
 * value and compiles every pattern. On any error it returns NULL and has
 * appended one "file:line: what is wrong" line per problem to errors, so
 * `vigie-milter -n` can list them all. A loaded conf is never modified
 * again; it is shared between threads through conf_store.c.
 */
#ifndef VIGIE_CONF_H
#define VIGIE_CONF_H

#include <stddef.h>

#include "auth.h"
#include "scan_limits.h"
#include "ruleset.h"

struct buf;

enum conf_mode {
	CONF_MODE_ENFORCE,
	CONF_MODE_MONITOR,
};

enum conf_on_error {
	CONF_ON_ERROR_ACCEPT,
	CONF_ON_ERROR_TEMPFAIL,
};

/* what happens to a message with more X-Vigie-* fields than can be removed */
enum conf_forged_action {
	CONF_FORGED_REJECT,
	CONF_FORGED_TEMPFAIL,
};

/* where the authentication results come from (vigie.conf authentication) */
enum conf_auth {
	CONF_AUTH_BOTH,			/* a trusted upstream field, else vigie's own */
	CONF_AUTH_BUILTIN,		/* vigie's own verification only */
	CONF_AUTH_TRUSTED,		/* trusted Authentication-Results only */
};

struct cidr {
	int	 family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16];
	unsigned prefix;
};

struct conf {
	char	*path;
	char	*socket;
	char	*socket_mode;		/* octal, e.g. "0660" */
	char	*user;
	int	 allow_root;
	enum conf_mode mode;
	enum conf_on_error on_error;
	double	 thr_tag;
	double	 thr_quarantine;
	double	 thr_reject;
	int	 add_status_header;
	char	*subject_prefix;
	char	*spam_flag_header;	/* "NAME: YES" when tagged or above; "" off */
	char	*reject_text;
	unsigned max_forged_fields;	/* incoming X-Vigie-* removed at most */
	enum conf_forged_action forged_fields_action;	/* beyond that */
	struct strlist trusted_authserv_ids;
	struct strlist local_domains;	/* the site's own, counted when authenticated */
	struct strlist partner_domains;	/* trusted senders, counted when authenticated */
	struct strlist report_addresses; /* "phishing@" or full addresses */
	char	*recipient_delimiter;	/* Postfix's: "+" in "a+ext@b"; "" none */
	enum conf_auth authentication;
	char	*authserv_id;		/* vigie's own; "" in the file: host name */
	int	 add_authentication_results;	/* vigie's own field added */
	const char *own_authserv_id;	/* fields never trusted; NULL: none */
	struct {
		char	*resolver_owned;	/* dns_resolver */
		unsigned budget_ms;
		unsigned max_queries;
		unsigned max_dkim;
		struct auth_params params;	/* the above, for auth_verify() */
	} auth;
	struct strlist allow_senders;
	struct strlist allow_sender_domains;
	struct strlist allow_recipients;
	struct strlist allow_client_ips;
	struct cidr *allow_cidrs;
	size_t	 nallow_cidrs;
	struct scan_limits limits;
	char	*stats_listen;		/* "127.0.0.1:9810", "" for none */
	unsigned milter_timeout;	/* seconds an MTA session may stay idle */
	double	 reload_min_ratio;	/* a reload keeping less is refused */
	struct strlist rule_files;
	struct ruleset rules;
	unsigned refs;			/* guarded by conf_store's lock */
};

struct conf *conf_load(const char *path, struct buf *errors);
void	conf_free(struct conf *);

/* conf_client_allowed - the client IP is in allow.client_ips */
int	conf_client_allowed(const struct conf *, const char *ip);

/* the words used in the config, logs and headers for modes and actions */
const char *conf_mode_name(enum conf_mode);

#endif

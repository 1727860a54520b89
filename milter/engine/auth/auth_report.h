/*
 * auth_report.h - authentication results in words, for logs and output.
 *
 * One line, the same in the milter's log, vigie-scan's --explain and its
 * JSON: results and domains only (domains already reduced to
 * [a-z0-9._-] by auth.c), never a local part or other message text.
 * Always the same four keys, auth= (who judged), spf=, dkim=, dmarc=, so
 * that log readers can rely on them.
 */
#ifndef VIGIE_AUTH_REPORT_H
#define VIGIE_AUTH_REPORT_H

struct auth_result;
struct authres;
struct buf;

/*
 * auth_report_own - "auth=vigie spf=pass(example.org) dkim=pass(d=ameli.fr)
 * dmarc=pass(p=reject,from=ameli.fr)"; -1 on memory failure
 */
int	auth_report_own(const struct auth_result *, struct buf *);

/* auth_report_upstream - "auth=upstream spf=- dkim=pass(d=..) dmarc=fail(from=..)" */
int	auth_report_upstream(const struct authres *, struct buf *);

/*
 * auth_report_field - vigie's own results as the value of an
 * Authentication-Results field (RFC 8601) under authserv_id:
 * "mx.example.fr; spf=fail smtp.mailfrom=ameli.fr; dkim=none;
 * dmarc=fail policy.dmarc=reject header.from=ameli.fr"; -1 on memory
 * failure. Domains only, as in the log line.
 */
int	auth_report_field(const struct auth_result *, const char *authserv_id,
	    struct buf *);

/* auth_report_none - "auth=none spf=- dkim=- dmarc=-": nothing looked at */
int	auth_report_none(struct buf *);

#endif

/*
 * milter_callbacks.c - the libmilter callbacks: thin glue around the engine.
 *
 * One struct conn per SMTP connection (libmilter runs one thread per
 * connection), one engine_msg per message in it. A message acquires the
 * configuration in force at MAIL FROM and keeps it to the end, so a
 * reload never changes the rules under it. Everything is decided and
 * done at end of message: the engine is fed as header fields and body
 * chunks arrive, and only then are headers changed, the message held, or
 * rejected. Per-message state is freed by one function, called from end
 * of message, abort and close (close may come with no context at all).
 * A counting semaphore bounds how many messages are decoded or judged at
 * once (milter_callbacks_init), whatever the number of connections; a
 * message waiting on DNS for its authentication holds no slot (judge).
 */
#include "milter_callbacks.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <semaphore.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include "buf.h"
#include "conf.h"
#include "conf_store.h"
#include "engine.h"
#include "log.h"
#include "msgview.h"
#include "redact.h"
#include "report.h"
#include "stats.h"
#include "verdict.h"

#define VIGIE_HEADER_PREFIX	"X-Vigie-"
#define QUEUE_ID_LOG_MAX	32	/* bytes of the MTA's queue id logged */

struct forged {
	char	*name;
	int	 count;
};

struct conn {
	char	 client_ip[INET6_ADDRSTRLEN];
	char	 helo[256];		/* HELO/EHLO argument, cut at 255 */
	unsigned long protocol;		/* negotiated SMFIP_* steps */
	/* the message in progress */
	struct conf *conf;
	struct engine_msg *msg;
	char	*subject;		/* first Subject field, raw */
	/*
	 * incoming X-Vigie-* names, all removed; each removal costs the MTA
	 * a scan of the header block, so beyond conf->max_forged_fields
	 * none are kept and forged_fields_action applies instead
	 */
	struct forged *forged;
	size_t	 nforged, cap_forged;
	size_t	 forged_seen;		/* X-Vigie-* fields in the message */
	int	 forged_failed;		/* out of memory: on_error applies */
};

/* judging slots: see milter_callbacks_init */
static sem_t judge_slots;

/* conn_get - this connection's state */
static struct conn *
conn_get(SMFICTX *ctx)
{
	return smfi_getpriv(ctx);
}

/* message_end - free everything about the current message */
static void
message_end(struct conn *c)
{
	size_t i;

	engine_msg_free(c->msg);
	c->msg = NULL;
	conf_store_release(c->conf);
	c->conf = NULL;
	free(c->subject);
	c->subject = NULL;
	for (i = 0; i < c->nforged; i++)
		free(c->forged[i].name);
	c->nforged = 0;
	c->forged_seen = 0;
	c->forged_failed = 0;
}

/* reply_continue - SMFIS_NOREPLY where the MTA agreed to no reply */
static sfsistat
reply_continue(const struct conn *c, unsigned long nr_flag)
{
	return c != NULL && (c->protocol & nr_flag) ? SMFIS_NOREPLY :
	    SMFIS_CONTINUE;
}

/*
 * queue_id - the MTA's queue id for the log, "-" when absent; the MTA
 * may be anyone who can reach the socket, so it is a redacted word
 */
static void
queue_id(SMFICTX *ctx, struct buf *out)
{
	const char *qid = smfi_getsymval(ctx, "i");

	if (qid == NULL || *qid == '\0' ||
	    redact_id(qid, QUEUE_ID_LOG_MAX, out) < 0) {
		buf_reset(out);
		(void)buf_append_str(out, "-");
	}
}

/* on_error - the configured disposition when vigie cannot judge */
static sfsistat
on_error(SMFICTX *ctx, const struct conf *conf, enum stats_error kind,
    const char *why)
{
	struct buf qid;

	stats_error(kind);
	buf_init(&qid);
	queue_id(ctx, &qid);
	log_msg(LOG_ERR, "queue_id=%s error=%s on_error=%s", buf_cstr(&qid),
	    why, conf && conf->on_error == CONF_ON_ERROR_TEMPFAIL ?
	    "tempfail" : "accept");
	buf_free(&qid);
	if (conf != NULL && conf->on_error == CONF_ON_ERROR_TEMPFAIL) {
		(void)smfi_setreply(ctx, "451", "4.3.0",
		    "Temporary filter failure, try again later");
		return SMFIS_TEMPFAIL;
	}
	return SMFIS_ACCEPT;
}

/* mlfi_negotiate - ask only for the actions and steps vigie uses */
static sfsistat
mlfi_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	const unsigned long actions = SMFIF_ADDHDRS | SMFIF_CHGHDRS |
	    SMFIF_QUARANTINE;
	const unsigned long skip = SMFIP_NOUNKNOWN | SMFIP_NODATA |
	    SMFIP_NOEOH;
	/* every answer but end of message's is "continue": say none */
	const unsigned long noreply = SMFIP_NR_CONN | SMFIP_NR_HELO |
	    SMFIP_NR_MAIL | SMFIP_NR_RCPT | SMFIP_NR_HDR | SMFIP_NR_BODY;
	struct conn *c;

	(void)f2;
	(void)f3;
	if ((f0 & actions) != actions)
		return SMFIS_REJECT;	/* the MTA cannot do what we need */
	if ((c = conn_get(ctx)) == NULL) {
		if ((c = calloc(1, sizeof(*c))) == NULL)
			return SMFIS_REJECT;
		if (smfi_setpriv(ctx, c) != MI_SUCCESS) {
			free(c);
			return SMFIS_REJECT;
		}
		stats_session(1);
	}
	*pf0 = actions;
	*pf1 = (f1 & skip) | (f1 & noreply);
	c->protocol = *pf1;
	*pf2 = 0;
	*pf3 = 0;
	/*
	 * No macro list is asked for: the queue id ("i") is among what
	 * Postfix sends at end of message by default, and Sendmail sends it
	 * with MAIL FROM; smfi_getsymval() finds it at either stage.
	 */
	return SMFIS_CONTINUE;
}

/* mlfi_connect - remember the client address */
static sfsistat
mlfi_connect(SMFICTX *ctx, char *hostname, _SOCK_ADDR *sa)
{
	struct conn *c = conn_get(ctx);

	(void)hostname;
	if (c == NULL) {
		/* an MTA that did not negotiate (old protocol) */
		if ((c = calloc(1, sizeof(*c))) == NULL ||
		    smfi_setpriv(ctx, c) != MI_SUCCESS) {
			free(c);
			return SMFIS_ACCEPT;
		}
		stats_session(1);
	}
	c->client_ip[0] = '\0';
	if (sa != NULL && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)(void *)sa)->sin_addr,
		    c->client_ip, sizeof(c->client_ip));
	else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
		    &((struct sockaddr_in6 *)(void *)sa)->sin6_addr,
		    c->client_ip, sizeof(c->client_ip));
	return reply_continue(c, SMFIP_NR_CONN);
}

/* mlfi_helo - remember the HELO name, for SPF's null sender */
static sfsistat
mlfi_helo(SMFICTX *ctx, char *name)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL)
		return SMFIS_ACCEPT;
	(void)snprintf(c->helo, sizeof(c->helo), "%s", name != NULL ? name :
	    "");
	return reply_continue(c, SMFIP_NR_HELO);
}

/* mlfi_envfrom - a new message: take the rules in force now */
static sfsistat
mlfi_envfrom(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL)
		return SMFIS_ACCEPT;
	message_end(c);
	if ((c->conf = conf_store_acquire()) == NULL)
		return SMFIS_ACCEPT;
	if ((c->msg = engine_msg_new(c->conf)) == NULL ||
	    engine_msg_client(c->msg, c->client_ip) < 0 ||
	    engine_msg_helo(c->msg, c->helo) < 0 ||
	    engine_msg_sender(c->msg, argv[0] != NULL ? argv[0] : "") < 0) {
		sfsistat r = on_error(ctx, c->conf, STATS_ERROR_INTERNAL, "memory");

		message_end(c);
		return r;
	}
	return reply_continue(c, SMFIP_NR_MAIL);
}

/* mlfi_envrcpt - recipients matter only to the allow-list */
static sfsistat
mlfi_envrcpt(SMFICTX *ctx, char **argv)
{
	struct conn *c = conn_get(ctx);

	if (c != NULL && c->msg != NULL && argv[0] != NULL)
		(void)engine_msg_recipient(c->msg, argv[0]);
	return reply_continue(c, SMFIP_NR_RCPT);
}

/* note_forged - remember an incoming X-Vigie-* field, to remove at the end */
static void
note_forged(struct conn *c, const char *name)
{
	struct forged *f;
	size_t i, cap;

	if (++c->forged_seen > c->conf->max_forged_fields)
		return;		/* too many to remove: see forged_overflow */
	for (i = 0; i < c->nforged; i++)
		if (strcasecmp(c->forged[i].name, name) == 0) {
			c->forged[i].count++;
			return;
		}
	if (c->nforged == c->cap_forged) {
		cap = c->cap_forged ? c->cap_forged * 2 : 4;
		if ((f = realloc(c->forged, cap * sizeof(*f))) == NULL) {
			c->forged_failed = 1;
			return;
		}
		c->forged = f;
		c->cap_forged = cap;
	}
	if ((c->forged[c->nforged].name = strdup(name)) == NULL) {
		c->forged_failed = 1;
		return;
	}
	c->forged[c->nforged++].count = 1;
}

/* mlfi_header - feed the engine; note what end of message must change */
static sfsistat
mlfi_header(SMFICTX *ctx, char *name, char *value)
{
	struct conn *c = conn_get(ctx);

	if (c == NULL || c->msg == NULL)
		return reply_continue(c, SMFIP_NR_HDR);
	if (strncasecmp(name, VIGIE_HEADER_PREFIX,
	    sizeof(VIGIE_HEADER_PREFIX) - 1) == 0 ||
	    (*c->conf->spam_flag_header != '\0' &&
	    strcasecmp(name, c->conf->spam_flag_header) == 0)) {
		/*
		 * a sender's X-Vigie-* (or the spam flag vigie writes) is
		 * neither believed nor scanned
		 */
		note_forged(c, name);
		return reply_continue(c, SMFIP_NR_HDR);
	}
	if (c->subject == NULL && strcasecmp(name, "Subject") == 0)
		c->subject = strdup(value);
	(void)engine_msg_header(c->msg, name, value);
	return reply_continue(c, SMFIP_NR_HDR);
}

/* mlfi_body - feed the engine (it keeps what fits in max_scan_bytes) */
static sfsistat
mlfi_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	struct conn *c = conn_get(ctx);

	if (c != NULL && c->msg != NULL)
		(void)engine_msg_body(c->msg, chunk, len);
	return reply_continue(c, SMFIP_NR_BODY);
}

/* remove_forged - delete every incoming X-Vigie-* field, last first */
static int
remove_forged(SMFICTX *ctx, struct conn *c)
{
	size_t i;
	int k;

	for (i = 0; i < c->nforged; i++)
		for (k = c->forged[i].count; k >= 1; k--)
			if (smfi_chgheader(ctx, c->forged[i].name, k, NULL) !=
			    MI_SUCCESS)
				return -1;
	return 0;
}

/* prefix_subject - put the configured prefix in front of the Subject */
static int
prefix_subject(SMFICTX *ctx, const struct conn *c)
{
	const char *prefix = c->conf->subject_prefix;
	struct buf s;
	int rc;

	if (*prefix == '\0')
		return 0;
	buf_init(&s);
	if (buf_append_str(&s, prefix) < 0 ||
	    buf_append_str(&s, c->subject != NULL ? c->subject : "") < 0) {
		buf_free(&s);
		return -1;
	}
	if (c->subject != NULL)
		rc = smfi_chgheader(ctx, "Subject", 1, s.data);
	else
		rc = smfi_addheader(ctx, "Subject", s.data);
	buf_free(&s);
	return rc == MI_SUCCESS ? 0 : -1;
}

/*
 * add_report_headers - vigie's own Authentication-Results when configured
 * (at the top), X-Vigie-Status and, when tagging, X-Vigie-Report; on a
 * report to the security team, X-Vigie-Forwarded: the verdict of the
 * lure it forwards; the spam flag ("X-Spam-Flag: YES") only when the
 * message is tagged or held for real, not in monitor mode, so that Sieve
 * or procmail rules written for SpamAssassin file it
 */
static int
add_report_headers(SMFICTX *ctx, const struct conn *c,
    const struct verdict *v)
{
	struct buf b;
	int rc = 0;

	buf_init(&b);
	/* RFC 8601 5: at the top, above the fields that arrived with it */
	if (v->auth_field != NULL && smfi_insheader(ctx, 0,
	    "Authentication-Results", (char *)v->auth_field) != MI_SUCCESS)
		rc = -1;
	if (rc == 0 && c->conf->add_status_header &&
	    (report_status(v, &b) < 0 ||
	    smfi_addheader(ctx, "X-Vigie-Status", b.data) != MI_SUCCESS))
		rc = -1;
	if (rc == 0 && v->nhits > 0 && v->scored >= ACTION_TAG) {
		buf_reset(&b);
		if (report_rules(v, &b) < 0 ||
		    smfi_addheader(ctx, "X-Vigie-Report", b.data) != MI_SUCCESS)
			rc = -1;
	}
	if (rc == 0 && v->forwarded != NULL &&
	    smfi_addheader(ctx, "X-Vigie-Forwarded", (char *)v->forwarded) !=
	    MI_SUCCESS)
		rc = -1;
	if (rc == 0 && *c->conf->spam_flag_header != '\0' && !v->monitor &&
	    (v->action == ACTION_TAG || v->action == ACTION_QUARANTINE) &&
	    smfi_addheader(ctx, c->conf->spam_flag_header, "YES") !=
	    MI_SUCCESS)
		rc = -1;
	buf_free(&b);
	return rc;
}

/* log_verdict - the one line per message, with the action word applied */
static void
log_verdict(SMFICTX *ctx, const struct conn *c, const struct verdict *v,
    const char *action)
{
	const char *dom = engine_msg_sender_domain(c->msg);
	struct buf qid, rules, anomalies, domain;

	buf_init(&qid);
	buf_init(&rules);
	buf_init(&anomalies);
	buf_init(&domain);
	queue_id(ctx, &qid);
	(void)report_rule_ids(v, &rules);
	(void)report_anomalies(v, &anomalies);
	(void)redact_word(dom, 253, &domain);
	log_msg(LOG_INFO, "queue_id=%s action=%s score=%.1f%s%s rules=%s "
	    "anomalies=%s%s%s sender_domain=%s%s%s", buf_cstr(&qid),
	    action, v->score, v->monitor ? " monitor=" : "",
	    v->monitor ? action_name(v->scored) : "", buf_cstr(&rules),
	    buf_cstr(&anomalies), v->auth != NULL && *v->auth ? " " : "",
	    v->auth != NULL ? v->auth : "",
	    domain.len ? buf_cstr(&domain) : "-",
	    v->allowed_by ? " allowed=" : "",
	    v->allowed_by ? v->allowed_by : "");
	buf_free(&qid);
	buf_free(&rules);
	buf_free(&anomalies);
	buf_free(&domain);
}

/* slot_take - a judging slot; 0 when none could be had (see judge) */
static int
slot_take(void)
{
	int r;

	while ((r = sem_wait(&judge_slots)) != 0 && errno == EINTR)
		;
	return r == 0;
}

/* seconds_since - monotonic seconds from t0 to now */
static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * judge - the engine's three steps, decoding and judging in one of the
 * judging slots each, authentication between them without one: a message
 * waiting on DNS (up to dns_budget_ms) leaves the CPU to the others.
 * Returns the seconds spent, slot waits left out (sem_wait fails only
 * when interrupted; were it to fail for good, judging without a slot
 * beats holding mail).
 */
static double
judge(struct conn *c, struct verdict *v)
{
	struct timespec t0;
	double secs;
	int slot, r;

	slot = slot_take();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = engine_msg_decode(c->msg, v);
	secs = seconds_since(&t0);
	if (slot)
		(void)sem_post(&judge_slots);
	if (r < 0)
		return secs;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = engine_msg_authenticate(c->msg, v);
	secs += seconds_since(&t0);
	if (r < 0)
		return secs;
	slot = slot_take();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	engine_msg_judge(c->msg, v);
	secs += seconds_since(&t0);
	if (slot)
		(void)sem_post(&judge_slots);
	return secs;
}

/*
 * forged_over_limit - more X-Vigie-* fields than max_forged_fields: they
 * cannot all be removed at a bounded cost and must not reach the
 * recipient, so forged_fields_action applies, monitor mode or not; the
 * verdict gets the anomaly (and the reject); 1 when over the limit
 */
static int
forged_over_limit(const struct conn *c, struct verdict *v)
{
	if (c->forged_seen <= c->conf->max_forged_fields)
		return 0;
	v->anomalies |= MV_ANOM_LIMIT_FORGED_FIELDS;
	if (c->conf->forged_fields_action == CONF_FORGED_REJECT)
		v->action = ACTION_REJECT;
	return 1;
}

/* forged_refusal - forged_fields_action's reply and return code */
static sfsistat
forged_refusal(SMFICTX *ctx, const struct conn *c)
{
	if (c->conf->forged_fields_action == CONF_FORGED_REJECT) {
		(void)smfi_setreply(ctx, "550", "5.7.1",
		    "Too many X-Vigie-* header fields");
		return SMFIS_REJECT;
	}
	(void)smfi_setreply(ctx, "451", "4.7.1",
	    "Too many X-Vigie-* header fields, try again later");
	return SMFIS_TEMPFAIL;
}

/* forged_overflow - log and refuse a message over max_forged_fields */
static sfsistat
forged_overflow(SMFICTX *ctx, struct conn *c, const struct verdict *v)
{
	sfsistat r;

	log_verdict(ctx, c, v, c->conf->forged_fields_action ==
	    CONF_FORGED_REJECT ? action_name(v->action) : "tempfail");
	r = forged_refusal(ctx, c);
	message_end(c);
	return r;
}

/*
 * judge_failed - on_error for a message vigie could not judge. Accepted,
 * it still loses its forged X-Vigie-* fields: a forged verdict must not
 * go out. One whose forged fields cannot all be removed (more than
 * max_forged_fields, or not all noted for lack of memory) is refused as
 * forged_fields_action says; a removal the MTA refuses makes it a
 * temporary failure.
 */
static sfsistat
judge_failed(SMFICTX *ctx, struct conn *c, const char *why)
{
	sfsistat r = on_error(ctx, c->conf, STATS_ERROR_INTERNAL, why);

	if (r == SMFIS_ACCEPT) {
		if (c->forged_failed ||
		    c->forged_seen > c->conf->max_forged_fields)
			r = forged_refusal(ctx, c);
		else if (remove_forged(ctx, c) < 0) {
			(void)smfi_setreply(ctx, "451", "4.3.0",
			    "Temporary filter failure, try again later");
			r = SMFIS_TEMPFAIL;
		}
	}
	message_end(c);
	return r;
}

/* mlfi_eom - judge, then act: the only place the message is changed */
static sfsistat
mlfi_eom(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);
	struct verdict v;
	struct buf reason;
	sfsistat r = SMFIS_CONTINUE;
	double secs;
	int over;

	if (c == NULL || c->msg == NULL) {
		if (c != NULL)
			message_end(c);
		return SMFIS_CONTINUE;
	}
	secs = judge(c, &v);
	if (v.error || c->forged_failed)
		return judge_failed(ctx, c, v.error ? "internal" : "memory");
	over = forged_over_limit(c, &v);
	stats_message(&v, secs);
	if (over)
		return forged_overflow(ctx, c, &v);
	log_verdict(ctx, c, &v, action_name(v.action));
	if (v.action == ACTION_REJECT) {
		(void)smfi_setreply(ctx, "550", "5.7.1", c->conf->reject_text);
		message_end(c);
		return SMFIS_REJECT;
	}
	if (remove_forged(ctx, c) < 0 || add_report_headers(ctx, c, &v) < 0 ||
	    ((v.action == ACTION_TAG || v.action == ACTION_QUARANTINE) &&
	    !v.monitor && prefix_subject(ctx, c) < 0)) {
		r = on_error(ctx, c->conf, STATS_ERROR_MODIFY, "modify");
		message_end(c);
		return r;
	}
	if (v.action == ACTION_QUARANTINE) {
		buf_init(&reason);
		if (buf_printf(&reason, "vigie score=%.1f rules=", v.score) < 0 ||
		    report_rule_ids(&v, &reason) < 0 ||
		    smfi_quarantine(ctx, reason.data) != MI_SUCCESS)
			r = on_error(ctx, c->conf, STATS_ERROR_QUARANTINE, "quarantine");
		buf_free(&reason);
	}
	message_end(c);
	return r;
}

/* mlfi_abort - the message was abandoned; the connection may go on */
static sfsistat
mlfi_abort(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);

	if (c != NULL)
		message_end(c);
	return SMFIS_CONTINUE;
}

/* mlfi_close - the connection is gone (possibly before connect) */
static sfsistat
mlfi_close(SMFICTX *ctx)
{
	struct conn *c = conn_get(ctx);

	if (c != NULL) {
		message_end(c);
		free(c->forged);
		free(c);
		(void)smfi_setpriv(ctx, NULL);
		stats_session(-1);
	}
	return SMFIS_CONTINUE;
}

struct smfiDesc milter_callbacks_desc = {
	.xxfi_name = "vigie",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = SMFIF_ADDHDRS | SMFIF_CHGHDRS | SMFIF_QUARANTINE,
	.xxfi_connect = mlfi_connect,
	.xxfi_helo = mlfi_helo,
	.xxfi_envfrom = mlfi_envfrom,
	.xxfi_envrcpt = mlfi_envrcpt,
	.xxfi_header = mlfi_header,
	.xxfi_body = mlfi_body,
	.xxfi_eom = mlfi_eom,
	.xxfi_abort = mlfi_abort,
	.xxfi_close = mlfi_close,
	.xxfi_negotiate = mlfi_negotiate,
};

/* milter_callbacks_init - see milter_callbacks.h */
int
milter_callbacks_init(unsigned slots)
{
	return sem_init(&judge_slots, 0, slots > 0 ? slots : 1);
}

/*
 * engine.c - the scanning pipeline: collect, decode, normalise, match, decide.
 *
 * Collecting: milter header fields are written back as "Name: value"
 * lines and body chunks appended, so the engine always ends up with raw
 * message bytes; what goes past max_header_bytes or max_scan_bytes is
 * dropped and recorded. Nothing is decoded before the end of the message,
 * which is what makes the verdict independent of how the body was cut.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "auth.h"
#include "auth_report.h"
#include "authres.h"
#include "buf.h"
#include "conf.h"
#include "domain.h"
#include "forward.h"
#include "mime.h"
#include "msgview.h"
#include "received.h"
#include "rule_match.h"
#include "scanctx.h"
#include "textnorm.h"

struct engine_msg {
	const struct conf *conf;
	struct buf raw;			/* the message as collected */
	size_t	 header_bytes;		/* milter style: header bytes kept */
	int	 in_body;		/* milter style: separator written */
	unsigned cut;			/* MV_ANOM_LIMIT_* seen while collecting */
	int	 failed;		/* memory failure while collecting */
	char	*client_ip;
	char	*helo;
	char	*sender;
	int	 spf_from_headers;	/* envelope from Received, Return-Path */
	size_t	 recipients;
	size_t	 recipients_allowed;
	size_t	 recipients_report;	/* of them, report_addresses mailboxes */
	struct msgview mv;
	struct scanctx x;
	struct auth_result auth;	/* vigie's own verification, if it ran */
	struct buf auth_text;		/* its words, for the verdict */
	int	 forwarded;		/* found inside a report (forward.c) */
	int	 verify;		/* forwarded: run vigie's own checks */
	struct buf forward_text;	/* a report: what it forwards, judged */
	struct buf auth_field;		/* vigie's Authentication-Results value */
	int	 finished;
};

/* engine_init - see engine.h */
int
engine_init(void)
{
	if (domain_init() < 0 || textnorm_init() < 0 || mime_init() < 0 ||
	    auth_init() < 0)
		return -1;
	return 0;
}

/* engine_msg_new - see engine.h */
struct engine_msg *
engine_msg_new(const struct conf *conf)
{
	struct engine_msg *m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	m->conf = conf;
	buf_init(&m->raw);
	buf_init(&m->auth_text);
	buf_init(&m->forward_text);
	buf_init(&m->auth_field);
	if (msgview_init(&m->mv, &conf->limits) < 0) {
		free(m);
		return NULL;
	}
	return m;
}

/* engine_msg_new_forwarded - see engine.h */
struct engine_msg *
engine_msg_new_forwarded(const struct conf *conf, int verify)
{
	struct engine_msg *m = engine_msg_new(conf);

	if (m != NULL) {
		m->forwarded = 1;
		m->verify = verify;
	}
	return m;
}

/* engine_msg_free - see engine.h */
void
engine_msg_free(struct engine_msg *m)
{
	if (m == NULL)
		return;
	buf_free(&m->raw);
	buf_free(&m->auth_text);
	buf_free(&m->forward_text);
	buf_free(&m->auth_field);
	msgview_free(&m->mv);
	scanctx_free(&m->x);
	free(m->client_ip);
	free(m->helo);
	free(m->sender);
	free(m);
}

/* engine_set - replace a copied envelope string */
static int
engine_set(struct engine_msg *m, char **field, const char *value)
{
	char *copy;

	if ((copy = strdup(value != NULL ? value : "")) == NULL) {
		m->failed = 1;
		return -1;
	}
	free(*field);
	*field = copy;
	return 0;
}

/* engine_msg_client - see engine.h */
int
engine_msg_client(struct engine_msg *m, const char *ip)
{
	return engine_set(m, &m->client_ip, ip);
}

/* engine_msg_helo - see engine.h */
int
engine_msg_helo(struct engine_msg *m, const char *name)
{
	return engine_set(m, &m->helo, name);
}

/* engine_msg_spf_from_headers - see engine.h */
void
engine_msg_spf_from_headers(struct engine_msg *m)
{
	m->spf_from_headers = 1;
}

/* strip_brackets - "<a@b>" -> "a@b" in place */
static void
strip_brackets(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		memmove(s, s + 1, n - 2);
		s[n - 2] = '\0';
	}
}

/* engine_msg_sender - see engine.h */
int
engine_msg_sender(struct engine_msg *m, const char *addr)
{
	if (engine_set(m, &m->sender, addr) < 0)
		return -1;
	strip_brackets(m->sender);
	return 0;
}

/* list_has - case-insensitive membership */
static int
list_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcasecmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

/*
 * is_report_address - addr is one of report_addresses: an entry ending
 * in '@' names a local part at any domain, any other a whole address
 */
static int
is_report_address(const struct strlist *l, const char *addr)
{
	const char *at = strrchr(addr, '@');
	size_t i, n;

	for (i = 0; i < l->n; i++) {
		n = strlen(l->v[i]);
		if (n > 0 && l->v[i][n - 1] == '@') {
			if (at != NULL && (size_t)(at - addr) + 1 == n &&
			    strncasecmp(addr, l->v[i], n) == 0)
				return 1;
		} else if (strcasecmp(addr, l->v[i]) == 0)
			return 1;
	}
	return 0;
}

/*
 * strip_extension - "securite+lure@acme.fr" -> "securite@acme.fr" in
 * place: the local part ends at its first delimiter character, as
 * Postfix's recipient_delimiter delivers it; 0 when there was none
 */
static int
strip_extension(char *addr, const char *delimiters)
{
	char *at = strrchr(addr, '@');
	size_t n;

	if (at == NULL || *delimiters == '\0')
		return 0;
	n = strcspn(addr, delimiters);
	if (n == 0 || addr + n >= at)
		return 0;
	memmove(addr + n, at, strlen(at) + 1);
	return 1;
}

/*
 * engine_msg_recipient - see engine.h; the allow-list and report
 * mailboxes, with or without an address extension
 */
int
engine_msg_recipient(struct engine_msg *m, const char *addr)
{
	const struct conf *c = m->conf;
	char *copy, *base;
	int ext;

	if ((copy = strdup(addr)) == NULL || (base = strdup(addr)) == NULL) {
		free(copy);
		m->failed = 1;
		return -1;
	}
	strip_brackets(copy);
	strip_brackets(base);
	ext = strip_extension(base, c->recipient_delimiter);
	m->recipients++;
	if (list_has(&c->allow_recipients, copy) ||
	    (ext && list_has(&c->allow_recipients, base)))
		m->recipients_allowed++;
	if (is_report_address(&c->report_addresses, copy) ||
	    (ext && is_report_address(&c->report_addresses, base)))
		m->recipients_report++;
	free(copy);
	free(base);
	return 0;
}

/* engine_keep - append to raw within max_scan_bytes */
static int
engine_keep(struct engine_msg *m, const void *data, size_t len)
{
	size_t max = m->conf->limits.max_scan_bytes;

	if (m->raw.len + len > max) {
		m->cut |= MV_ANOM_LIMIT_SCAN_BYTES;
		len = max > m->raw.len ? max - m->raw.len : 0;
	}
	if (len > 0 && buf_append(&m->raw, data, len) < 0) {
		m->failed = 1;
		return -1;
	}
	return 0;
}

/* engine_msg_header - see engine.h */
int
engine_msg_header(struct engine_msg *m, const char *name, const char *value)
{
	size_t need = strlen(name) + strlen(value) + 3;

	if (m->in_body)
		return 0;
	if (m->header_bytes + need > m->conf->limits.max_header_bytes) {
		m->cut |= MV_ANOM_LIMIT_HEADER_BYTES;
		return 0;
	}
	m->header_bytes += need;
	if (engine_keep(m, name, strlen(name)) < 0 ||
	    engine_keep(m, ": ", 2) < 0 ||
	    engine_keep(m, value, strlen(value)) < 0 ||
	    engine_keep(m, "\n", 1) < 0)
		return -1;
	return 0;
}

/* engine_msg_body - see engine.h */
int
engine_msg_body(struct engine_msg *m, const void *data, size_t len)
{
	if (!m->in_body) {
		m->in_body = 1;
		if (engine_keep(m, "\n", 1) < 0)
			return -1;
	}
	return engine_keep(m, data, len);
}

/* engine_msg_raw - see engine.h */
int
engine_msg_raw(struct engine_msg *m, const void *data, size_t len)
{
	m->in_body = 1;
	return engine_keep(m, data, len);
}

/*
 * cut_header_block - apply max_header_bytes to raw input: a header
 * block longer than the limit loses its excess lines, the body stays.
 */
static void
cut_header_block(struct engine_msg *m)
{
	size_t max = m->conf->limits.max_header_bytes, i, cut;
	char *s = m->raw.data;

	if (s == NULL || m->raw.len <= max)
		return;
	for (i = 0; i + 1 < m->raw.len; i++) {
		if (s[i] != '\n')
			continue;
		if (s[i + 1] == '\n' || (s[i + 1] == '\r' && i + 2 < m->raw.len &&
		    s[i + 2] == '\n'))
			break;
	}
	if (i <= max)
		return;
	/* keep whole lines up to the limit, then the blank line and body */
	for (cut = max; cut > 0 && s[cut - 1] != '\n'; cut--)
		;
	memmove(s + cut, s + i + 1, m->raw.len - (i + 1));
	m->raw.len -= i + 1 - cut;
	s[m->raw.len] = '\0';
	m->cut |= MV_ANOM_LIMIT_HEADER_BYTES;
}

/* norm_copy - normalised form of s into the arena */
static int
norm_copy(struct engine_msg *m, struct buf *tmp, const char *s, size_t len,
    struct normtext *out)
{
	buf_reset(tmp);
	if (textnorm_fold_lexicon(s, len, m->x.rules->brand_words, tmp) < 0 ||
	    (out->s = arena_strndup(m->mv.arena, buf_cstr(tmp), tmp->len)) ==
	    NULL)
		return -1;
	out->len = tmp->len;
	return 0;
}

/* engine_normalise - the normalised forms every free-text rule reads */
static int
engine_normalise(struct engine_msg *m)
{
	struct msgview *mv = &m->mv;
	struct scanctx *x = &m->x;
	struct buf tmp;
	size_t i;
	int rc = -1;

	buf_init(&tmp);
	if ((mv->nfrom && (x->from_display = calloc(mv->nfrom,
	    sizeof(*x->from_display))) == NULL) ||
	    (mv->nurls && (x->link_text = calloc(mv->nurls,
	    sizeof(*x->link_text))) == NULL) ||
	    (mv->nattachments && (x->attachment_name = calloc(
	    mv->nattachments, sizeof(*x->attachment_name))) == NULL))
		goto out;
	if (norm_copy(m, &tmp, mv->subject, strlen(mv->subject),
	    &x->subject) < 0 ||
	    norm_copy(m, &tmp, buf_cstr(&mv->text), mv->text.len, &x->body) < 0)
		goto out;
	for (i = 0; i < mv->nfrom; i++)
		if (norm_copy(m, &tmp, mv->from[i].display,
		    strlen(mv->from[i].display), &x->from_display[i]) < 0)
			goto out;
	for (i = 0; i < mv->nurls; i++)
		if (mv->urls[i].text != NULL && norm_copy(m, &tmp,
		    mv->urls[i].text, strlen(mv->urls[i].text),
		    &x->link_text[i]) < 0)
			goto out;
	for (i = 0; i < mv->nattachments; i++)
		if (norm_copy(m, &tmp, mv->attachments[i].name,
		    strlen(mv->attachments[i].name),
		    &x->attachment_name[i]) < 0)
			goto out;
	rc = 0;
out:
	buf_free(&tmp);
	return rc;
}

/* engine_allowed - the allow-list entry that exempts this message, or NULL */
static const char *
engine_allowed(const struct engine_msg *m)
{
	const struct conf *c = m->conf;
	const char *at;

	if (m->sender != NULL && *m->sender) {
		if (list_has(&c->allow_senders, m->sender))
			return "sender";
		if ((at = strrchr(m->sender, '@')) != NULL &&
		    list_has(&c->allow_sender_domains, at + 1))
			return "sender_domain";
	}
	if (m->client_ip != NULL && conf_client_allowed(c, m->client_ip))
		return "client_ip";
	if (m->recipients > 0 && m->recipients_allowed == m->recipients)
		return "recipient";
	return NULL;
}

/* engine_decide - the configuration's thresholds and mode applied to v */
static void
engine_decide(const struct conf *c, struct verdict *v)
{
	struct verdict_policy p = { c->thr_tag, c->thr_quarantine,
	    c->thr_reject, c->mode == CONF_MODE_MONITOR };

	verdict_decide(&p, v);
}

/*
 * engine_authenticate - the authentication results the detectors read:
 * a trusted upstream field when the configuration allows one and it is
 * there, else vigie's own verification unless only upstream counts
 */
static int
engine_authenticate(struct engine_msg *m)
{
	const struct conf *c = m->conf;
	struct auth_input in = { 0 };
	struct received_client rc;

	/* a forwarded message's fields are the report's content: never trusted */
	if (!m->forwarded && c->authentication != CONF_AUTH_BUILTIN &&
	    authres_from_view(&m->mv, &c->trusted_authserv_ids, c->own_authserv_id,
	    &m->x.authres))
		return auth_report_upstream(&m->x.authres, &m->auth_text);
	if (c->authentication == CONF_AUTH_TRUSTED ||
	    (m->forwarded && !m->verify))
		return auth_report_none(&m->auth_text);
	in.raw = buf_cstr(&m->raw);
	in.len = m->raw.len;
	in.body_cut = (m->cut & MV_ANOM_LIMIT_SCAN_BYTES) != 0;
	in.client_ip = m->client_ip;
	in.helo = m->helo;
	in.mail_from = m->sender;
	if (m->spf_from_headers && m->client_ip == NULL &&
	    received_topmost(&m->mv, &rc) == 0) {
		in.client_ip = rc.ip;
		in.helo = rc.helo;
		in.mail_from = m->sender != NULL ? m->sender :
		    m->mv.return_path;
	}
	in.nfrom = m->mv.nfrom;
	in.from_domain = m->mv.nfrom == 1 ? m->mv.from[0].domain : NULL;
	in.arena = m->mv.arena;
	auth_verify(&c->auth.params, &in, &m->auth);
	auth_to_authres(&m->auth, &m->x.authres);
	if (c->add_authentication_results &&
	    auth_report_field(&m->auth, c->authserv_id, &m->auth_field) < 0)
		return -1;
	return auth_report_own(&m->auth, &m->auth_text);
}

/* engine_msg_decode - see engine.h */
int
engine_msg_decode(struct engine_msg *m, struct verdict *v)
{
	struct scanctx *x = &m->x;

	memset(v, 0, sizeof(*v));
	if (m->finished || m->failed) {
		v->error = 1;
		return -1;
	}
	m->finished = 1;
	if ((v->allowed_by = engine_allowed(m)) != NULL) {
		engine_decide(m->conf, v);
		return 0;
	}
	cut_header_block(m);
	m->mv.anomalies |= m->cut;
	x->rules = &m->conf->rules;
	x->mv = &m->mv;
	x->envelope_sender = m->sender != NULL ? m->sender : "";
	x->local_domains = &m->conf->local_domains;
	x->partner_domains = &m->conf->partner_domains;
	x->to_report_address = m->recipients > 0 &&
	    m->recipients_report == m->recipients;
	if (mime_parse(buf_cstr(&m->raw), m->raw.len, &m->mv) < 0) {
		v->error = 1;
		return -1;
	}
	return 0;
}

/* engine_msg_authenticate - see engine.h */
int
engine_msg_authenticate(struct engine_msg *m, struct verdict *v)
{
	if (v->error)
		return -1;
	if (v->allowed_by != NULL)
		return 0;
	if (engine_authenticate(m) < 0) {
		v->error = 1;
		return -1;
	}
	return 0;
}

/* engine_msg_judge - see engine.h */
void
engine_msg_judge(struct engine_msg *m, struct verdict *v)
{
	struct scanctx *x = &m->x;

	if (v->error || v->allowed_by != NULL)
		return;
	if (engine_normalise(m) < 0 || rule_match_run(x) < 0) {
		v->error = 1;
		return;
	}
	v->hits = x->hits;
	v->nhits = x->nhits;
	v->auth = buf_cstr(&m->auth_text);
	v->auth_field = m->auth_field.len > 0 ? buf_cstr(&m->auth_field) : NULL;
	v->anomalies = scanctx_anomalies(x);
	v->to_report_address = x->to_report_address;
	engine_decide(m->conf, v);
	if (x->to_report_address && !m->forwarded) {
		if (forward_judge(m->conf, &m->mv, &m->forward_text) < 0) {
			v->error = 1;
			return;
		}
		if (m->forward_text.len > 0)
			v->forwarded = buf_cstr(&m->forward_text);
	}
}

/* engine_msg_finish - see engine.h */
void
engine_msg_finish(struct engine_msg *m, struct verdict *v)
{
	if (engine_msg_decode(m, v) == 0 && engine_msg_authenticate(m, v) == 0)
		engine_msg_judge(m, v);
}

/* engine_msg_view - see engine.h */
const struct msgview *
engine_msg_view(const struct engine_msg *m)
{
	return &m->mv;
}

/* engine_msg_sender_domain - see engine.h */
const char *
engine_msg_sender_domain(const struct engine_msg *m)
{
	const char *at;

	if (m->sender != NULL && (at = strrchr(m->sender, '@')) != NULL &&
	    at[1] != '\0')
		return at + 1;
	if (m->mv.nfrom > 0)
		return m->mv.from[0].domain;
	return "";
}

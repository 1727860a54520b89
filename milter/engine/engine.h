/*
 * engine.h - the MTA-independent scanning pipeline.
 *
 * One engine_msg judges one message: feed it the envelope, then either
 * header fields and body chunks (the milter) or raw message bytes (the
 * scanner), in pieces of any size, then engine_msg_finish() decodes,
 * normalises, runs the rules and decides. Both ways of feeding end in the
 * same bytes, so the same message gets the same verdict from vigie-milter
 * and vigie-scan. Input beyond the configured limits is not kept (the
 * limit is recorded as an anomaly). No I/O, no libmilter.
 *
 * engine_init() runs once, before any thread: it loads the public suffix
 * list and sets up GMime, libxml2 and ICU.
 */
#ifndef VIGIE_ENGINE_H
#define VIGIE_ENGINE_H

#include <stddef.h>

#include "verdict.h"

struct conf;
struct engine_msg;
struct msgview;

int	engine_init(void);

/* engine_msg_new - the conf must outlive the engine_msg */
struct engine_msg *engine_msg_new(const struct conf *);
void	engine_msg_free(struct engine_msg *);

/*
 * engine_msg_new_forwarded - for a message found inside a report to the
 * security team (forward.c): the Authentication-Results it carries are
 * never trusted; vigie verifies DKIM and DMARC itself when verify is set
 * (an attached original), else its identity stays unknown; it is never
 * searched for a forward of its own
 */
struct engine_msg *engine_msg_new_forwarded(const struct conf *, int verify);

/* envelope; every string is copied */
int	engine_msg_client(struct engine_msg *, const char *ip);
int	engine_msg_helo(struct engine_msg *, const char *name);
int	engine_msg_sender(struct engine_msg *, const char *addr);
int	engine_msg_recipient(struct engine_msg *, const char *addr);

/*
 * engine_msg_spf_from_headers - for a message file: SPF of the client of
 * the topmost Received field and of its Return-Path, approximate (see
 * received.h), unless engine_msg_client() gave the client
 */
void	engine_msg_spf_from_headers(struct engine_msg *);

/* content, milter style: header fields, then body chunks */
int	engine_msg_header(struct engine_msg *, const char *name,
	    const char *value);
int	engine_msg_body(struct engine_msg *, const void *, size_t);

/* content, file style: the raw message, headers and body */
int	engine_msg_raw(struct engine_msg *, const void *, size_t);

/*
 * engine_msg_finish - judge the message. Always fills v; v->error is set
 * when an internal failure (memory) prevented a judgement, in which case
 * the caller applies the configured on_error.
 */
void	engine_msg_finish(struct engine_msg *, struct verdict *v);

/*
 * The same in three steps, for a caller that bounds how many messages use
 * the CPU at once (the milter's judging slots): engine_msg_decode() (MIME,
 * attachments) and engine_msg_judge() (text, rules, verdict) compute;
 * engine_msg_authenticate() between them may wait on DNS for up to
 * dns_budget_ms and should not hold a slot meanwhile. Called in this
 * order on the same v; decode and authenticate return -1 when v->error
 * is set, and after an allow-list verdict the later steps do nothing.
 */
int	engine_msg_decode(struct engine_msg *, struct verdict *v);
int	engine_msg_authenticate(struct engine_msg *, struct verdict *v);
void	engine_msg_judge(struct engine_msg *, struct verdict *v);

/* engine_msg_view - the decoded message, valid after finish until free */
const struct msgview *engine_msg_view(const struct engine_msg *);

/* engine_msg_sender_domain - envelope sender's domain, else From's, or "" */
const char *engine_msg_sender_domain(const struct engine_msg *);

#endif

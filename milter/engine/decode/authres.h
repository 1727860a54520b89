/*
 * authres.h - Authentication-Results (RFC 8601) as far as vigie trusts it.
 *
 * Only the topmost Authentication-Results field whose authserv-id is in
 * the configured trusted list counts: fields from any other authserv-id
 * may have been written by the sender and are ignored (trusting forged
 * results is a bug class OpenDMARC's security advisories describe).
 */
#ifndef VIGIE_AUTHRES_H
#define VIGIE_AUTHRES_H

#include <stddef.h>

struct msgview;
struct strlist;

enum authres_result {
	AUTHRES_NONE,			/* no trusted result for this method */
	AUTHRES_PASS,
	AUTHRES_FAIL,			/* fail, or for DMARC also quarantine/reject policy fail */
	AUTHRES_OTHER,			/* temperror, permerror, neutral, ... */
};

#define AUTHRES_DOMAIN_MAX	254
#define AUTHRES_DKIM_MAX	8

struct authres {
	int	 trusted;		/* a trusted field was found */
	enum authres_result dmarc;
	char	 dmarc_from[AUTHRES_DOMAIN_MAX];	/* header.from of dmarc */
	char	 dmarc_policy;		/* 'n', 'q', 'r': vigie's own check, or a
					   trusted field's "(p=reject)"; 0 unknown */
	size_t	 ndkim_pass;
	char	 dkim_pass[AUTHRES_DKIM_MAX][AUTHRES_DOMAIN_MAX]; /* header.d */
};

/* authres_parse - one field value; 1 when its authserv-id is trusted */
int	authres_parse(const char *value, const struct strlist *trusted,
	    struct authres *out);

/*
 * authres_from_view - the topmost trusted field of the message, if any;
 * a field under own_id (vigie's authserv-id; NULL: none) is never
 * trusted: it arrived with the message, so the sender wrote it. Returns
 * 1 when a trusted field was found.
 */
int	authres_from_view(const struct msgview *, const struct strlist *trusted,
	    const char *own_id, struct authres *out);

#endif

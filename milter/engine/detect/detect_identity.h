/*
 * detect_identity.h - who the sender provably is, for claims and
 * counter-evidence.
 *
 * "sender_authenticated" fires when the single From address is
 * authenticated (a trusted DMARC pass for that exact domain, or, without
 * a DMARC verdict, an aligned DKIM pass) as one of a brand's domains
 * (arg "brand"), one of the site's own domains (vigie.conf local_domains,
 * arg "local") or a configured partner's (partner_domains, arg
 * "partner"). It is the only evidence a sender cannot write himself, so
 * it is what every negative rule must rest on (lint checks that). Arg
 * "self": the From's own domain, whatever it is, is authenticated; that
 * says the sender is accountable for a name, not that the name is a
 * trusted one, so it never makes a negative rule safe. Mail to
 * the security team's report mailboxes is judged for the lure it
 * forwards: there "local" and "partner" never fire.
 *
 * "sender_brand_domain" fires when every From address is within a
 * brand's genuine domains, authenticated or not: a brand naming itself
 * there is not a claim (a forged exact domain is BRAND_DMARC_FAIL's job).
 *
 * "sender_links_agree" fires when the message names no brand anywhere
 * and every link goes to the From's own registrable domain: a firm whose
 * name happens to contain a brand token ("Vitale Conseil") writing about
 * its own business, not a look-alike pretending to be someone else.
 */
#ifndef VIGIE_DETECT_IDENTITY_H
#define VIGIE_DETECT_IDENTITY_H

#include <stddef.h>

struct rule;
struct ruleset;
struct scanctx;

int	detect_sender_authenticated(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_sender_authenticated_check(const char *, const struct ruleset *,
	    char *, size_t);
int	detect_sender_brand_domain(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_sender_links_agree(struct scanctx *, const struct rule *,
	    const char **, size_t *);

#endif

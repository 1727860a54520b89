/*
 * detect_brand.h - detectors about who the message claims to be.
 *
 *   brand_claim_foreign   a brand named (arg: where: display, subject,
 *                         body, comma-separated) by a sender outside its domains
 *   brand_authenticated   From in a claimed brand's domains with a trusted
 *                         DMARC pass (or aligned DKIM pass): genuine mail
 *   dmarc_fail_brand      From in a brand's domains, trusted DMARC says fail
 *   dmarc_enforced_brand  From is exactly a brand's domain, DMARC fails it
 *                         (vigie's own check or a trusted field that names
 *                         the policy) and its policy says reject or quarantine
 *   display_name_address  an address or domain in the display name that is
 *                         not the sender's
 *   reply_foreign         (arg: reply_to | return_path) a brand is claimed and
 *                         replies or bounces go to free mail or another domain
 *   lookalike_domain      (arg: from | link) a domain imitating a brand's
 */
#ifndef VIGIE_DETECT_BRAND_H
#define VIGIE_DETECT_BRAND_H

#include <stddef.h>

struct rule;
struct ruleset;
struct scanctx;

int	detect_brand_claim_foreign(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_brand_claim_check(const char *, const struct ruleset *, char *,
	    size_t);
int	detect_brand_authenticated(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_dmarc_fail_brand(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_dmarc_enforced_brand(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_display_name_address(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_reply_foreign(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_reply_foreign_check(const char *, const struct ruleset *, char *,
	    size_t);
int	detect_lookalike_domain(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_lookalike_check(const char *, const struct ruleset *, char *,
	    size_t);

/* detect_lookalike_host - does host (ASCII) imitate one of the brands? (tests) */
int	detect_lookalike_host(const struct ruleset *, const char *host_ascii,
	    const char *host_unicode);

#endif

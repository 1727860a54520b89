/*
 * detect_links.h - detectors about where the message's links go.
 *
 *   link_text_mismatch   a link whose visible text shows one domain while
 *                        its href goes to another
 *   ip_link              a link or URL whose host is a public IP literal
 *   userinfo_link        a URL with user@host (http://ameli.fr@evil/)
 *   brand_foreign_link   a brand claimed in display name or subject, and a
 *                        link or form outside that brand's domains
 *   credential_form      an HTML form (in the body or an HTML attachment)
 *                        in a message asking for passwords, cards or the NIR
 */
#ifndef VIGIE_DETECT_LINKS_H
#define VIGIE_DETECT_LINKS_H

#include <stddef.h>

struct rule;
struct scanctx;

int	detect_link_text_mismatch(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_ip_link(struct scanctx *, const struct rule *, const char **,
	    size_t *);
int	detect_userinfo_link(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_brand_foreign_link(struct scanctx *, const struct rule *,
	    const char **, size_t *);
int	detect_credential_form(struct scanctx *, const struct rule *,
	    const char **, size_t *);

#endif

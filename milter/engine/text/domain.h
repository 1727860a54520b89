/*
 * domain.h - domain names: IDNA forms, registrable domain, list matching.
 *
 * Wraps libidn2 (IDNA 2008 / UTS 46) and libpsl (public suffix list) so
 * that the rest of the engine sees lower-case A-label and U-label strings
 * and never calls those libraries itself. domain_init() loads the public
 * suffix list once, before any thread starts; afterwards every function
 * is thread-safe.
 */
#ifndef VIGIE_DOMAIN_H
#define VIGIE_DOMAIN_H

#include <stddef.h>

struct arena;

/* domain_init - load the public suffix list; -1 when none can be loaded */
int	domain_init(void);

/*
 * domain_forms - lower-case A-label (ascii) and U-label (unicode) forms
 * of a host name. Names that IDNA rejects are kept lower-cased as given.
 * Returns 1 when the name is internationalised (non-ASCII or xn--), 0
 * otherwise, -1 on memory failure.
 */
int	domain_forms(struct arena *, const char *host, const char **ascii,
	    const char **unicode);

/* domain_registrable - registrable domain of an A-label host ("" if none) */
const char *domain_registrable(struct arena *, const char *ascii);

/*
 * domain_tld_known - the last label of an A-label name is a top-level
 * domain of the public suffix list: "ameli.fr" yes, "Document.pdf",
 * "core.yaml" or "jean.dupont" no (words that only look like domains)
 */
int	domain_tld_known(const char *ascii);

/* domain_is_within - host equals domain or is a subdomain of it (ASCII) */
int	domain_is_within(const char *host, const char *domain);

#endif

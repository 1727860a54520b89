/*
 * detect_action.c - detectors "foreign_link" and "qr_link" (see
 * detect_action.h).
 */
#include "detect_action.h"

#include <string.h>

#include "facts.h"
#include "ip_scope.h"
#include "msgview.h"
#include "scanctx.h"

/*
 * foreign_action - the first link a reader can follow outside every
 * brand's domains (from a QR code only, when qr_only): its domain
 */
static int
foreign_action(struct scanctx *x, int qr_only, const char **excerpt,
    size_t *elen)
{
	const struct msgview *mv = x->mv;
	size_t i;

	for (i = 0; i < mv->nurls; i++) {
		const struct mv_url *u = &mv->urls[i];

		if (u->source == MV_URL_IMG || *u->host_ascii == '\0' ||
		    (qr_only && (u->origin == NULL ||
		    strncmp(u->origin, "qr:", 3) != 0)) ||
		    facts_any_brand_domain(x, u->host_ascii) ||
		    ((u->flags & MV_URL_IP_HOST) &&
		    ip_scope_is_internal(u->host_ascii)))
			continue;
		*excerpt = u->domain;
		*elen = strlen(u->domain);
		return 1;
	}
	return 0;
}

/* detect_foreign_link - see detect_action.h */
int
detect_foreign_link(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	(void)r;
	return foreign_action(x, 0, excerpt, elen);
}

/* detect_qr_link - see detect_action.h */
int
detect_qr_link(struct scanctx *x, const struct rule *r,
    const char **excerpt, size_t *elen)
{
	(void)r;
	return foreign_action(x, 1, excerpt, elen);
}

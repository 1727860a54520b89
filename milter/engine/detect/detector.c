/*
 * detector.c - the table of built-in detectors, looked up by name.
 */
#include "detector.h"

#include <string.h>

#include "detect_action.h"
#include "detect_anomaly.h"
#include "detect_brand.h"
#include "detect_combo.h"
#include "detect_identity.h"
#include "detect_links.h"
#include "detect_nir.h"

static const struct detector detectors[] = {
	{ "anomaly", 1, detect_anomaly, detect_anomaly_check,
	    "the message has the structural anomaly named by arg", 0 },
	{ "brand_claim_foreign", 1, detect_brand_claim_foreign,
	    detect_brand_claim_check, "a brand is named (arg: display, "
	    "subject, body) by a sender outside its domains", 0 },
	{ "brand_authenticated", 0, detect_brand_authenticated, NULL,
	    "From is a brand's domain with a trusted DMARC or DKIM pass", 0 },
	{ "dmarc_fail_brand", 0, detect_dmarc_fail_brand, NULL,
	    "From is a brand's domain and trusted DMARC says fail", 0 },
	{ "display_name_address", 0, detect_display_name_address, NULL,
	    "the display name shows a domain other than the sender's", 0 },
	{ "reply_foreign", 1, detect_reply_foreign, detect_reply_foreign_check,
	    "a brand is claimed and replies (arg: reply_to) or bounces "
	    "(return_path) go to free mail or another domain", 0 },
	{ "lookalike_domain", 1, detect_lookalike_domain,
	    detect_lookalike_check, "the From domain or a link host (arg: "
	    "from, link) imitates a brand's domain", 0 },
	{ "link_text_mismatch", 0, detect_link_text_mismatch, NULL,
	    "a link shows one domain and goes to another", 0 },
	{ "ip_link", 0, detect_ip_link, NULL,
	    "a link's host is a public IP address", 0 },
	{ "userinfo_link", 0, detect_userinfo_link, NULL,
	    "a link hides its host behind user@", 0 },
	{ "brand_foreign_link", 0, detect_brand_foreign_link, NULL,
	    "a brand is claimed and a link goes outside its domains", 0 },
	{ "credential_form", 0, detect_credential_form, NULL,
	    "an HTML form in a message asking for credentials", 0 },
	{ "nir", 1, detect_nir, detect_nir_check,
	    "a NIR with a valid key (arg: labelled, any) in mail not "
	    "authenticated as a brand's", 0 },
	{ "sender_authenticated", 1, detect_sender_authenticated,
	    detect_sender_authenticated_check, "the From is authenticated as a "
	    "brand's, the site's own or a partner's domain (arg: brand, "
	    "local, partner)", 0 },
	{ "sender_brand_domain", 0, detect_sender_brand_domain, NULL,
	    "every From address is within a brand's domains (not authenticated)",
	    0 },
	{ "sender_links_agree", 0, detect_sender_links_agree, NULL,
	    "no brand is named and every link goes to the From's own domain",
	    0 },
	{ "foreign_link", 0, detect_foreign_link, NULL,
	    "a link, URL or form goes outside every brand's domains", 0 },
	{ "all_of", 1, detect_all_of, detect_all_of_check,
	    "every rule listed in arg has hit (!ID: has not)", 1 },
	{ "at_least", 1, detect_at_least, detect_at_least_check,
	    "at least N of the rules listed in arg (N:ID,...) have hit", 1 },
	{ NULL, 0, NULL, NULL, NULL, 0 },
};

/* detector_find - see detector.h */
const struct detector *
detector_find(const char *name)
{
	const struct detector *d;

	for (d = detectors; d->name != NULL; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* detector_list - see detector.h */
const struct detector *
detector_list(void)
{
	return detectors;
}

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
	{ "anomaly", 1, detect_anomaly, detect_anomaly_check, NULL,
	    "the message has the anomaly named by arg: a structural one "
	    "(multiple_from_fields, multiple_from_addrs, no_from, bad_boundary, "
	    "dup_content_type, bad_charset, bad_encoded_word, hidden_html, "
	    "ctrl_in_header, split_word) or a limit reached (limit_*)",
	    DETECTOR_ANOMALY },
	{ "brand_claim_foreign", 1, detect_brand_claim_foreign,
	    detect_brand_claim_check, NULL, "a brand is named (arg: display, "
	    "subject, body, comma-separated) and the sender is outside its "
	    "domains",
	    DETECTOR_EVIDENCE },
	{ "brand_authenticated", 0, detect_brand_authenticated, NULL, NULL,
	    "From is in a brand's auth_domains with a trusted DMARC pass (or "
	    "aligned DKIM pass)",
	    DETECTOR_EVIDENCE },
	{ "dmarc_fail_brand", 0, detect_dmarc_fail_brand, NULL, NULL,
	    "From is in a brand's domains and the trusted DMARC result is fail",
	    DETECTOR_EVIDENCE },
	{ "dmarc_enforced_brand", 0, detect_dmarc_enforced_brand, NULL, NULL,
	    "From is exactly a brand's domain, DMARC fails it (vigie's own "
	    "check, or a trusted field naming the policy: \"dmarc=fail "
	    "(p=reject)\") and the domain's policy is reject or quarantine",
	    DETECTOR_EVIDENCE },
	{ "display_name_address", 0, detect_display_name_address, NULL, NULL,
	    "the display name shows a domain other than the sender's",
	    DETECTOR_EVIDENCE },
	{ "reply_foreign", 1, detect_reply_foreign,
	    detect_reply_foreign_check, NULL,
	    "a brand is claimed and replies (arg: reply_to) or bounces "
	    "(return_path) go to free mail or another domain",
	    DETECTOR_EVIDENCE },
	{ "lookalike_domain", 1, detect_lookalike_domain,
	    detect_lookalike_check, NULL, "the From domain or a link host (arg: "
	    "from, link) imitates a brand's: confusable skeleton, one edit "
	    "away, brand token in a label, brand as a subdomain, TLD swap, IDN",
	    DETECTOR_EVIDENCE },
	{ "link_text_mismatch", 0, detect_link_text_mismatch, NULL, NULL,
	    "a link shows one domain and goes to another", DETECTOR_EVIDENCE },
	{ "ip_link", 0, detect_ip_link, NULL, NULL,
	    "a link's host is a public IP address", DETECTOR_EVIDENCE },
	{ "userinfo_link", 0, detect_userinfo_link, NULL, NULL,
	    "a link hides its host behind user@", DETECTOR_EVIDENCE },
	{ "brand_foreign_link", 0, detect_brand_foreign_link, NULL, NULL,
	    "a brand is claimed and a link goes outside its domains",
	    DETECTOR_EVIDENCE },
	{ "credential_form", 0, detect_credential_form, NULL, NULL,
	    "an HTML form (body or attachment) asks for passwords, cards or "
	    "the NIR",
	    DETECTOR_EVIDENCE },
	{ "nir", 1, detect_nir, detect_nir_check, NULL,
	    "a NIR with a valid key (arg: labelled, any; Corsica included, "
	    "compact, spaced or dotted) in mail not authenticated as a "
	    "brand's; never shown", DETECTOR_EVIDENCE },
	{ "sender_authenticated", 1, detect_sender_authenticated,
	    detect_sender_authenticated_check, NULL, "the From is "
	    "authenticated as a brand's, the site's own or a partner's domain, "
	    "or as itself (arg: brand, local, partner, self)", DETECTOR_EVIDENCE },
	{ "sender_brand_domain", 0, detect_sender_brand_domain, NULL, NULL,
	    "every From address is within a brand's domains (not "
	    "authenticated)", DETECTOR_EVIDENCE },
	{ "sender_links_agree", 0, detect_sender_links_agree, NULL, NULL,
	    "no brand is named and every link goes to the From's own domain",
	    DETECTOR_EVIDENCE },
	{ "foreign_link", 0, detect_foreign_link, NULL, NULL,
	    "a link, URL or form goes outside every brand's domains",
	    DETECTOR_EVIDENCE },
	{ "qr_link", 0, detect_qr_link, NULL, NULL,
	    "a QR code (in an image or a PDF page) leads outside every "
	    "brand's domains", DETECTOR_EVIDENCE },
	{ "all_of", 1, detect_all_of, NULL, detect_all_of_compile,
	    "every rule listed in arg has hit (!ID: has not)",
	    DETECTOR_COMBINE },
	{ "at_least", 1, detect_at_least, NULL, detect_at_least_compile,
	    "at least N of the rules listed in arg (N:ID,...) have hit",
	    DETECTOR_COMBINE },
	{ NULL, 0, NULL, NULL, NULL, NULL, DETECTOR_EVIDENCE },
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

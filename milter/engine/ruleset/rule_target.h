/*
 * rule_target.h - what a rule's pattern is matched against.
 */
#ifndef VIGIE_RULE_TARGET_H
#define VIGIE_RULE_TARGET_H

#include <stddef.h>

/* What a rule's pattern is matched against (rule_target.c names them). */
enum rule_target {
	TARGET_SUBJECT,
	TARGET_BODY,
	TARGET_FROM_DISPLAY,
	TARGET_FROM_ADDRESS,
	TARGET_FROM_DOMAIN,
	TARGET_ENVELOPE_SENDER,
	TARGET_REPLY_TO,
	TARGET_RETURN_PATH,
	TARGET_HEADER,
	TARGET_URL,
	TARGET_URL_HOST,
	TARGET_URL_DOMAIN,
	TARGET_URL_PATH,
	TARGET_LINK_TEXT,
	TARGET_ATTACHMENT_NAME,
	TARGET_ATTACHMENT_TYPE,
};

/* rule_target_parse - "subject", "header:X-Mailer", ...; -1 if unknown */
int	rule_target_parse(const char *name, enum rule_target *,
	    const char **header);
const char *rule_target_name(enum rule_target);
/* rule_target_normalised - are its values matched in textnorm form? */
int	rule_target_normalised(enum rule_target);
/* rule_target_names - the list, comma-separated, for error messages */
void	rule_target_names(char *out, size_t size);

#endif

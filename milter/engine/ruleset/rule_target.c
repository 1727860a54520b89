/*
 * rule_target.c - the names of what a rule's pattern is matched against.
 *
 * One table gives each target its name in rule files and whether its
 * values are matched in normalised form (textnorm.h); the loader, the
 * matcher, lint and the error messages all read it.
 */
#include "rule_target.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	enum rule_target target;
	int	 normalised;
} rule_targets[] = {
	{ "subject", TARGET_SUBJECT, 1 },
	{ "body", TARGET_BODY, 1 },
	{ "from_display", TARGET_FROM_DISPLAY, 1 },
	{ "from_address", TARGET_FROM_ADDRESS, 0 },
	{ "from_domain", TARGET_FROM_DOMAIN, 0 },
	{ "envelope_sender", TARGET_ENVELOPE_SENDER, 0 },
	{ "reply_to", TARGET_REPLY_TO, 0 },
	{ "return_path", TARGET_RETURN_PATH, 0 },
	{ "header", TARGET_HEADER, 0 },
	{ "url", TARGET_URL, 0 },
	{ "url_host", TARGET_URL_HOST, 0 },
	{ "url_domain", TARGET_URL_DOMAIN, 0 },
	{ "url_path", TARGET_URL_PATH, 0 },
	{ "link_text", TARGET_LINK_TEXT, 1 },
	{ "attachment_name", TARGET_ATTACHMENT_NAME, 1 },
	{ "attachment_type", TARGET_ATTACHMENT_TYPE, 0 },
};
#define NTARGETS (sizeof(rule_targets) / sizeof(rule_targets[0]))

/* rule_target_parse - see rule_target.h */
int
rule_target_parse(const char *name, enum rule_target *t, const char **header)
{
	size_t i;

	*header = NULL;
	if (strncmp(name, "header:", 7) == 0) {
		if (name[7] == '\0' || strpbrk(name + 7, ": \t") != NULL)
			return -1;
		*t = TARGET_HEADER;
		*header = name + 7;
		return 0;
	}
	for (i = 0; i < NTARGETS; i++)
		if (rule_targets[i].target != TARGET_HEADER &&
		    strcmp(rule_targets[i].name, name) == 0) {
			*t = rule_targets[i].target;
			return 0;
		}
	return -1;
}

/* rule_target_name - see rule_target.h */
const char *
rule_target_name(enum rule_target t)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++)
		if (rule_targets[i].target == t)
			return rule_targets[i].name;
	return "?";
}

/* rule_target_normalised - see rule_target.h */
int
rule_target_normalised(enum rule_target t)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++)
		if (rule_targets[i].target == t)
			return rule_targets[i].normalised;
	return 0;
}

/* rule_target_names - see rule_target.h */
void
rule_target_names(char *out, size_t size)
{
	size_t i, len = 0;
	int n;

	if (size == 0)
		return;
	out[0] = '\0';
	for (i = 0; i < NTARGETS; i++) {
		n = snprintf(out + len, size - len, "%s%s%s", i ? ", " : "",
		    rule_targets[i].name,
		    rule_targets[i].target == TARGET_HEADER ? ":NAME" : "");
		if (n < 0 || (size_t)n >= size - len)
			return;
		len += (size_t)n;
	}
}

/*
 * auth_txt.c - TXT rdata to text, and the choice of one record (see
 * auth_txt.h).
 */
#include "auth_txt.h"

#include <string.h>
#include <strings.h>

#include "auth_dns.h"

/* auth_txt_join - see auth_txt.h */
long
auth_txt_join(const unsigned char *rdata, size_t len, char *out, size_t cap)
{
	size_t i = 0, n = 0, part;

	if (cap == 0)
		return -1;
	while (i < len) {
		part = rdata[i++];
		if (part > len - i || part >= cap - n ||
		    memchr(rdata + i, '\0', part) != NULL)
			return -1;
		memcpy(out + n, rdata + i, part);
		n += part;
		i += part;
	}
	out[n] = '\0';
	return (long)n;
}

/* auth_txt_starts - text begins with prefix as a whole tag */
static int
auth_txt_starts(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);

	if (strncasecmp(text, prefix, n) != 0)
		return 0;
	return text[n] == '\0' || text[n] == ';' || text[n] == ' ' ||
	    text[n] == '\t';
}

/* auth_txt_pick - see auth_txt.h */
int
auth_txt_pick(const struct auth_dns_answer *a, const char *prefix,
    char *out, size_t cap)
{
	char text[AUTH_DNS_MAX_DATA];
	size_t i;
	int found = 0;

	for (i = 0; i < a->nrr; i++) {
		/* a broken record is nobody's: skipped */
		if (auth_txt_join(a->rr[i], a->len[i], text, sizeof(text)) < 0)
			continue;
		if (*prefix != '\0' && !auth_txt_starts(text, prefix))
			continue;
		if (found || strlen(text) >= cap)
			return -1;
		strcpy(out, text);
		found = 1;
		if (*prefix == '\0')
			return 1;
	}
	return found;
}

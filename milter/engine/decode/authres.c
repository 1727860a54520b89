/*
 * authres.c - parse Authentication-Results field values (RFC 8601).
 *
 * The grammar is simplified to what is needed and what real MTAs write:
 *   authserv-id [version] ; method[/version]=result [reason] [ptype.prop=value]... ; ...
 * Comments in parentheses (nested) are skipped, quoted strings are read
 * as values, with one exception: the comment right after a dmarc result,
 * where verifiers write the domain's policy ("dmarc=fail (p=reject
 * dis=none)" by OpenDMARC and Gmail, "(policy=reject)" by others), is
 * read for it. Anything malformed ends the parse with what was understood
 * so far; nothing is ever written past the fixed-size fields.
 */
#include "authres.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "msgview.h"
#include "strlist.h"

#define AR_TOKEN_MAX	256

struct ar_lexer {
	const char *p;
};

/* ar_skip - white space and (nested) comments */
static void
ar_skip(struct ar_lexer *lx)
{
	int depth;

	for (;;) {
		while (*lx->p && isspace((unsigned char)*lx->p))
			lx->p++;
		if (*lx->p != '(')
			return;
		depth = 0;
		do {
			if (*lx->p == '\\' && lx->p[1] != '\0')
				lx->p++;
			else if (*lx->p == '(')
				depth++;
			else if (*lx->p == ')')
				depth--;
			lx->p++;
		} while (*lx->p && depth > 0);
	}
}

/*
 * ar_token - next token into tok: a quoted string, or a run of characters
 * other than space, ';', '=', '(' and '"'; single-character tokens for
 * ';' and '='. Returns the token's length, 0 at the end.
 */
static size_t
ar_token(struct ar_lexer *lx, char tok[AR_TOKEN_MAX])
{
	size_t n = 0;

	ar_skip(lx);
	if (*lx->p == '\0')
		return 0;
	if (*lx->p == ';' || *lx->p == '=') {
		tok[0] = *lx->p++;
		tok[1] = '\0';
		return 1;
	}
	if (*lx->p == '"') {
		lx->p++;
		while (*lx->p && *lx->p != '"') {
			if (*lx->p == '\\' && lx->p[1] != '\0')
				lx->p++;
			if (n + 1 < AR_TOKEN_MAX)
				tok[n++] = *lx->p;
			lx->p++;
		}
		if (*lx->p == '"')
			lx->p++;
		tok[n] = '\0';
		return n > 0 ? n : 1;
	}
	while (*lx->p && !isspace((unsigned char)*lx->p) && *lx->p != ';' &&
	    *lx->p != '=' && *lx->p != '(' && *lx->p != '"') {
		if (n + 1 < AR_TOKEN_MAX)
			tok[n++] = *lx->p;
		lx->p++;
	}
	tok[n] = '\0';
	return n;
}

/*
 * ar_comment_policy - the policy in the comment the lexer is at, if any:
 * "p=" or "policy=" followed by reject, quarantine or none; 'r', 'q',
 * 'n', or 0. The lexer does not move.
 */
static char
ar_comment_policy(const struct ar_lexer *lx)
{
	const char *p = lx->p, *v;
	size_t n;

	while (*p && isspace((unsigned char)*p))
		p++;
	if (*p != '(')
		return 0;
	for (p++; *p && *p != ')' && *p != '('; p++) {
		if (p[-1] != '(' && !isspace((unsigned char)p[-1]))
			continue;
		if (strncasecmp(p, "p=", 2) == 0)
			v = p + 2;
		else if (strncasecmp(p, "policy=", 7) == 0)
			v = p + 7;
		else
			continue;
		for (n = 0; isalpha((unsigned char)v[n]); n++)
			;
		if (n == 6 && strncasecmp(v, "reject", 6) == 0)
			return 'r';
		if (n == 10 && strncasecmp(v, "quarantine", 10) == 0)
			return 'q';
		if (n == 4 && strncasecmp(v, "none", 4) == 0)
			return 'n';
		return 0;
	}
	return 0;
}

/* ar_result - map a result keyword */
static enum authres_result
ar_result(const char *r)
{
	if (strcasecmp(r, "pass") == 0)
		return AUTHRES_PASS;
	if (strcasecmp(r, "fail") == 0)
		return AUTHRES_FAIL;
	return AUTHRES_OTHER;
}

/* ar_copy_domain - lower-cased, bounded, "@" and local part dropped */
static void
ar_copy_domain(char dst[AUTHRES_DOMAIN_MAX], const char *v)
{
	const char *at = strrchr(v, '@');
	size_t i;

	if (at != NULL)
		v = at + 1;
	for (i = 0; v[i] && i + 1 < AUTHRES_DOMAIN_MAX; i++)
		dst[i] = (char)tolower((unsigned char)v[i]);
	dst[i] = '\0';
}

/* authres_parse - see authres.h */
int
authres_parse(const char *value, const struct strlist *trusted,
    struct authres *out)
{
	struct ar_lexer lx = { value };
	char tok[AR_TOKEN_MAX], method[AR_TOKEN_MAX], prop[AR_TOKEN_MAX];
	enum authres_result result = AUTHRES_NONE;
	size_t i;
	int ok = 0;

	memset(out, 0, sizeof(*out));
	if (ar_token(&lx, tok) == 0)
		return 0;
	for (i = 0; i < trusted->n; i++)
		if (strcasecmp(trusted->v[i], tok) == 0)
			ok = 1;
	if (!ok)
		return 0;
	out->trusted = 1;
	/* skip an optional version, up to the first ';' */
	while (ar_token(&lx, tok) != 0 && strcmp(tok, ";") != 0)
		;
	method[0] = '\0';
	while (ar_token(&lx, tok) != 0) {
		if (strcmp(tok, ";") == 0) {
			method[0] = '\0';
			continue;
		}
		/* "name = value" (method=result, reason=..., ptype.prop=...) */
		strcpy(prop, tok);
		if (ar_token(&lx, tok) == 0 || strcmp(tok, "=") != 0)
			continue;
		if (ar_token(&lx, tok) == 0)
			break;
		if (method[0] == '\0') {
			char *slash = strchr(prop, '/');

			if (slash != NULL)
				*slash = '\0';
			strcpy(method, prop);
			result = ar_result(tok);
			if (strcasecmp(method, "dmarc") == 0 &&
			    out->dmarc == AUTHRES_NONE) {
				out->dmarc = result;
				out->dmarc_policy = ar_comment_policy(&lx);
			}
			continue;
		}
		if (strcasecmp(method, "dmarc") == 0 &&
		    strcasecmp(prop, "header.from") == 0 &&
		    out->dmarc_from[0] == '\0')
			ar_copy_domain(out->dmarc_from, tok);
		else if (strcasecmp(method, "dkim") == 0 &&
		    result == AUTHRES_PASS &&
		    (strcasecmp(prop, "header.d") == 0 ||
		    strcasecmp(prop, "header.i") == 0) &&
		    out->ndkim_pass < AUTHRES_DKIM_MAX)
			ar_copy_domain(out->dkim_pass[out->ndkim_pass++], tok);
	}
	return 1;
}

/* ar_id_is - the field's authserv-id is id */
static int
ar_id_is(const char *value, const char *id)
{
	struct ar_lexer lx = { value };
	char tok[AR_TOKEN_MAX];

	return id != NULL && ar_token(&lx, tok) != 0 &&
	    strcasecmp(tok, id) == 0;
}

/* authres_from_view - see authres.h */
int
authres_from_view(const struct msgview *mv, const struct strlist *trusted,
    const char *own_id, struct authres *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (trusted->n == 0)
		return 0;
	for (i = 0; i < mv->nheaders; i++)
		if (strcasecmp(mv->headers[i].name,
		    "Authentication-Results") == 0 &&
		    !ar_id_is(mv->headers[i].value, own_id) &&
		    authres_parse(mv->headers[i].value, trusted, out))
			return 1;
	memset(out, 0, sizeof(*out));
	return 0;
}

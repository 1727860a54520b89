/*
 * nullmilter.c - a milter that does nothing: the benchmark's baseline.
 *
 * SYNOPSIS
 *	nullmilter [-l] unix:/path/to/socket
 *
 * DESCRIPTION
 *	Registers every callback vigie-milter registers (connect, helo,
 *	envfrom, envrcpt, header, eoh, body, eom, abort, close), each
 *	answering SMFIS_CONTINUE, and SMFIS_ACCEPT at end of message; it
 *	negotiates nothing special and asks for no actions. So Postfix
 *	sends it every protocol step and the whole message, exactly as it
 *	does to vigie, and the difference between the two legs of the
 *	benchmark is what vigie does with the message.
 *
 *	-l (lean) negotiates what vigie-milter negotiates: skip HELO,
 *	unknown commands, DATA and end-of-headers, and send no reply to
 *	connect, MAIL, RCPT and each header (fewer round trips), so that
 *	the comparison isolates the work vigie does.
 *
 *	The socket is opened as libmilter does for vigie (smfi_opensocket,
 *	stale socket removed) and made mode 0666 so that Postfix's
 *	unprivileged smtpd can connect. Runs in the foreground until
 *	SIGTERM or SIGINT (libmilter's own signal handling).
 *
 * DIAGNOSTICS
 *	Exit 1 when the socket cannot be opened or libmilter fails.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <libmilter/mfapi.h>

static int lean;

/* null_negotiate - all steps and replies, or with -l vigie's set */
static sfsistat
null_negotiate(SMFICTX *ctx, unsigned long f0, unsigned long f1,
    unsigned long f2, unsigned long f3, unsigned long *pf0,
    unsigned long *pf1, unsigned long *pf2, unsigned long *pf3)
{
	const unsigned long skip = SMFIP_NOHELO | SMFIP_NOUNKNOWN |
	    SMFIP_NODATA | SMFIP_NOEOH;
	const unsigned long noreply = SMFIP_NR_CONN | SMFIP_NR_MAIL |
	    SMFIP_NR_RCPT | SMFIP_NR_HDR;

	(void)ctx, (void)f0, (void)f2, (void)f3;
	if (!lean)
		return SMFIS_ALL_OPTS;
	*pf0 = 0;
	*pf1 = (f1 & skip) | (f1 & noreply);
	*pf2 = 0;
	*pf3 = 0;
	return SMFIS_CONTINUE;
}

/* null_reply - continue, or nothing when the MTA expects no reply */
static sfsistat
null_reply(void)
{
	return lean ? SMFIS_NOREPLY : SMFIS_CONTINUE;
}

/* null_connect ... null_body - every step but the last */
static sfsistat
null_connect(SMFICTX *ctx, char *host, _SOCK_ADDR *sa)
{
	(void)ctx, (void)host, (void)sa;
	return null_reply();
}

static sfsistat
null_helo(SMFICTX *ctx, char *helo)
{
	(void)ctx, (void)helo;
	return SMFIS_CONTINUE;
}

static sfsistat
null_env(SMFICTX *ctx, char **argv)
{
	(void)ctx, (void)argv;
	return null_reply();
}

static sfsistat
null_header(SMFICTX *ctx, char *name, char *value)
{
	(void)ctx, (void)name, (void)value;
	return null_reply();
}

static sfsistat
null_ctx(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_CONTINUE;
}

static sfsistat
null_body(SMFICTX *ctx, unsigned char *chunk, size_t len)
{
	(void)ctx, (void)chunk, (void)len;
	return SMFIS_CONTINUE;
}

/* null_eom - the verdict: accept */
static sfsistat
null_eom(SMFICTX *ctx)
{
	(void)ctx;
	return SMFIS_ACCEPT;
}

static struct smfiDesc null_desc = {
	.xxfi_name = "nullmilter",
	.xxfi_version = SMFI_VERSION,
	.xxfi_flags = 0,
	.xxfi_connect = null_connect,
	.xxfi_helo = null_helo,
	.xxfi_envfrom = null_env,
	.xxfi_envrcpt = null_env,
	.xxfi_header = null_header,
	.xxfi_eoh = null_ctx,
	.xxfi_body = null_body,
	.xxfi_eom = null_eom,
	.xxfi_abort = null_ctx,
	.xxfi_close = null_ctx,
	.xxfi_negotiate = null_negotiate,
};

int
main(int argc, char **argv)
{
	const char *spec;

	if (argc == 3 && strcmp(argv[1], "-l") == 0) {
		lean = 1;
		argc--, argv++;
	}
	if (argc != 2 || strncmp(argv[1], "unix:", 5) != 0) {
		fprintf(stderr, "usage: nullmilter [-l] unix:/path/to/socket\n");
		return 1;
	}
	spec = argv[1];
	if (smfi_setconn((char *)spec) != MI_SUCCESS ||
	    smfi_register(null_desc) != MI_SUCCESS ||
	    smfi_opensocket(1) != MI_SUCCESS) {
		fprintf(stderr, "nullmilter: cannot open %s\n", spec);
		return 1;
	}
	if (chmod(spec + 5, 0666) < 0) {
		perror("nullmilter: chmod");
		return 1;
	}
	return smfi_main() == MI_SUCCESS ? 0 : 1;
}

/*
 * msgview.h - one message as its recipient would see it.
 *
 * The MIME layer (mime.c, html.c, url.c, and attach/ for what attachments
 * show once opened) fills a msgview from raw bytes;
 * detectors and rules only ever read it. Every string is UTF-8, NUL-
 * terminated and owned by the view's arena. Text fields hold the decoded
 * form (RFC 2047 decoded, charset converted); their normalised forms for
 * matching are made once by the engine (textnorm.c), not here.
 *
 * The add functions enforce the limits: past a cap they record the
 * matching anomaly and drop the item, so callers need not check.
 */
#ifndef VIGIE_MSGVIEW_H
#define VIGIE_MSGVIEW_H

#include <stddef.h>

#include "buf.h"
#include "scan_limits.h"

struct arena;

/* Anomalies: malformed or evasive structure, recorded as evidence. */
enum mv_anomaly {
	MV_ANOM_MULTIPLE_FROM_FIELDS	= 1u << 0,  /* more than one From: */
	MV_ANOM_MULTIPLE_FROM_ADDRS	= 1u << 1,  /* From: with >1 mailbox */
	MV_ANOM_NO_FROM			= 1u << 2,
	MV_ANOM_BAD_BOUNDARY		= 1u << 3,  /* missing / unclosed */
	MV_ANOM_DUP_CONTENT_TYPE	= 1u << 4,
	MV_ANOM_BAD_CHARSET		= 1u << 5,  /* unknown or undecodable */
	MV_ANOM_BAD_ENCODED_WORD	= 1u << 6,  /* malformed RFC 2047 */
	MV_ANOM_HIDDEN_HTML		= 1u << 7,  /* display:none etc. text */
	MV_ANOM_CTRL_IN_HEADER		= 1u << 8,  /* CR/LF/NUL after decoding */
	MV_ANOM_LIMIT_SCAN_BYTES	= 1u << 9,
	MV_ANOM_LIMIT_HEADER_BYTES	= 1u << 10,
	MV_ANOM_LIMIT_PART_BYTES	= 1u << 11,
	MV_ANOM_LIMIT_TEXT_BYTES	= 1u << 12,
	MV_ANOM_LIMIT_MIME_DEPTH	= 1u << 13,
	MV_ANOM_LIMIT_PARTS		= 1u << 14,
	MV_ANOM_LIMIT_URLS		= 1u << 15,
	MV_ANOM_LIMIT_ATTACHMENTS	= 1u << 16,
	MV_ANOM_LIMIT_REGEX		= 1u << 17, /* a pattern hit its limit */
	MV_ANOM_SPLIT_WORD		= 1u << 18, /* an HTML comment inside a word */
	MV_ANOM_LIMIT_CSS		= 1u << 19, /* style rules, bytes or matching work */
	/* attachment decoders (decode/attach/) */
	MV_ANOM_LIMIT_ATTACH_BYTES	= 1u << 20, /* attachment or member cut */
	MV_ANOM_LIMIT_ATTACH_ITEMS	= 1u << 21, /* pages, members, decoded files */
	MV_ANOM_LIMIT_ARCHIVE_DEPTH	= 1u << 22, /* archives nested too deep */
	MV_ANOM_LIMIT_ATTACH_TIME	= 1u << 23, /* decoding time budget spent */
	MV_ANOM_LIMIT_IMAGE_PIXELS	= 1u << 24, /* image too large to decode */
	MV_ANOM_ENCRYPTED_ARCHIVE	= 1u << 25, /* password-protected member */
	MV_ANOM_BAD_ATTACHMENT		= 1u << 26, /* PDF/archive/image unreadable */
	MV_ANOM_LIMIT_FORGED_FIELDS	= 1u << 27, /* too many X-Vigie-* to remove (milter) */
};
#define MV_ANOM_COUNT	28

/* mv_anomaly_name - stable lower-case name of one anomaly bit ("limit_urls") */
const char *mv_anomaly_name(unsigned bit);

struct mv_header {
	const char *name;		/* as written */
	const char *value;		/* unfolded, RFC 2047 decoded */
};

/* addresses kept per field: enough to see a list, too few to cost much */
#define MV_MAX_ADDRESSES	64

struct mv_address {
	const char *display;		/* decoded display name, "" if none */
	const char *addr;		/* local@domain as written, "" if none */
	const char *domain;		/* lower-case, ASCII (A-labels), "" if none */
};

enum mv_url_source {
	MV_URL_TEXT,			/* found in plain or visible text */
	MV_URL_HREF,			/* <a href> or <area href> */
	MV_URL_FORM,			/* <form action> */
	MV_URL_IMG,			/* <img src> */
	MV_URL_QR,			/* decoded from a QR code in an image */
};

enum mv_url_flag {
	MV_URL_IP_HOST	= 1u << 0,	/* host is an IP literal, any notation */
	MV_URL_USERINFO	= 1u << 1,	/* user@host or user:pw@host */
	MV_URL_IDN	= 1u << 2,	/* host has non-ASCII or xn-- labels */
	MV_URL_WRAPPER	= 1u << 3,	/* a rewriter or redirect: its target follows */
	MV_URL_UNWRAPPED = 1u << 4,	/* the target taken out of the wrapper before */
};

struct mv_url {
	const char *url;		/* as found, entities decoded, base applied */
	const char *scheme;		/* lower-case, "" when none (www.x.y) */
	const char *host;		/* lower-case, Unicode (U-labels) */
	const char *host_ascii;		/* lower-case, A-labels; IPs canonical dotted */
	const char *domain;		/* registrable domain (PSL), ASCII; host for IPs */
	const char *path;		/* path, query and fragment, "" if none */
	const char *text;		/* visible anchor text for links, else NULL */
	enum mv_url_source source;
	unsigned flags;			/* enum mv_url_flag */
	const char *origin;		/* attachment it came from ("pdf:page2"), NULL in the body */
};

struct mv_attachment {
	const char *name;		/* decoded file name, "" if none */
	const char *declared_type;	/* lower-case type/subtype */
	const char *sniffed_type;	/* from content magic, "" if unknown */
	const char *origin;		/* containing archive ("zip:a.zip"), NULL at top */
};

/* where text from an attachment starts in the view's text */
struct mv_text_origin {
	size_t offset;			/* in msgview.text */
	const char *origin;		/* "pdf:page1", NULL: back to the body */
};

struct msgview {
	struct arena *arena;
	const struct scan_limits *limits;

	struct mv_header *headers;	size_t nheaders, cap_headers;
	struct mv_address *from;	size_t nfrom, cap_from;
	unsigned from_fields;		/* number of From: header fields */
	struct mv_address *reply_to;	size_t nreply_to, cap_reply_to;
	const char *return_path;	/* Return-Path address, "" if none */
	const char *subject;		/* decoded Subject, "" if none */

	struct buf text;		/* visible text of all text parts */
	struct buf text_tail;		/* the latest text past max_text_bytes */
	struct mv_url *urls;		size_t nurls, cap_urls;
	struct mv_attachment *attachments; size_t nattachments, cap_attachments;
	struct buf attached_message;	/* the first attached message's bytes
					   (message/rfc822), at most max_part_bytes */

	unsigned anomalies;		/* enum mv_anomaly bits */
	unsigned parts;			/* MIME parts visited */

	/* attachment decoders (decode/attach/): where, and their budget */
	const char *origin;		/* current origin, NULL in the body */
	struct mv_text_origin *text_origins; size_t ntext_origins, cap_text_origins;
	unsigned attach_decoded;	/* attachments and members decoded */
	unsigned attach_images;		/* images looked at for QR codes */
	double attach_started;		/* thread CPU seconds at the first, 0 before */
	unsigned ocr_images;		/* images read by OCR */
	double ocr_spent;		/* seconds spent in OCR */
	int ocr_logged;			/* OCR's one log line for a cut is written */
};

/* msgview_init - empty view with a fresh arena; -1 on memory failure */
int	msgview_init(struct msgview *, const struct scan_limits *);
void	msgview_free(struct msgview *);

/*
 * msgview_keep_attached_message - keep the bytes of an attached message
 * (the first one only; cut at max_part_bytes): a report to the security
 * team is judged for the lure it forwards. -1 on memory failure.
 */
int	msgview_keep_attached_message(struct msgview *, const char *, size_t);

/* msgview_anomaly - record an anomaly */
void	msgview_anomaly(struct msgview *, enum mv_anomaly);

/*
 * The add functions copy their strings into the arena (NULL means "")
 * and return 0, or -1 on memory failure. Past a limit they record the
 * anomaly, drop the item and still return 0.
 */
int	msgview_add_header(struct msgview *, const char *name, const char *value);
int	msgview_add_address(struct msgview *, struct mv_address **list,
	    size_t *n, size_t *cap, const char *display, const char *addr);
int	msgview_add_url(struct msgview *, const struct mv_url *);
int	msgview_add_attachment(struct msgview *, const char *name,
	    const char *declared_type, const char *sniffed_type);
/*
 * msgview_set_origin - text, URLs and attachments added from now on come
 * from origin ("pdf:page2", "zip:a/b.html"; NULL: the message itself).
 */
int	msgview_set_origin(struct msgview *, const char *origin);
/*
 * msgview_add_text - append visible text. Past max_text_bytes the text
 * is not dropped at once: its last max_text_bytes / MV_TEXT_TAIL_PART
 * bytes are kept aside and msgview_finish_text() appends them, so that
 * a lure written after honest padding is still read.
 */
int	msgview_add_text(struct msgview *, const char *, size_t);
#define MV_TEXT_TAIL_PART	4

/* msgview_finish_text - append the kept end of a text that went past the limit */
int	msgview_finish_text(struct msgview *);


#endif

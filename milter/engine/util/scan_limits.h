/*
 * scan_limits.h - the bounds that keep one hostile message cheap.
 *
 * Every attacker-controlled size the engine handles has a cap here. The
 * values come from the "limits" group of vigie.conf (conf.c) with the
 * defaults below; going past one is recorded as an anomaly on the
 * message (evidence that rules can score), the excess is skipped and the
 * message still gets a verdict.
 */
#ifndef VIGIE_SCAN_LIMITS_H
#define VIGIE_SCAN_LIMITS_H

#include <stddef.h>

struct scan_limits {
	size_t	 max_scan_bytes;	/* raw message bytes kept for parsing */
	size_t	 max_header_bytes;	/* raw header block bytes kept */
	size_t	 max_part_bytes;	/* decoded bytes taken from one part */
	size_t	 max_text_bytes;	/* visible text kept for matching */
	unsigned max_mime_depth;	/* multipart / message nesting */
	unsigned max_parts;		/* MIME parts visited */
	unsigned max_urls;		/* URLs kept */
	unsigned max_attachments;	/* attachment names kept */
	unsigned long regex_match_limit;	/* PCRE2 match limit per match */
	unsigned long regex_depth_limit;	/* PCRE2 depth limit (interpreter) */
	/* attachment decoders (PDF, archives, calendars, SVG, images) */
	size_t	 max_attach_bytes;	/* decoded bytes read from one attachment or member */
	size_t	 max_archive_bytes;	/* uncompressed bytes read from one archive */
	unsigned max_attach_decoded;	/* attachments and members decoded per message */
	unsigned max_attach_pages;	/* PDF pages read per document */
	unsigned max_archive_members;	/* archive members listed per archive */
	unsigned max_archive_depth;	/* archives inside archives */
	unsigned max_attach_ms;		/* decoding time per message, milliseconds */
	unsigned long max_image_pixels;	/* width x height of an image decoded for QR codes */
	/* OCR of those images (decode/attach/ocr.c), off by default */
	int	 ocr;			/* read the text drawn in images */
	char	*ocr_languages;		/* tesseract's "fra", "fra+eng"; NULL: "fra" (owned by conf) */
	unsigned ocr_max_images;	/* images read per message */
	unsigned long ocr_max_pixels;	/* width x height read; larger is downscaled */
	unsigned ocr_max_ms;		/* OCR CPU time per message, milliseconds */
	unsigned max_qr_pages;		/* PDF pages rendered for QR codes per document */
};

#define LIMIT_DEFAULT_SCAN_BYTES	(8u * 1024 * 1024)
#define LIMIT_DEFAULT_HEADER_BYTES	(256u * 1024)
#define LIMIT_DEFAULT_PART_BYTES	(2u * 1024 * 1024)
#define LIMIT_DEFAULT_TEXT_BYTES	(1u * 1024 * 1024)
#define LIMIT_DEFAULT_MIME_DEPTH	20
#define LIMIT_DEFAULT_PARTS		500
#define LIMIT_DEFAULT_URLS		1000
#define LIMIT_DEFAULT_ATTACHMENTS	100
#define LIMIT_DEFAULT_MATCH_LIMIT	1000000ul
#define LIMIT_DEFAULT_DEPTH_LIMIT	10000ul
#define LIMIT_DEFAULT_ATTACH_BYTES	(2u * 1024 * 1024)
#define LIMIT_DEFAULT_ARCHIVE_BYTES	(8u * 1024 * 1024)
#define LIMIT_DEFAULT_ATTACH_DECODED	20
#define LIMIT_DEFAULT_ATTACH_PAGES	20
#define LIMIT_DEFAULT_ARCHIVE_MEMBERS	200
#define LIMIT_DEFAULT_ARCHIVE_DEPTH	3
#define LIMIT_DEFAULT_ATTACH_MS		500
#define LIMIT_DEFAULT_IMAGE_PIXELS	(4096ul * 4096)
#define LIMIT_DEFAULT_OCR_IMAGES	3
#define LIMIT_DEFAULT_OCR_PIXELS	(2048ul * 2048)
#define LIMIT_DEFAULT_OCR_MS		1000
#define LIMIT_DEFAULT_QR_PAGES		5

void	scan_limits_set_defaults(struct scan_limits *);

#endif

/*
 * scan_limits.c - default values of the per-message bounds (scan_limits.h).
 */
#include "scan_limits.h"

/* scan_limits_set_defaults - the values used when vigie.conf sets none */
void
scan_limits_set_defaults(struct scan_limits *l)
{
	l->max_scan_bytes = LIMIT_DEFAULT_SCAN_BYTES;
	l->max_header_bytes = LIMIT_DEFAULT_HEADER_BYTES;
	l->max_part_bytes = LIMIT_DEFAULT_PART_BYTES;
	l->max_text_bytes = LIMIT_DEFAULT_TEXT_BYTES;
	l->max_mime_depth = LIMIT_DEFAULT_MIME_DEPTH;
	l->max_parts = LIMIT_DEFAULT_PARTS;
	l->max_urls = LIMIT_DEFAULT_URLS;
	l->max_attachments = LIMIT_DEFAULT_ATTACHMENTS;
	l->regex_match_limit = LIMIT_DEFAULT_MATCH_LIMIT;
	l->regex_depth_limit = LIMIT_DEFAULT_DEPTH_LIMIT;
	l->max_attach_bytes = LIMIT_DEFAULT_ATTACH_BYTES;
	l->max_archive_bytes = LIMIT_DEFAULT_ARCHIVE_BYTES;
	l->max_attach_decoded = LIMIT_DEFAULT_ATTACH_DECODED;
	l->max_attach_pages = LIMIT_DEFAULT_ATTACH_PAGES;
	l->max_archive_members = LIMIT_DEFAULT_ARCHIVE_MEMBERS;
	l->max_archive_depth = LIMIT_DEFAULT_ARCHIVE_DEPTH;
	l->max_attach_ms = LIMIT_DEFAULT_ATTACH_MS;
	l->max_image_pixels = LIMIT_DEFAULT_IMAGE_PIXELS;
	l->ocr = 0;
	l->ocr_languages = NULL;
	l->ocr_max_images = LIMIT_DEFAULT_OCR_IMAGES;
	l->ocr_max_pixels = LIMIT_DEFAULT_OCR_PIXELS;
	l->ocr_max_ms = LIMIT_DEFAULT_OCR_MS;
	l->max_qr_pages = LIMIT_DEFAULT_QR_PAGES;
}

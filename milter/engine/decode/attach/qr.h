/*
 * qr.h - QR codes in an image attachment or inline image (PNG, JPEG).
 */
#ifndef VIGIE_QR_H
#define VIGIE_QR_H

#include <stddef.h>

struct attach_ctx;

/*
 * qr_decode - decode a PNG or JPEG to grey levels and add what its QR
 * codes say: a URL as a link of source MV_URL_QR, other text as text,
 * with origin "qr:imageN", then its text read by OCR when ocr = true
 * (ocr.c, origin "ocr:imageN"). An image of more than max_image_pixels is not
 * decoded (MV_ANOM_LIMIT_IMAGE_PIXELS), a broken one is
 * MV_ANOM_BAD_ATTACHMENT. -1 only on memory failure.
 */
int	qr_decode(const struct attach_ctx *ctx, const char *data, size_t len);

/*
 * qr_scan_grey - the QR codes of an 8-bit grey image (a rendered PDF
 * page, say), added as qr_decode() does under origin where. zbar reads
 * grey but does not keep it. -1 only on memory failure.
 */
int	qr_scan_grey(const struct attach_ctx *ctx, const unsigned char *grey,
	    unsigned width, unsigned height, const char *where);

#endif

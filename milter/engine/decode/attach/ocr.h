/*
 * ocr.h - text drawn in an image, read by tesseract (ocr = true only).
 */
#ifndef VIGIE_OCR_H
#define VIGIE_OCR_H

struct attach_ctx;

/*
 * ocr_grey - when the configuration turns OCR on, the text tesseract
 * reads in an 8-bit grey image (width x height bytes, the buffer qr.c or
 * pdf.c already decoded), added to the view as visible text under origin
 * where ("ocr:image1", "ocr:pdf:page1"). Bounded by ocr_max_images and
 * ocr_max_ms per message (going past either records an anomaly) and by
 * ocr_max_pixels (a larger image is read downscaled). With OCR off it
 * returns at once and tesseract is never touched. -1 only on memory
 * failure.
 */
int	ocr_grey(const struct attach_ctx *ctx, const unsigned char *grey,
	    unsigned width, unsigned height, const char *where);

/*
 * ocr_pool_free - release the tesseract engines kept for reuse (at exit;
 * registered with atexit() when the first one is initialised).
 */
void	ocr_pool_free(void);

#endif

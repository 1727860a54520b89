/*
 * qr.c - QR codes in images: libpng / libjpeg-turbo to grey levels, then zbar.
 *
 * "Scan this code with your phone" moves the lure's link out of the
 * mail's text, where filters look, into a picture (quishing). The image
 * libraries are the system's own (libpng, libjpeg-turbo): they report
 * the dimensions from the header, before any pixel is decoded, so an
 * image larger than max_image_pixels (a 20,000 x 20,000 PNG is 400
 * megapixels) is refused at no cost and recorded as
 * MV_ANOM_LIMIT_IMAGE_PIXELS. Pixels are decoded straight to 8-bit grey,
 * one byte each, which is the Y800 format zbar scans; only the QR code
 * symbology is enabled in zbar. The same grey pixels then go to ocr.c,
 * which reads the text drawn in them when the configuration asks for it.
 *
 * Both libraries report errors with longjmp: the jump targets are in
 * qr_png_pixels() and qr_jpeg_pixels(), which keep everything they
 * change after setjmp() in memory reached through a pointer, never in a
 * local variable, so nothing is clobbered.
 */
#include "qr.h"

#include <stdio.h>		/* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <png.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <zbar.h>

#include "attach.h"
#include "msgview.h"
#include "ocr.h"

#define QR_SIDE_MAX	65535u	/* a side larger than this is refused outright */

struct qr_image {
	const char *data;		/* the encoded image */
	size_t	 len, off;		/* its length, libpng's read offset */
	unsigned long max_pixels;	/* limits.max_image_pixels */
	unsigned width, height;
	unsigned char *grey;		/* width x height bytes, or NULL */
	unsigned char **rows;		/* libpng's row pointers into grey */
	int	 too_big;		/* refused on its dimensions */
};

/* qr_fits - dimensions within the limit, recorded in img */
static int
qr_fits(struct qr_image *img, unsigned long w, unsigned long h)
{
	if (w == 0 || h == 0 || w > QR_SIDE_MAX || h > QR_SIDE_MAX ||
	    w * h > img->max_pixels) {
		img->too_big = w > 0 && h > 0;
		return 0;
	}
	img->width = (unsigned)w;
	img->height = (unsigned)h;
	return 1;
}

/* qr_png_read - libpng's read callback over the memory image */
static void
qr_png_read(png_structp png, png_bytep out, png_size_t n)
{
	struct qr_image *img = png_get_io_ptr(png);

	if (n > img->len - img->off)
		png_error(png, "truncated");
	memcpy(out, img->data + img->off, n);
	img->off += n;
}

/* qr_png_error - libpng's fatal error: back to the setjmp, without printing */
static void
qr_png_error(png_structp png, png_const_charp msg)
{
	(void)msg;
	png_longjmp(png, 1);
}

/* qr_png_silent - libpng warnings are not ours to print */
static void
qr_png_silent(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* qr_png_pixels - decode a PNG in img to grey, when it fits; 0 or -1 (broken) */
static int
qr_png_pixels(png_structp png, png_infop info, struct qr_image *img)
{
	unsigned y;

	if (setjmp(png_jmpbuf(png)))
		return -1;
	png_set_read_fn(png, img, qr_png_read);
	png_set_user_limits(png, QR_SIDE_MAX, QR_SIDE_MAX);
	png_read_info(png, info);
	if (!qr_fits(img, png_get_image_width(png, info),
	    png_get_image_height(png, info)))
		return 0;
	png_set_strip_16(png);
	png_set_strip_alpha(png);
	png_set_palette_to_rgb(png);
	png_set_expand_gray_1_2_4_to_8(png);
	if (png_get_color_type(png, info) & PNG_COLOR_MASK_COLOR)
		png_set_rgb_to_gray_fixed(png, 1, -1, -1);
	(void)png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != img->width ||
	    (img->grey = malloc((size_t)img->width * img->height)) == NULL ||
	    (img->rows = calloc(img->height, sizeof(*img->rows))) == NULL)
		return -1;
	for (y = 0; y < img->height; y++)
		img->rows[y] = img->grey + (size_t)y * img->width;
	png_read_image(png, img->rows);
	return 0;
}

/* qr_png - a PNG to grey levels in img; -1 when broken */
static int
qr_png(struct qr_image *img)
{
	png_structp png;
	png_infop info = NULL;
	int r = -1;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, qr_png_error,
	    qr_png_silent);
	if (png != NULL && (info = png_create_info_struct(png)) != NULL)
		r = qr_png_pixels(png, info, img);
	if (png != NULL)
		png_destroy_read_struct(&png, info != NULL ? &info : NULL, NULL);
	free(img->rows);
	img->rows = NULL;
	return r;
}

struct qr_jpeg_err {
	struct jpeg_error_mgr mgr;
	jmp_buf jump;
};

/* qr_jpeg_fail - libjpeg's fatal error: back to the setjmp */
static void
qr_jpeg_fail(j_common_ptr j)
{
	longjmp(((struct qr_jpeg_err *)(void *)j->err)->jump, 1);
}

/* qr_jpeg_silent - libjpeg messages are not ours to print */
static void
qr_jpeg_silent(j_common_ptr j)
{
	(void)j;
}

/* qr_jpeg_pixels - decode a JPEG to grey when it fits; 0 or -1 (broken) */
static int
qr_jpeg_pixels(struct jpeg_decompress_struct *j, struct qr_jpeg_err *e,
    struct qr_image *img)
{
	JSAMPROW row;

	if (setjmp(e->jump))
		return -1;
	jpeg_create_decompress(j);
	jpeg_mem_src(j, (const unsigned char *)img->data,
	    (unsigned long)img->len);
	if (jpeg_read_header(j, TRUE) != JPEG_HEADER_OK)
		return -1;
	if (!qr_fits(img, j->image_width, j->image_height))
		return 0;
	j->out_color_space = JCS_GRAYSCALE;
	jpeg_start_decompress(j);
	if (j->output_width != img->width || j->output_height != img->height ||
	    j->output_components != 1 ||
	    (img->grey = malloc((size_t)img->width * img->height)) == NULL)
		return -1;
	while (j->output_scanline < j->output_height) {
		row = img->grey + (size_t)j->output_scanline * img->width;
		if (jpeg_read_scanlines(j, &row, 1) != 1)
			return -1;
	}
	jpeg_finish_decompress(j);
	return 0;
}

/* qr_jpeg - a JPEG to grey levels in img; -1 when broken */
static int
qr_jpeg(struct qr_image *img)
{
	struct jpeg_decompress_struct j;
	struct qr_jpeg_err e;
	int r;

	memset(&j, 0, sizeof(j));
	j.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = qr_jpeg_fail;
	e.mgr.output_message = qr_jpeg_silent;
	r = qr_jpeg_pixels(&j, &e, img);
	jpeg_destroy_decompress(&j);
	return r;
}

/* qr_symbols - what the QR codes found say, added under origin where */
static int
qr_symbols(const struct attach_ctx *ctx, zbar_image_t *zimg, const char *where)
{
	const zbar_symbol_t *s;
	const char *d;
	unsigned n;

	for (s = zbar_image_first_symbol(zimg); s != NULL;
	    s = zbar_symbol_next(s)) {
		if ((d = zbar_symbol_get_data(s)) == NULL ||
		    (n = zbar_symbol_get_data_length(s)) == 0)
			continue;
		if (strstr(d, "://") != NULL || strncmp(d, "www.", 4) == 0) {
			if (attach_link(ctx, where, d, n, MV_URL_QR) < 0)
				return -1;
		} else if (attach_text(ctx, where, d, n) < 0)
			return -1;
	}
	return 0;
}

/* qr_scan_grey - see qr.h */
int
qr_scan_grey(const struct attach_ctx *ctx, const unsigned char *grey,
    unsigned width, unsigned height, const char *where)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *zimg;
	int r = -1;

	if ((sc = zbar_image_scanner_create()) == NULL)
		return -1;
	if ((zimg = zbar_image_create()) == NULL) {
		zbar_image_scanner_destroy(sc);
		return -1;
	}
	zbar_image_scanner_set_config(sc, 0, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(zimg, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(zimg, width, height);
	zbar_image_set_data(zimg, grey, (unsigned long)width * height, NULL);
	if (zbar_scan_image(sc, zimg) >= 0)
		r = qr_symbols(ctx, zimg, where);
	else
		r = 0;
	zbar_image_destroy(zimg);
	zbar_image_scanner_destroy(sc);
	return r;
}

/* qr_decode - see qr.h */
int
qr_decode(const struct attach_ctx *ctx, const char *data, size_t len)
{
	struct msgview *mv = ctx->mv;
	struct qr_image img;
	char where[32];
	int r;

	memset(&img, 0, sizeof(img));
	img.data = data;
	img.len = len;
	img.max_pixels = mv->limits->max_image_pixels;
	mv->attach_images++;
	if (len >= 8 && memcmp(data, "\x89PNG\r\n\x1a\n", 8) == 0)
		r = qr_png(&img);
	else if (len >= 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0)
		r = qr_jpeg(&img);
	else
		r = -1;
	if (img.too_big)
		msgview_anomaly(mv, MV_ANOM_LIMIT_IMAGE_PIXELS);
	else if (r < 0)
		msgview_anomaly(mv, MV_ANOM_BAD_ATTACHMENT);
	snprintf(where, sizeof(where), "qr:image%u", mv->attach_images);
	r = img.grey != NULL && r == 0 ? qr_scan_grey(ctx, img.grey, img.width,
	    img.height, where) : 0;
	/* the same grey pixels, for the text drawn in the image */
	snprintf(where, sizeof(where), "ocr:image%u", mv->attach_images);
	if (img.grey != NULL && r == 0)
		r = ocr_grey(ctx, img.grey, img.width, img.height, where);
	free(img.grey);
	return r;
}

/*
 * fuzz_engine.c - libFuzzer target: one whole message through the
 * engine (mime, html, url, textnorm, rules, detectors, score) with the
 * shipped configuration, config/vigie.conf, loaded once. The raw bytes
 * arrive in up to three chunks cut at positions taken from the first
 * two input bytes (which stay part of the message, so that real
 * messages are good seeds), as the milter's body chunks would.
 *
 * The configuration is $VIGIE_FUZZ_CONF when set, else SRCDIR's (the
 * current directory's when SRCDIR is not defined at compile time).
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "buf.h"
#include "conf.h"
#include "engine.h"
#include "fuzz_common.h"
#include "msgview.h"
#include "verdict.h"

#ifndef SRCDIR
#define SRCDIR	"."
#endif

#define ENGINE_INPUT_MAX	(1024 * 1024)

/* fuzz_engine_conf - engine_init() and the shipped conf, once */
static const struct conf *
fuzz_engine_conf(void)
{
	static struct conf *conf;
	struct buf errors;
	const char *path;

	if (conf != NULL)
		return conf;
	if ((path = getenv("VIGIE_FUZZ_CONF")) == NULL)
		path = SRCDIR "/config/vigie.conf";
	fuzz_once(engine_init);
	buf_init(&errors);
	if ((conf = conf_load(path, &errors)) == NULL) {
		fprintf(stderr, "fuzz_engine: %s", buf_cstr(&errors));
		abort();
	}
	buf_free(&errors);
	return conf;
}

/* LLVMFuzzerTestOneInput - feed, judge and free one message */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct conf *conf = fuzz_engine_conf();
	struct engine_msg *m;
	struct verdict v;
	size_t cut1 = 0, cut2 = 0;

	if (size > ENGINE_INPUT_MAX)
		return 0;
	if (size >= 2) {
		cut1 = size * data[0] / 256;
		cut2 = cut1 + (size - cut1) * data[1] / 256;
	}
	if ((m = engine_msg_new(conf)) == NULL)
		return 0;
	if (engine_msg_client(m, "192.0.2.25") == 0 &&
	    engine_msg_sender(m, "bounce@sender.example") == 0 &&
	    engine_msg_recipient(m, "user@vigie.example") == 0 &&
	    engine_msg_raw(m, data, cut1) == 0 &&
	    engine_msg_raw(m, data + cut1, cut2 - cut1) == 0 &&
	    engine_msg_raw(m, data + cut2, size - cut2) == 0) {
		engine_msg_finish(m, &v);
		if (!v.error && (engine_msg_view(m) == NULL ||
		    !isfinite(v.score) || v.action > v.scored))
			abort();
	}
	engine_msg_free(m);
	return 0;
}

/*
 * fuzz_stdin.c - libFuzzer target: the stdin parser.
 *
 * The input is what a fencer would write on the shim's stdin. It goes
 * through options_read_stdin() (via fmemopen), request_finish() and
 * env_build(), the path every name=value line takes to a plugin's
 * environment. Errors are reported through log.c like in the shim.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "env.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char home[] = "HOME=/root", lang[] = "LANG=C.UTF-8",
	            preload[] = "LD_PRELOAD=/evil.so";
	static char *const caller_env[] = {home, lang, preload, NULL};
	struct request req;
	FILE *fp;

	/* fmemopen() refuses an empty buffer; empty stdin is /dev/null. */
	fp = size > 0 ? fmemopen((void *)data, size, "r")
	              : fopen("/dev/null", "r");
	if (fp == NULL)
		return 0;
	memset(&req, 0, sizeof(req));
	if (options_read_stdin(fp, &req) == 0 && request_finish(&req) == 0)
		env_free(env_build(caller_env, "fuzz", "/nonexistent/helpers",
		                   &req.all));
	request_free(&req);
	fclose(fp);
	return 0;
}

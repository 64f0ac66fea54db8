/*
 * fuzz_argv.c - libFuzzer target: the command-line parser.
 *
 * The input is split at NUL bytes into argv[1..] (at most MAX_ARGS
 * words; argv[0] is fence_hbwrap), then parsed with options_parse_argv(),
 * checked with request_finish() and turned into a plugin environment
 * with env_build().
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "options.h"

#define MAX_ARGS 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char home[] = "HOME=/root", tz[] = "TZ=UTC";
	static char *const caller_env[] = {home, tz, NULL};
	static char argv0[] = "fence_hbwrap";
	char *copy = malloc(size + 1), *argv[MAX_ARGS + 2];
	int argc = 0;
	struct request req;

	if (copy == NULL)
		return 0;
	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[argc++] = argv0;
	for (size_t at = 0; at < size && argc <= MAX_ARGS;) {
		argv[argc++] = copy + at;
		at += strlen(copy + at) + 1;
	}
	argv[argc] = NULL;

	memset(&req, 0, sizeof(req));
	if (options_parse_argv(argc, argv, &req) == 0 &&
	    request_finish(&req) == 0)
		env_free(env_build(caller_env, "fuzz", "/nonexistent/helpers",
		                   &req.all));
	request_free(&req);
	free(copy);
	return 0;
}

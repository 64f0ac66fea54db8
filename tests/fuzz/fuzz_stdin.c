/*
 * fuzz_stdin.c - libFuzzer target: the stdin parser and the allow-list.
 *
 * The input is what a plugin's getconfignames printed (its first line)
 * and what a fencer would write on the shim's stdin (the rest). The rest
 * goes through options_read_stdin() (via fmemopen), request_finish() and
 * env_build_declared(), the path every name=value line takes to a
 * plugin's environment; the first line is the plugin's declared names.
 * Errors are reported through log.c like in the shim. The property
 * checked: no request parameter reaches the environment unless the
 * plugin declares it (nodename excepted), and none on the deny-list.
 */
#define _GNU_SOURCE
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "declared.h"
#include "env.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless every entry of ENVP came from CALLER, the shim, or a
 * request parameter that D declares. */
static void
check_allowed(char **envp, const struct declared *d)
{
	for (char **e = envp; e && *e; e++) {
		size_t n = strcspn(*e, "=");
		char *name = strndup(*e, n);
		int ok = !strcmp(name, "HOME") || !strcmp(name, "LANG") ||
		         !strcmp(name, "PATH") || !strcmp(name, "HA_LOGTAG") ||
		         !strcmp(name, "nodename");

		if (!ok && (!declared_has(d, name) || env_name_refused(name)))
			abort();
		free(name);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char home[] = "HOME=/root", lang[] = "LANG=C.UTF-8",
	            preload[] = "LD_PRELOAD=/evil.so";
	static char *const caller_env[] = {home, lang, preload, NULL};
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head = nl ? (size_t)(nl - data) + 1 : 0;
	struct declared d = {0};
	struct request req;
	char *words = strndup((const char *)data, head);
	char **envp;
	FILE *fp;

	declared_add_words(&d, words);
	free(words);
	data += head;
	size -= head;
	/* fmemopen() refuses an empty buffer; empty stdin is /dev/null. */
	fp = size > 0 ? fmemopen((void *)data, size, "r")
	              : fopen("/dev/null", "r");
	if (fp != NULL) {
		memset(&req, 0, sizeof(req));
		if (options_read_stdin(fp, &req) == 0 &&
		    request_finish(&req) == 0) {
			envp = env_build_declared(caller_env, "fuzz",
			                          "/nonexistent/helpers",
			                          &req.all, &d, req.target);
			check_allowed(envp, &d);
			env_free(envp);
		}
		request_free(&req);
		fclose(fp);
	}
	declared_free(&d);
	return 0;
}

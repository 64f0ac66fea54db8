/*
 * declared.c - the parameter names a plugin declares (the allow-list of
 * its environment), from the metadata cache or from the plugin itself.
 */
#define _GNU_SOURCE
#include "declared.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "metacache.h"
#include "metadata.h"
#include "options.h"
#include "run.h"
#include "xalloc.h"

/* The cache entry's agent name: apart from every agent's metadata. */
#define CACHE_AGENT "declared-names"

int
declared_has(const struct declared *d, const char *name)
{
	for (size_t i = 0; i < d->n; i++)
		if (strcmp(d->names[i], name) == 0)
			return 1;
	return 0;
}

static void
add(struct declared *d, const char *name, size_t len)
{
	char *s = xstrndup(name, len);

	if (!name_is_valid(s) || declared_has(d, s)) {
		free(s);
		return;
	}
	d->names = xrealloc(d->names, (d->n + 1) * sizeof(*d->names));
	d->names[d->n++] = s;
}

void
declared_add_words(struct declared *d, const char *words)
{
	const char *sep = " \t\r\n";

	for (const char *w = words + strspn(words, sep); *w;) {
		size_t len = strcspn(w, sep);

		add(d, w, len);
		w += len;
		w += strspn(w, sep);
	}
}

void
declared_add_info(struct declared *d, const struct plugin_info *info)
{
	for (size_t i = 0; i < info->nparams; i++)
		add(d, info->params[i].name, strlen(info->params[i].name));
}

/* Non-zero if C never got to run the plugin's code: no execve, or a
 * stop asked of the shim before it could answer. */
static int
not_run(const struct run_call *c)
{
	return c->end == RUN_EXEC_FAILED || c->end == RUN_INTERRUPTED;
}

/*
 * Ask the plugin, and read its answers with the metadata's own readers
 * (the same hardening and recovery, the same rule for a getconfignames
 * output that is no list of names), so that it declares exactly the
 * parameters its metadata offers. Returns 0 if both calls exited 0 and
 * were read without a flaw (an answer worth keeping), else -1 (what
 * could be read is in D all the same), or -2 after a one-line error if
 * the plugin could not be run at all.
 */
static int
ask_plugin(const char *name, const char *path, char *const envp[], long timeout,
           struct declared *d)
{
	struct run_call c[2];
	struct plugin_info info;
	char *why = NULL;
	int rc = 0;

	memset(c, 0, sizeof(c));
	memset(&info, 0, sizeof(info));
	c[0].op = "getinfo-xml";
	c[1].op = "getconfignames";
	if (run_calls(path, envp, c, 2, timeout) < 0)
		return -2;
	if (not_run(&c[0]) && not_run(&c[1])) {
		char *how = run_call_describe(&c[0], timeout);

		log_error("plugin %s: %s %s", name, c[0].op, how);
		free(how);
		run_call_free(&c[0]);
		run_call_free(&c[1]);
		return -2;
	}
	for (int i = 0; i < 2; i++)
		if (!run_call_ok(&c[i])) {
			char *how = run_call_describe(&c[i], timeout);

			log_verbose("plugin %s: %s %s", name, c[i].op, how);
			free(how);
			rc = -1;
		}
	if (run_call_ok(&c[0]) &&
	    meta_parse_params(c[0].out.data, c[0].out.len, &info, &why) != 0) {
		log_verbose("plugin %s: getinfo-xml: %s", name, why);
		rc = -1;
	}
	if (run_call_ok(&c[1]) && c[1].out.data != NULL)
		meta_apply_confignames(&info, c[1].out.data);
	if (info.nproblems > 0)
		rc = -1;
	declared_add_info(d, &info);
	free(why);
	meta_info_free(&info);
	run_call_free(&c[0]);
	run_call_free(&c[1]);
	return rc;
}

int
declared_get(const char *name, const char *path, char *const envp[],
             long timeout, struct declared *d)
{
	char *key = metacache_key(CACHE_AGENT, path, 0), *text, *list;
	size_t len;
	int rc;

	memset(d, 0, sizeof(*d));
	if (key != NULL && metacache_get(key, &text, &len) == 0) {
		declared_add_words(d, text);
		free(text);
		free(key);
		return 0;
	}
	rc = ask_plugin(name, path, envp, timeout, d);
	if (rc == 0 && key != NULL) {
		text = xstrdup("");
		for (size_t i = 0; i < d->n; i++) {
			list = xasprintf("%s%s\n", text, d->names[i]);
			free(text);
			text = list;
		}
		metacache_put(key, text, strlen(text));
		free(text);
	}
	free(key);
	return rc == -2 ? -1 : 0;
}

char *
declared_list(const struct declared *d)
{
	char *s = xstrdup(d->n ? "" : "none"), *t;

	for (size_t i = 0; i < d->n; i++) {
		t = xasprintf("%s%s%s", s, i ? ", " : "", d->names[i]);
		free(s);
		s = t;
	}
	return s;
}

void
declared_free(struct declared *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	memset(d, 0, sizeof(*d));
}

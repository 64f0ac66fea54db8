/*
 * metadata.c - describing a plugin: its informational operations run,
 * and what to make of each answer.
 *
 * The policy, in order: the parameters come from getinfo-xml (read with
 * libxml2's recovery when ill-formed); when it is unusable (failed,
 * timed out, printed nothing, refused), from the names getconfignames
 * prints; when neither names anything, the agent offers the shim's own
 * parameters only. getconfignames never makes a parameter required: only
 * required="1" in the plugin's XML does. Every flaw found on the way is
 * one line in plugin_info.problems.
 */
#define _GNU_SOURCE
#include "metadata.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

/* A getconfignames word longer than this is not a parameter name. */
#define NAME_MAX_LEN 128

const char *const meta_ops[MOP_COUNT] = {
        "getinfo-xml",    "getinfo-devid",  "getinfo-devdescr",
        "getinfo-devurl", "getconfignames", "getinfo-devname",
};

long
meta_timeout(long plugin_timeout)
{
	return plugin_timeout < META_TIMEOUT ? plugin_timeout : META_TIMEOUT;
}

char *
meta_call_describe(const struct run_call *c, long timeout)
{
	if (c->end == RUN_TIMED_OUT)
		return xasprintf(
		        "timed out after %ld s (plugin_timeout, at most "
		        "%d s for what a plugin says of itself) and "
		        "was killed",
		        timeout, META_TIMEOUT);
	return run_call_describe(c, timeout);
}

void
meta_problem(struct plugin_info *info, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	info->problems = xrealloc(info->problems,
	                          (info->nproblems + 1) * sizeof(char *));
	info->problems[info->nproblems++] = line;
}

struct meta_param *
meta_param_find(const struct plugin_info *info, const char *name)
{
	for (size_t i = 0; i < info->nparams; i++)
		if (strcmp(info->params[i].name, name) == 0)
			return &info->params[i];
	return NULL;
}

struct meta_param *
meta_param_add(struct plugin_info *info, const char *name)
{
	struct meta_param *p;

	info->params = xrealloc(info->params, (info->nparams + 1) * sizeof(*p));
	p = &info->params[info->nparams++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	return p;
}

static void
param_free(struct meta_param *p)
{
	free(p->name);
	free(p->def);
	for (char **c = p->choices; c && *c; c++)
		free(*c);
	free(p->choices);
	for (size_t i = 0; i < p->ndescs; i++) {
		free(p->descs[i].lang);
		free(p->descs[i].text);
	}
	free(p->descs);
}

void
meta_info_free(struct plugin_info *info)
{
	for (size_t i = 0; i < info->nparams; i++)
		param_free(&info->params[i]);
	free(info->params);
	for (size_t i = 0; i < info->nproblems; i++)
		free(info->problems[i]);
	free(info->problems);
	free(info->name);
	free(info->devid);
	free(info->devdescr);
	free(info->devurl);
	memset(info, 0, sizeof(*info));
}

void
meta_warn_problems(const struct plugin_info *info)
{
	for (size_t i = 0; i < info->nproblems; i++)
		log_warn("plugin %s: %s", info->name, info->problems[i]);
}

/* ---- getconfignames --------------------------------------------------- */

/* Non-zero if WORD is two or more of the names getinfo-xml describes,
 * run together ("ipaddrloginpassword"): a plugin that forgot the
 * separators. */
static int
names_run_together(const struct plugin_info *info, const char *word)
{
	size_t len = strlen(word);
	char ok[NAME_MAX_LEN + 1];

	if (meta_param_find(info, word) != NULL || len > NAME_MAX_LEN)
		return 0;
	memset(ok, 0, sizeof(ok));
	ok[0] = 1;
	for (size_t at = 0; at < len; at++) {
		if (!ok[at])
			continue;
		for (size_t i = 0; i < info->nparams; i++) {
			const struct meta_param *p = &info->params[i];
			size_t n = strlen(p->name);

			if (p->described && n <= len - at &&
			    strncmp(word + at, p->name, n) == 0)
				ok[at + n] = 1;
		}
	}
	return ok[len];
}

/* Why NAMES (getconfignames output) is not a list of parameter names,
 * or NULL if it is. Points into a static string or sets *WORD to the
 * offending word (newly allocated). */
static const char *
not_a_name_list(const struct plugin_info *info, const char *names, char **word)
{
	char *copy = xstrdup(names), *save = NULL;
	const char *why = NULL;

	*word = NULL;
	for (char *t = strtok_r(copy, " \t\r\n", &save); t && !why;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		if (strlen(t) > NAME_MAX_LEN || !name_is_valid(t))
			why = "is not a parameter name";
		else if (names_run_together(info, t))
			why = "is parameter names run together without a "
			      "separator";
		if (why != NULL) {
			*word = xstrndup(t, strnlen(t, 64));
			meta_clean_text(*word);
		}
	}
	free(copy);
	return why;
}

void
meta_apply_confignames(struct plugin_info *info, const char *names)
{
	char *copy, *save = NULL, *word;
	const char *why = not_a_name_list(info, names, &word);

	if (why != NULL) {
		meta_problem(info,
		             "getconfignames output is not a list of parameter "
		             "names ('%s' %s): ignored",
		             word, why);
		free(word);
		return;
	}
	copy = xstrdup(names);
	for (char *t = strtok_r(copy, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		struct meta_param *p = meta_param_find(info, t);

		if (p == NULL) {
			p = meta_param_add(info, t);
			p->type = OT_STRING;
			p->shim_option = option_is_shim_only(t);
			p->descs = xcalloc(1, sizeof(*p->descs));
			p->descs[0].lang = xstrdup("en");
			p->descs[0].text = xasprintf(
			        "Parameter %s, named by the plugin's "
			        "getconfignames but not described by it",
			        t);
			p->ndescs = 1;
		}
		p->listed = 1;
	}
	free(copy);
}

/* ---- from the calls' answers ----------------------------------------- */

/* What a call printed, as one line of text that XML can hold. */
static char *
call_text(const struct run_call *c)
{
	char *s = xstrdup(c->out.data ? c->out.data : "");

	meta_clean_text(s);
	meta_normalise_space(s);
	return s;
}

/* How call C failed, with the start of its stderr. Caller frees. */
static char *
call_failure(const struct run_call *c, long timeout)
{
	char *how = meta_call_describe(c, timeout), *e, *s;

	if (c->err.len == 0)
		return how;
	e = xstrndup(c->err.data, c->err.len);
	meta_normalise_space(e);
	meta_clean_text(e);
	s = xasprintf("%s: %.200s", how, e);
	free(e);
	free(how);
	return s;
}

/* Read getinfo-xml's answer X into INFO. Returns NULL if its parameters
 * were usable as they are, else what was wrong (caller frees); sets
 * INFO->xml_usable. */
static char *
describe_from_xml(const struct run_call *x, long timeout,
                  struct plugin_info *info)
{
	char *why = NULL, *s;
	int rc;

	if (!run_call_ok(x)) {
		char *how = call_failure(x, timeout);

		s = xasprintf("getinfo-xml %s", how);
		free(how);
		return s;
	}
	rc = meta_parse_params(x->out.data, x->out.len, info, &why);
	info->xml_usable = rc >= 0;
	if (rc == 0)
		return NULL;
	s = xasprintf("getinfo-xml: %s", why);
	free(why);
	return s;
}

/* One of the descriptive texts (getinfo-devid and the like): "" when it
 * was not asked for; a failure is a problem, never fatal. */
static char *
optional_text(const struct run_call *calls, unsigned ops, enum meta_op op,
              long timeout, struct plugin_info *info)
{
	char *how;

	if (!(ops & MOP_BIT(op)))
		return xstrdup("");
	if (run_call_ok(&calls[op]))
		return call_text(&calls[op]);
	how = call_failure(&calls[op], timeout);
	meta_problem(info, "%s %s: the metadata does without it", meta_ops[op],
	             how);
	free(how);
	return xstrdup("");
}

/* Move INFO's problem FROM to position TO (<= FROM), the others kept
 * in order. */
static void
problem_move(struct plugin_info *info, size_t from, size_t to)
{
	char *p = info->problems[from];

	memmove(&info->problems[to + 1], &info->problems[to],
	        (from - to) * sizeof(char *));
	info->problems[to] = p;
}

/* Non-zero if INFO offers a parameter to the plugin (not a shim option). */
static int
has_plugin_params(const struct plugin_info *info)
{
	for (size_t i = 0; i < info->nparams; i++)
		if (!info->params[i].shim_option)
			return 1;
	return 0;
}

void
meta_from_calls(const char *name, const struct run_call *calls, unsigned ops,
                long timeout, struct plugin_info *info)
{
	const struct run_call *names = &calls[MOP_CONFIGNAMES];
	char *xml_flaw;
	size_t first;

	memset(info, 0, sizeof(*info));
	info->name = xstrdup(name);
	xml_flaw = describe_from_xml(&calls[MOP_XML], timeout, info);
	first = info->nproblems;
	if ((ops & MOP_BIT(MOP_CONFIGNAMES)) && run_call_ok(names))
		meta_apply_confignames(info,
		                       names->out.data ? names->out.data : "");
	else if ((ops & MOP_BIT(MOP_CONFIGNAMES)) && !info->xml_usable) {
		char *how = call_failure(names, timeout);

		meta_problem(info, "getconfignames %s", how);
		free(how);
	}
	if (xml_flaw != NULL && info->xml_usable)
		meta_problem(info, "%s: read with libxml2's recovery",
		             xml_flaw);
	else if (xml_flaw != NULL)
		meta_problem(info, "%s: %s", xml_flaw,
		             has_plugin_params(info)
		                     ? "the parameters are the names "
		                       "getconfignames prints"
		                     : "the metadata offers the shim's own "
		                       "parameters only");
	if (xml_flaw != NULL) /* getinfo-xml's line before getconfignames' */
		problem_move(info, info->nproblems - 1, first);
	free(xml_flaw);
	info->devid = optional_text(calls, ops, MOP_DEVID, timeout, info);
	info->devdescr = optional_text(calls, ops, MOP_DEVDESCR, timeout, info);
	info->devurl = optional_text(calls, ops, MOP_DEVURL, timeout, info);
}

/* Why the answers in CALLS (the ops OPS) show that the plugin cannot be
 * run at all, or NULL. Caller frees. */
static char *
not_runnable(const struct run_call *calls, unsigned ops, long timeout)
{
	for (size_t i = 0; i < MOP_COUNT; i++)
		if ((ops & MOP_BIT(i)) && calls[i].end == RUN_INTERRUPTED) {
			char *how = run_call_describe(&calls[i], timeout);
			char *s = xasprintf("%s %s", meta_ops[i], how);

			free(how);
			return s;
		}
	if (calls[MOP_XML].end == RUN_EXEC_FAILED) {
		char *how = run_call_describe(&calls[MOP_XML], timeout);
		char *s = xasprintf("getinfo-xml %s", how);

		free(how);
		return s;
	}
	return NULL;
}

int
meta_collect(const char *name, const char *path, char *const envp[],
             long timeout, unsigned ops, struct plugin_info *info)
{
	struct run_call calls[MOP_COUNT], run[MOP_COUNT];
	long t = meta_timeout(timeout);
	size_t n = 0;
	char *why;
	int rc = 0;

	memset(calls, 0, sizeof(calls));
	memset(run, 0, sizeof(run));
	memset(info, 0, sizeof(*info));
	ops |= MOP_BIT(MOP_XML);
	for (size_t i = 0; i < MOP_COUNT; i++)
		if (ops & MOP_BIT(i))
			run[n++].op = meta_ops[i];
	if (run_calls(path, envp, run, n, t) < 0)
		rc = -1;
	n = 0;
	for (size_t i = 0; i < MOP_COUNT; i++)
		if (ops & MOP_BIT(i))
			calls[i] = run[n++]; /* the outputs move, not copied */
	if (rc == 0 && (why = not_runnable(calls, ops, t)) != NULL) {
		log_error("plugin %s: %s", name, why);
		free(why);
		rc = -1;
	}
	if (rc == 0)
		meta_from_calls(name, calls, ops, t, info);
	for (size_t i = 0; i < MOP_COUNT; i++)
		run_call_free(&calls[i]);
	return rc;
}

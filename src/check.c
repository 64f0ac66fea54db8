/*
 * check.c - fence_hbwrap --check PLUGIN: run every informational
 * operation of a plugin and say, line by line, what will work through
 * the shim and what will not.
 *
 * Lines start with "ok:", "info:", "warning:" or "problem:"; the summary
 * counts every warning and problem printed. The verdict answers "will
 * fencing work": a problem is what stops the plugin from running or its
 * fencing from being configured; a flaw that only makes the metadata
 * poorer (where -o metadata makes do, and warns) is a warning that says
 * what it costs.
 */
#define _GNU_SOURCE
#include "admin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml.h"

#include "actions.h"
#include "env.h"
#include "log.h"
#include "metadata.h"
#include "plugin.h"
#include "run.h"
#include "xalloc.h"

extern char **environ;

#ifndef FENCE_RNG
#define FENCE_RNG "/usr/share/cluster/relaxng/metadata.rng"
#endif

/* What --check has said so far. */
struct tally {
	int problems, warnings;
};

/* Print one finding: KIND is "ok", "info", "warning" or "problem"; the
 * last two are counted in T. */
static void HBWRAP_PRINTF(3, 4)
        say(struct tally *t, const char *kind, const char *fmt, ...)
{
	va_list ap;

	printf("  %s:%*s", kind, (int)(8 - strlen(kind)), "");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!strcmp(kind, "warning"))
		t->warnings++;
	else if (!strcmp(kind, "problem"))
		t->problems++;
}

/* Validate metadata TEXT against fence-agents' schema, if installed.
 * Returns 1 valid, 0 invalid, -1 schema not available. */
static int
schema_valid(const char *text, size_t len)
{
	xmlRelaxNGParserCtxtPtr pc;
	xmlRelaxNGPtr schema;
	xmlRelaxNGValidCtxtPtr vc;
	xmlDocPtr doc;
	int valid;

	if (access(FENCE_RNG, R_OK) != 0)
		return -1;
	pc = xmlRelaxNGNewParserCtxt(FENCE_RNG);
	schema = pc ? xmlRelaxNGParse(pc) : NULL;
	doc = xmlReadMemory(text, (int)len, "metadata", "UTF-8",
	                    XML_PARSE_NONET);
	vc = schema ? xmlRelaxNGNewValidCtxt(schema) : NULL;
	if (vc != NULL)
		xmlRelaxNGSetValidErrors(vc, NULL, NULL, NULL);
	valid = (vc && doc) ? xmlRelaxNGValidateDoc(vc, doc) == 0 : 0;
	if (vc)
		xmlRelaxNGFreeValidCtxt(vc);
	if (schema)
		xmlRelaxNGFree(schema);
	if (pc)
		xmlRelaxNGFreeParserCtxt(pc);
	if (doc)
		xmlFreeDoc(doc);
	return valid;
}

/*
 * The first line of CALL's stderr that tells of a failed ha_log.sh (our
 * own complaints, or a shell's "ha_log.sh: not found"), else NULL. The
 * lines our ha_log.sh writes for a plugin start with its HA_LOGTAG,
 * "external/NAME[", and are the plugin's messages, not failures.
 * Returns a pointer into the call's stderr, or NULL.
 */
static const char *
halog_failure(const struct run_call *c, const char *name)
{
	char *tag = xasprintf("external/%s[", name);
	const char *line = c->err.data, *found = NULL;

	while (line != NULL && line < c->err.data + c->err.len && !found) {
		const char *nl = memchr(
		        line, '\n', (size_t)(c->err.data + c->err.len - line));
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (memmem(line, n, "ha_log.sh:", 10) != NULL &&
		    strncmp(line, tag, strlen(tag)) != 0)
			found = line;
		line = nl ? nl + 1 : NULL;
	}
	free(tag);
	return found;
}

/* Print the line of a call's stderr at LINE (its first line when NULL),
 * if any, indented, with secrets masked. */
static void
show_stderr(const struct run_call *c, const char *line)
{
	size_t len, off;
	char *m, *nl;

	if (c->err.len == 0)
		return;
	off = line ? (size_t)(line - c->err.data) : 0;
	m = log_mask_copy(c->err.data + off, c->err.len - off, &len);
	if ((nl = strchr(m, '\n')) != NULL)
		*nl = '\0';
	printf("           stderr: %s\n", m);
	free(m);
}

/*
 * Say how each call ended. Failures of the operations the metadata is
 * made from are judged by meta_from_calls() (INFO's problems); the rest
 * are said here. XML_USABLE: getinfo-xml gave parameters.
 */
static void
check_calls(const struct run_call *calls, const char *name, long timeout,
            int xml_usable, struct tally *t)
{
	for (size_t i = 0; i < MOP_COUNT; i++) {
		const struct run_call *c = &calls[i];
		const char *ha_log = halog_failure(c, name);
		int judged = i != MOP_DEVNAME &&
		             (i != MOP_CONFIGNAMES || !xml_usable);

		if (run_call_ok(c) && c->out.len > 0) {
			say(t, "ok", "%s answered (%zu bytes)", c->op,
			    c->out.len);
		} else if (run_call_ok(c) && i != MOP_XML) {
			say(t, "warning", "%s printed nothing", c->op);
		} else if (!run_call_ok(c) && !judged) {
			char *how = meta_call_describe(c, timeout);

			say(t, "warning", "%s %s", c->op, how);
			free(how);
		}
		if (ha_log != NULL)
			say(t, "problem",
			    "%s: the plugin's logging through ha_log.sh failed",
			    c->op);
		show_stderr(c, ha_log);
	}
}

/* The shim options that are also the names of a plugin's parameters and
 * that the shim hands to the plugin as the target. */
static int
is_target_option(const char *name)
{
	return !strcmp(name, "port") || !strcmp(name, "plug");
}

/*
 * Say what becomes of each parameter the plugin describes that the shim
 * treats specially: a shim option's name, a name the shim never passes
 * to a plugin, a parameter without a description.
 */
static void
check_param_names(const struct plugin_info *info, struct tally *t)
{
	for (size_t i = 0; i < info->nparams; i++) {
		const struct meta_param *p = &info->params[i];
		const struct option_spec *o = option_find(p->name);
		const char *why = env_name_refused(p->name);

		if (p->described && p->ndescs == 0)
			say(t, "warning", "parameter %s has no description",
			    p->name);
		if (p->shim_option && is_target_option(p->name))
			say(t, "info",
			    "parameter %s gets the target (the node to act on) "
			    "as its value, as the shim's %s option",
			    p->name, p->name);
		else if (p->shim_option && (o->flags & OF_CLI_ONLY))
			say(t, p->required ? "problem" : "warning",
			    "parameter %s can never be passed to the plugin: "
			    "it is a command-line option of the shim",
			    p->name);
		else if (p->shim_option)
			say(t, "warning",
			    "parameter %s is also the shim's own option (%s): "
			    "the plugin gets the value given, and the shim "
			    "acts on it too",
			    p->name, o->desc);
		else if (why != NULL)
			say(t, p->required ? "problem" : "warning",
			    "parameter %s can never be passed to the plugin: "
			    "%s",
			    p->name, why);
	}
}

/* Names getconfignames lists that the XML does not mark required: the
 * metadata does not require them (as cluster-glue never did). */
static void
check_listed_names(const struct plugin_info *info, struct tally *t)
{
	char *list = NULL;

	for (size_t i = 0; i < info->nparams; i++) {
		const struct meta_param *p = &info->params[i];
		char *m;

		if (!p->listed || p->required || p->shim_option)
			continue;
		m = xasprintf("%s%s%s", list ? list : "", list ? " " : "",
		              p->name);
		free(list);
		list = m;
	}
	if (list != NULL)
		say(t, "info",
		    "getconfignames names %s; the XML does not mark %s "
		    "required, so neither does the metadata (validate-all "
		    "warns when one is not given)",
		    list, strchr(list, ' ') ? "them" : "it");
	free(list);
}

/* What a flaw of the plugin's description (one of the metadata's
 * problems, PROBLEM) costs, since fencing does without it. */
static const char *
flaw_cost(const char *problem)
{
	if (strncmp(problem, "getinfo-xml", 11) == 0)
		return "fencing works; pcs cannot check required parameters "
		       "nor show their descriptions";
	if (strncmp(problem, "getconfignames", 14) == 0)
		return "fencing works; validate-all cannot name the "
		       "parameters left unset";
	return "fencing works; the metadata describes the device less";
}

/* What the plugin's description comes to: its flaws, its parameters, and
 * the metadata written from it, validated. */
static void
check_description(const struct plugin_info *info, struct tally *t)
{
	char *text;
	size_t len;

	for (size_t i = 0; i < info->nproblems; i++) {
		const char *p = info->problems[i];

		/* Not cached, so every fence would wait for it again. */
		if (strstr(p, "timed out") != NULL)
			say(t, "problem",
			    "%s (every fence action waits for it)", p);
		else
			say(t, "warning", "%s (%s)", p, flaw_cost(p));
	}
	if (info->xml_usable)
		say(t, "ok", "getinfo-xml describes %zu parameter%s",
		    info->nparams, info->nparams == 1 ? "" : "s");
	check_param_names(info, t);
	check_listed_names(info, t);
	if (meta_write(GENERIC_NAME, info, 1, 1, &text, &len) != 0)
		return;
	switch (schema_valid(text, len)) {
	case 1:
		say(t, "ok", "the metadata validates against %s", FENCE_RNG);
		break;
	case 0:
		say(t, "problem", "the metadata does not validate against %s",
		    FENCE_RNG);
		break;
	}
	free(text);
}

/* The file checks; NULL after saying why PLUGIN cannot be used, else its
 * path (caller frees). */
static char *
check_file(const char *name, struct tally *t)
{
	const char *problem = plugin_name_problem(name);
	char *path, *why;

	if (problem != NULL) {
		say(t, "problem", "'%s' is not a plugin name: %s", name,
		    problem);
		return NULL;
	}
	if ((why = plugin_check_file(plugin_dir(), name, &path)) != NULL) {
		say(t, "problem", "%s", why);
		free(why);
		return NULL;
	}
	say(t, "ok",
	    "%s is a regular executable file, not writable by group or others",
	    path);
	return path;
}

/* The last line: the verdict, with every warning and problem counted.
 * Returns the exit code. */
static int
verdict(const char *name, const struct tally *t)
{
	if (t->problems == 0) {
		printf("external/%s will work through fence_hbwrap (%d "
		       "warning%s)\n",
		       name, t->warnings, t->warnings == 1 ? "" : "s");
		return EXIT_OK;
	}
	printf("external/%s will NOT work through fence_hbwrap: %d problem%s, "
	       "%d warning%s\n",
	       name, t->problems, t->problems == 1 ? "" : "s", t->warnings,
	       t->warnings == 1 ? "" : "s");
	return EXIT_FAIL;
}

int
admin_check(const struct request *req, const char *plugin)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;
	struct tally t = {0, 0};
	const char *name = plugin_bare_name(plugin);
	long timeout = meta_timeout(req->plugin_timeout);
	char *path, **envp;
	int rc;

	printf("checking Heartbeat plugin external/%s in %s\n", name,
	       plugin_dir());
	if ((path = check_file(name, &t)) == NULL)
		return verdict(name, &t);
	envp = env_build(environ, name, helper_dir(), &req->all);
	if (envp == NULL) {
		free(path);
		return EXIT_FAIL;
	}
	memset(calls, 0, sizeof(calls));
	for (size_t i = 0; i < MOP_COUNT; i++)
		calls[i].op = meta_ops[i];
	rc = run_calls(path, envp, calls, MOP_COUNT, timeout);
	free(path);
	env_free(envp);
	if (rc < 0)
		return EXIT_FAIL;
	for (size_t i = 0; i < MOP_COUNT; i++)
		if (calls[i].end == RUN_EXEC_FAILED) {
			char *how = run_call_describe(&calls[i], timeout);

			say(&t, "problem", "the plugin cannot be run: %s %s",
			    calls[i].op, how);
			free(how);
			break;
		}
	meta_from_calls(name, calls, MOPS_ALL, timeout, &info);
	check_calls(calls, name, timeout, info.xml_usable, &t);
	check_description(&info, &t);
	meta_info_free(&info);
	for (size_t i = 0; i < MOP_COUNT; i++)
		run_call_free(&calls[i]);
	return verdict(name, &t);
}

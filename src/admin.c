/*
 * admin.c - --list-plugins, --check and --link: the commands that tell
 * an administrator whether a Heartbeat plugin will work, and wire it up.
 */
#define _GNU_SOURCE
#include "admin.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int
admin_list_plugins(void)
{
	size_t n;
	struct plugin_entry *list = plugin_list(&n);

	if (list == NULL) {
		log_error("cannot read the plugin directory %s: %s",
		          plugin_dir(), strerror(errno));
		return EXIT_FAIL;
	}
	printf("plugins in %s:\n", plugin_dir());
	for (size_t i = 0; i < n; i++) {
		if (list[i].why == NULL)
			printf("%-24s usable\n", list[i].name);
		else
			printf("%-24s unusable: %s\n", list[i].name,
			       list[i].why);
	}
	plugin_list_free(list, n);
	return EXIT_OK;
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
 * Say what becomes of each parameter the plugin describes that the shim
 * can never pass to it. Returns the number of problems (required ones)
 * and adds the others to *WARNINGS.
 */
static int
check_param_names(const struct plugin_info *info, int *warnings)
{
	int problems = 0;

	for (size_t i = 0; i < info->nparams; i++) {
		const struct meta_param *p = &info->params[i];
		const char *why = env_name_refused(p->name);

		if (p->ndescs == 0) {
			printf("  warning: parameter %s has no description\n",
			       p->name);
			(*warnings)++;
		}
		if (why == NULL)
			continue;
		printf("  %s parameter %s can never be passed to the plugin: "
		       "%s\n",
		       p->required ? "problem:" : "warning:", p->name, why);
		p->required ? problems++ : (*warnings)++;
	}
	return problems;
}

int
admin_check(const struct request *req, const char *plugin)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;
	char *path, *why, **envp;
	const char *problem, *name = plugin_bare_name(plugin);
	int problems = 0, warnings = 0;

	printf("checking Heartbeat plugin external/%s in %s\n", name,
	       plugin_dir());
	if ((problem = plugin_name_problem(name)) != NULL) {
		printf("  problem: '%s' is not a plugin name: %s\n", name,
		       problem);
		return EXIT_FAIL;
	}
	if ((why = plugin_check_file(plugin_dir(), name, &path)) != NULL) {
		printf("  problem: %s\n", why);
		printf("external/%s will NOT work through fence_hbwrap\n",
		       name);
		free(why);
		return EXIT_FAIL;
	}
	printf("  ok:      %s is a regular executable file, not writable by "
	       "group or others\n",
	       path);
	envp = env_build(environ, name, helper_dir(), &req->all);
	if (envp == NULL) {
		free(path);
		return EXIT_FAIL;
	}
	memset(calls, 0, sizeof(calls));
	for (size_t i = 0; i < MOP_COUNT; i++)
		calls[i].op = meta_ops[i];
	if (run_calls(path, envp, calls, MOP_COUNT, req->plugin_timeout) < 0) {
		free(path);
		env_free(envp);
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < MOP_COUNT; i++) {
		const struct run_call *c = &calls[i];
		char *how = run_call_describe(c, req->plugin_timeout);
		const char *ha_log = halog_failure(c, name);

		if (run_call_ok(c) && c->out.len > 0) {
			printf("  ok:      %s answered (%zu bytes)\n", c->op,
			       c->out.len);
		} else if (run_call_ok(c)) {
			printf("  %s %s printed nothing\n",
			       i == MOP_XML ? "problem:" : "warning:", c->op);
			i == MOP_XML ? problems++ : warnings++;
		} else {
			printf("  %s %s %s%s\n",
			       i == MOP_XML ? "problem:" : "warning:", c->op,
			       how,
			       i == MOP_XML ? ": without getinfo-xml there is "
			                      "no metadata"
			                    : "");
			i == MOP_XML ? problems++ : warnings++;
		}
		if (ha_log != NULL) {
			printf("  problem: %s: the plugin's logging through "
			       "ha_log.sh failed\n",
			       c->op);
			problems++;
		}
		show_stderr(c, ha_log);
		free(how);
	}
	if (meta_from_calls(name, calls, MOP_COUNT, req->plugin_timeout, &info,
	                    &why) < 0) {
		if (run_call_ok(&calls[MOP_XML])) {
			printf("  problem: getinfo-xml: %s\n", why);
			problems++;
		}
		free(why);
	} else {
		char *text;
		size_t len;
		int v;

		printf("  ok:      getinfo-xml describes %zu parameter%s\n",
		       info.nparams, info.nparams == 1 ? "" : "s");
		problems += check_param_names(&info, &warnings);
		if (meta_write(GENERIC_NAME, &info, 1, 1, &text, &len) == 0) {
			v = schema_valid(text, len);
			if (v == 1)
				printf("  ok:      the metadata validates "
				       "against %s\n",
				       FENCE_RNG);
			else if (v == 0) {
				printf("  problem: the metadata does not "
				       "validate against %s\n",
				       FENCE_RNG);
				problems++;
			}
			free(text);
		}
	}
	meta_info_free(&info);
	for (size_t i = 0; i < MOP_COUNT; i++)
		run_call_free(&calls[i]);
	free(path);
	env_free(envp);
	if (problems == 0) {
		printf("external/%s will work through fence_hbwrap (%d "
		       "warning%s)\n",
		       name, warnings, warnings == 1 ? "" : "s");
		return EXIT_OK;
	}
	printf("external/%s will NOT work through fence_hbwrap: %d problem%s, "
	       "%d warning%s\n",
	       name, problems, problems == 1 ? "" : "s", warnings,
	       warnings == 1 ? "" : "s");
	return EXIT_FAIL;
}

/*
 * Link fence_hb_NAME in DIR to TARGET (a name in DIR). A link already
 * there is ours if it names TARGET or resolves to this program (EXE, its
 * real path); anything else is left alone. Returns the exit code.
 */
static int
link_one(const char *dir, const char *target, const char *exe, const char *name)
{
	char *link = xasprintf("%s/fence_hb_%s", dir, name);
	char buf[PATH_MAX];
	ssize_t n;
	int rc = EXIT_FAIL;
	char *path, *why = plugin_check_file(plugin_dir(), name, &path);

	if (why != NULL) {
		log_error("not linking %s: %s", link, why);
		free(why);
		free(link);
		return EXIT_FAIL;
	}
	free(path);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n >= 0) {
		char *real = realpath(link, NULL);

		buf[n] = '\0';
		if (strcmp(buf, target) == 0 ||
		    (real != NULL && strcmp(real, exe) == 0)) {
			printf("%s -> %s (already there)\n", link, buf);
			rc = EXIT_OK;
		} else {
			log_error("%s exists and links to %s, not to %s: left "
			          "alone",
			          link, buf, target);
		}
		free(real);
	} else if (errno == EINVAL) {
		log_error("%s exists and is not a link: left alone", link);
	} else if (errno != ENOENT) {
		log_error("%s: %s", link, strerror(errno));
	} else if (symlink(target, link) < 0) {
		log_error("cannot create %s: %s", link, strerror(errno));
	} else {
		printf("%s -> %s\n", link, target);
		rc = EXIT_OK;
	}
	free(link);
	return rc;
}

int
admin_link(const char *plugin)
{
	char *exe = realpath("/proc/self/exe", NULL), *d, *b;
	const char *dir, *target;
	struct plugin_entry *list;
	int rc = EXIT_OK;
	size_t n;

	if (exe == NULL) {
		log_error("cannot find this program's path: %s",
		          strerror(errno));
		return EXIT_FAIL;
	}
	d = xstrdup(exe);
	b = xstrdup(exe);
	dir = dirname(d);
	target = basename(b);
	if (plugin != NULL) {
		const char *name = plugin_bare_name(plugin);

		if (plugin_name_problem(name) != NULL) {
			log_error("plugin '%s' refused: %s", name,
			          plugin_name_problem(name));
			rc = EXIT_FAIL;
		} else {
			rc = link_one(dir, target, exe, name);
		}
	} else if ((list = plugin_list(&n)) == NULL) {
		log_error("cannot read the plugin directory %s: %s",
		          plugin_dir(), strerror(errno));
		rc = EXIT_FAIL;
	} else {
		for (size_t i = 0; i < n; i++) {
			/* Entries that are not plugin names are not plugins. */
			if (!list[i].is_plugin_name)
				continue;
			if (list[i].why != NULL)
				printf("skipped external/%s: %s\n",
				       list[i].name, list[i].why);
			else if (link_one(dir, target, exe, list[i].name) !=
			         EXIT_OK)
				rc = EXIT_FAIL;
		}
		plugin_list_free(list, n);
	}
	free(exe);
	free(d);
	free(b);
	return rc;
}

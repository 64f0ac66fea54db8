/*
 * actions.c - what each RHCS action does with the plugin.
 */
#define _GNU_SOURCE
#include "actions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "admin.h"
#include "convert.h"
#include "env.h"
#include "log.h"
#include "manpage.h"
#include "metacache.h"
#include "metadata.h"
#include "plugin.h"
#include "run.h"
#include "xalloc.h"

extern char **environ;

/* One plugin ready to run: its name, checked path and environment. */
struct target_plugin {
	const char *name;
	char *path;
	char **envp;
	long timeout;
};

static int
prepare(const struct request *req, const char *name, struct target_plugin *tp)
{
	tp->name = name;
	tp->timeout = req->plugin_timeout;
	tp->envp = NULL;
	tp->path = plugin_locate(name);
	if (tp->path == NULL)
		return -1;
	tp->envp = env_build(environ, name, helper_dir(), &req->all);
	if (tp->envp == NULL) {
		free(tp->path);
		tp->path = NULL;
		return -1;
	}
	return 0;
}

static void
release(struct target_plugin *tp)
{
	free(tp->path);
	env_free(tp->envp);
	tp->path = NULL;
	tp->envp = NULL;
}

/* Pass a plugin's stderr on to ours, with secrets masked. */
static void
forward_stderr(const struct run_call *c)
{
	size_t len;
	char *m;

	if (c->err.len == 0)
		return;
	m = log_mask_copy(c->err.data, c->err.len, &len);
	fwrite(m, 1, len, stderr);
	if (m[len - 1] != '\n')
		fputc('\n', stderr);
	free(m);
}

/*
 * Report how CALL ended. Returns 0 if it exited 0, else -1 after a
 * one-line error naming the plugin, the operation and the cause.
 */
static int
judge(const struct target_plugin *tp, const struct run_call *c)
{
	char *how = run_call_describe(c, tp->timeout);
	int ok = run_call_ok(c);

	forward_stderr(c);
	log_verbose("plugin %s: %s%s%s %s after %.3f s", tp->name, c->op,
	            c->target ? " " : "", c->target ? c->target : "", how,
	            c->seconds);
	if (!ok)
		log_error("plugin %s: %s%s%s %s", tp->name, c->op,
		          c->target ? " " : "", c->target ? c->target : "",
		          how);
	free(how);
	return ok ? 0 : -1;
}

/* Run one operation; 0 if it exited 0, else -1 (reported). */
static int
call(const struct target_plugin *tp, const char *op, const char *target)
{
	struct run_call c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.op = op;
	c.target = target;
	if (run_calls(tp->path, tp->envp, &c, 1, tp->timeout) < 0)
		return -1;
	rc = judge(tp, &c);
	run_call_free(&c);
	return rc;
}

/* Non-zero if HOST is a word of the gethosts output OUT. */
static int
host_listed(const char *out, const char *host)
{
	char *copy = xstrdup(out), *save = NULL;
	int found = 0;

	for (char *t = strtok_r(copy, " \t\r\n", &save); t && !found;
	     t = strtok_r(NULL, " \t\r\n", &save))
		found = strcmp(t, host) == 0;
	free(copy);
	return found;
}

static int
do_fence(const struct request *req, struct target_plugin *tp)
{
	const char *a = req->action;

	if (req->delay > 0 && (!strcmp(a, "reboot") || !strcmp(a, "off"))) {
		log_verbose("waiting %ld s (delay) before %s", req->delay, a);
		sleep((unsigned)req->delay);
	}
	for (long attempt = 1; attempt <= req->retry_on; attempt++) {
		int rc;

		if (strcmp(a, "reboot") != 0)
			rc = call(tp, a, req->target);
		else if (req->method == METHOD_CYCLE)
			rc = call(tp, "reset", req->target);
		else
			rc = call(tp, "off", req->target) < 0
			             ? -1
			             : call(tp, "on", req->target);
		if (rc == 0)
			return EXIT_OK;
		if (run_interrupted())
			break;
		if (attempt < req->retry_on)
			log_verbose("attempt %ld of %ld failed; retrying",
			            attempt, req->retry_on);
	}
	return EXIT_FAIL;
}

static int
do_list(const struct request *req, struct target_plugin *tp)
{
	(void)req;
	struct run_call c;
	int rc = EXIT_FAIL;

	memset(&c, 0, sizeof(c));
	c.op = "gethosts";
	if (run_calls(tp->path, tp->envp, &c, 1, tp->timeout) < 0)
		return EXIT_FAIL;
	if (judge(tp, &c) == 0) {
		char *copy = xstrdup(c.out.data ? c.out.data : ""),
		     *save = NULL;
		size_t cap = strlen(copy) + 2, len = 0;
		char *text = xmalloc(cap);

		for (char *t = strtok_r(copy, " \t\r\n", &save); t;
		     t = strtok_r(NULL, " \t\r\n", &save))
			len += (size_t)sprintf(text + len, "%s\n", t);
		/* Whole or nothing on stdout. */
		rc = (fwrite(text, 1, len, stdout) == len &&
		      fflush(stdout) == 0)
		             ? EXIT_OK
		             : EXIT_FAIL;
		free(text);
		free(copy);
	}
	run_call_free(&c);
	return rc;
}

static int
do_monitor(const struct request *req, struct target_plugin *tp)
{
	(void)req;
	return call(tp, "status", NULL) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int
do_status(const struct request *req, struct target_plugin *tp)
{
	struct run_call c[2];
	int rc = EXIT_FAIL;

	memset(c, 0, sizeof(c));
	c[0].op = "status";
	c[1].op = "gethosts";
	if (run_calls(tp->path, tp->envp, c, 2, tp->timeout) < 0)
		return EXIT_FAIL;
	if (judge(tp, &c[0]) == 0 && judge(tp, &c[1]) == 0) {
		if (host_listed(c[1].out.data ? c[1].out.data : "",
		                req->target))
			rc = EXIT_OK;
		else
			log_error("plugin %s: '%s' is not one of the hosts "
			          "gethosts lists",
			          tp->name, req->target);
	}
	run_call_free(&c[0]);
	run_call_free(&c[1]);
	return rc;
}

static int
do_validate(const struct request *req, struct target_plugin *tp)
{
	struct plugin_info info;
	char *missing = NULL;

	if (meta_collect(tp->name, tp->path, tp->envp, tp->timeout, 1, &info) <
	    0)
		return EXIT_FAIL;
	for (size_t i = 0; i < info.nparams; i++) {
		const struct meta_param *p = &info.params[i];
		const char *v = params_get(&req->all, p->name);
		char *m;

		if (!p->required || (v != NULL && *v != '\0'))
			continue;
		m = xasprintf("%s%s%s", missing ? missing : "",
		              missing ? ", " : "", p->name);
		free(missing);
		missing = m;
	}
	meta_info_free(&info);
	if (missing != NULL) {
		log_error("plugin %s: missing required parameter%s: %s",
		          tp->name, strchr(missing, ',') ? "s" : "", missing);
		free(missing);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* Non-zero if REQ holds a parameter for the plugin (not ours). */
static int
plugin_params_given(const struct request *req)
{
	for (size_t i = 0; i < req->all.n; i++)
		if (!option_is_shim_only(req->all.v[i].name))
			return 1;
	return 0;
}

int
action_metadata_text(const struct request *req, const char *progname,
                     const char *plugin, char **out, size_t *outlen)
{
	struct plugin_info *infos;
	size_t n = 0, ninfo = 0;
	struct plugin_entry *list;
	int rc;

	if (plugin != NULL) {
		struct target_plugin tp;
		struct plugin_info info;
		int generic = personality_plugin(progname) == NULL;
		char *key = NULL;

		if (prepare(req, plugin, &tp) < 0)
			return -1;
		/* Parameters given to the plugin may change what it says. */
		if (!plugin_params_given(req))
			key = metacache_key(progname, tp.path, generic);
		if (key != NULL && metacache_get(key, out, outlen) == 0) {
			free(key);
			release(&tp);
			return 0;
		}
		rc = meta_collect(plugin, tp.path, tp.envp, tp.timeout, 1,
		                  &info);
		release(&tp);
		if (rc == 0)
			rc = meta_write(progname, &info, 1, generic, out,
			                outlen);
		if (rc == 0 && key != NULL)
			metacache_put(key, *out, *outlen);
		meta_info_free(&info);
		free(key);
		return rc;
	}

	/* Generic: every usable plugin's parameters, as a union. An
	 * unreadable directory (no cluster-glue, no plugin yet) is none. */
	list = plugin_list(&n);
	infos = xcalloc(n + 1, sizeof(*infos));
	for (size_t i = 0; i < n; i++) {
		struct target_plugin tp;

		if (list[i].why != NULL || prepare(req, list[i].name, &tp) < 0)
			continue;
		if (meta_collect(list[i].name, tp.path, tp.envp, tp.timeout, 0,
		                 &infos[ninfo]) == 0)
			ninfo++;
		else
			meta_info_free(&infos[ninfo]);
		release(&tp);
	}
	rc = meta_write(progname, infos, ninfo, 1, out, outlen);
	for (size_t i = 0; i < ninfo; i++)
		meta_info_free(&infos[i]);
	free(infos);
	plugin_list_free(list, n);
	return rc;
}

static int
do_metadata(const struct request *req, const char *progname, int manpage)
{
	const char *plugin = personality_plugin(progname);
	char *text, *page = NULL;
	size_t len;
	int ok;

	if (plugin != NULL || req->plugin != NULL) {
		plugin = plugin_resolve(progname, req->plugin);
		if (plugin == NULL)
			return EXIT_FAIL;
	}
	if (action_metadata_text(req, progname, plugin, &text, &len) < 0)
		return EXIT_FAIL;
	if (manpage) {
		if (manpage_from_metadata(text, len, &page, &len) < 0) {
			free(text);
			return EXIT_FAIL;
		}
		free(text);
		text = page;
	}
	/* Print it whole, or report that we could not. */
	ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
	free(text);
	if (!ok) {
		log_error("cannot write the %s to stdout",
		          manpage ? "man page" : "metadata");
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* The actions that run the plugin; metadata and manpage are apart. */
static const struct plugin_action {
	const char *name;
	int needs_target;
	int (*run)(const struct request *, struct target_plugin *);
} plugin_actions[] = {
        {"reboot", 1, do_fence},
        {"off", 1, do_fence},
        {"on", 1, do_fence},
        {"status", 1, do_status},
        {"monitor", 0, do_monitor},
        {"list", 0, do_list},
        {"validate-all", 0, do_validate},
};

int
action_dispatch(const struct request *req, const char *progname)
{
	const struct plugin_action *act = NULL;
	const char *a = req->action, *name;
	struct target_plugin tp;
	int rc;

	if (req->list_plugins)
		return admin_list_plugins();
	if (req->check_plugin)
		return admin_check(req, req->check_plugin);
	if (req->link_plugin || req->link_all)
		return admin_link(req->link_plugin);
	if (req->convert_cib || req->convert_pcs || req->show_secrets)
		return convert_main(req);
	if (!strcmp(a, "metadata") || !strcmp(a, "manpage"))
		return do_metadata(req, progname, !strcmp(a, "manpage"));
	for (size_t i = 0; i < sizeof(plugin_actions) / sizeof(*plugin_actions);
	     i++)
		if (!strcmp(a, plugin_actions[i].name))
			act = &plugin_actions[i];
	if (act == NULL) {
		log_error("unknown action '%s' (see --help)", a);
		return EXIT_FAIL;
	}
	if (act->needs_target && req->target == NULL) {
		log_error("action '%s' needs a target: port=, plug= or "
		          "nodename= (-n on the command line)",
		          a);
		return EXIT_FAIL;
	}
	if ((name = plugin_resolve(progname, req->plugin)) == NULL ||
	    prepare(req, name, &tp) < 0)
		return EXIT_FAIL;
	rc = act->run(req, &tp);
	release(&tp);
	return rc;
}

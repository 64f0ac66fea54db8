/*
 * actions.c - what each RHCS action does with the plugin.
 */
#define _GNU_SOURCE
#include "actions.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "admin.h"
#include "declared.h"
#include "convert.h"
#include "env.h"
#include "halog.h"
#include "log.h"
#include "manpage.h"
#include "metacache.h"
#include "metadata.h"
#include "plugin.h"
#include "run.h"
#include "xalloc.h"

extern char **environ;

/* Lines of a successful call's stderr sent to syslog, at most. */
#define SYSLOG_MAX_LINES 100

/* One plugin ready to run: its name, checked path and environment. */
struct target_plugin {
	const char *name;
	char *path;
	char **envp;
	char *target; /* the target as the plugin gets it, or NULL */
	long timeout;
};

/* Non-zero if REQ holds a parameter for the plugin (not ours). */
static int
plugin_params_given(const struct request *req)
{
	for (size_t i = 0; i < req->all.n; i++)
		if (!option_is_shim_only(req->all.v[i].name))
			return 1;
	return 0;
}

/* REQ's target as the plugin gets it: lowercased, as cluster-glue's
 * stonith_req_reset() does, unless keep_case. Caller frees. */
static char *
plugin_target(const struct request *req)
{
	char *t;

	if (req->target == NULL)
		return NULL;
	t = xstrdup(req->target);
	for (char *c = t; *c && !req->keep_case; c++)
		*c = (char)tolower((unsigned char)*c);
	return t;
}

/* Free what prepare() filled in TP. */
static void
release(struct target_plugin *tp)
{
	free(tp->path);
	free(tp->target);
	env_free(tp->envp);
	tp->path = tp->target = NULL;
	tp->envp = NULL;
}

/*
 * Locate plugin NAME and build its environment for REQ. Only what the
 * plugin declares passes (asked of the plugin, or its cached answer,
 * when REQ has something to pass: a parameter or a target). Returns 0,
 * or -1 after a one-line error.
 */
static int
prepare(const struct request *req, const char *name, struct target_plugin *tp)
{
	struct declared d = {0};

	tp->name = name;
	tp->timeout = req->plugin_timeout;
	tp->envp = NULL;
	tp->target = NULL;
	tp->path = plugin_locate(name);
	if (tp->path == NULL)
		return -1;
	tp->target = plugin_target(req);
	if (plugin_params_given(req) || req->target != NULL) {
		char **bare = env_build_declared(environ, name, helper_dir(),
		                                 &req->all, NULL, NULL);

		int rc = declared_get(name, tp->path, bare, tp->timeout, &d);

		env_free(bare);
		if (rc < 0) {
			declared_free(&d);
			release(tp);
			return -1;
		}
	}
	tp->envp = env_build_declared(environ, name, helper_dir(), &req->all,
	                              &d, tp->target);
	declared_free(&d);
	if (tp->envp == NULL) {
		free(tp->path);
		free(tp->target);
		tp->path = tp->target = NULL;
		return -1;
	}
	return 0;
}

/*
 * Where a line of a plugin's stderr goes (besides the debug file), given
 * its ha_log.sh priority PRIO (-1: a plain line) and whether the call
 * succeeded. pacemaker-fenced logs every stderr line of an agent as a
 * warning, so a call that succeeded keeps stderr for ha_log.sh's crit
 * and err: plain lines go to syslog, ha_log.sh's others are there
 * already (ha_log.sh sent them). A failed call shows everything on
 * stderr, before our own error.
 */
static unsigned
stderr_line_route(int prio, int ok)
{
	if (!ok || (prio >= 0 && prio <= LOG_ERR))
		return LOG_TO_STDERR;
	return prio < 0 ? LOG_TO_SYSLOG : 0;
}

/*
 * Pass on CALL's stderr, masked, line by line (see stderr_line_route),
 * each line from WHO in syslog and the debug file. A successful call
 * sends at most SYSLOG_MAX_LINES lines to syslog, then says how many more
 * only the debug file has: 1 MiB of chatter would be 500 000 messages.
 */
static void
forward_stderr(const struct target_plugin *tp, const struct run_call *c, int ok,
               const char *who)
{
	char *tag = xasprintf("external/%s", tp->name);
	size_t len, to_syslog = 0;
	char *m =
	        log_mask_copy(c->err.data ? c->err.data : "", c->err.len, &len);

	for (size_t at = 0; at < len;) {
		const char *nl = memchr(m + at, '\n', len - at);
		size_t n = nl ? (size_t)(nl - (m + at)) : len - at;
		int prio = halog_line_priority(m + at, n, tag);
		unsigned route = stderr_line_route(prio, ok);

		if ((route & LOG_TO_SYSLOG) && to_syslog++ >= SYSLOG_MAX_LINES)
			route &= ~(unsigned)LOG_TO_SYSLOG;
		log_plugin_line(who, m + at, n, prio < 0 ? LOG_INFO : prio,
		                route);
		at += n + 1;
	}
	if (to_syslog > SYSLOG_MAX_LINES) {
		char *more = xasprintf("%zu more lines of stderr, not sent to "
		                       "syslog",
		                       to_syslog - SYSLOG_MAX_LINES);

		log_plugin_line(who, more, strlen(more), LOG_INFO,
		                LOG_TO_SYSLOG);
		free(more);
	}
	free(m);
	free(tag);
}

/*
 * Report how CALL ended. Returns 0 if it exited 0, else -1 after a
 * one-line error naming the plugin, the operation and the cause.
 */
static int
judge(const struct target_plugin *tp, const struct run_call *c)
{
	char *how = run_call_describe(c, tp->timeout);
	char *who = xasprintf("plugin %s: %s%s%s", tp->name, c->op,
	                      c->target ? " " : "", c->target ? c->target : "");
	int ok = run_call_ok(c);

	forward_stderr(tp, c, ok, who);
	log_verbose("%s %s after %.3f s", who, how, c->seconds);
	if (!ok)
		log_error("%s %s", who, how);
	free(who);
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

/* Non-zero if HOST is a word of the gethosts output OUT; without
 * KEEP_CASE, whatever the case of either (the plugin would get HOST
 * lowercased, as for reboot, off and on). */
static int
host_listed(const char *out, const char *host, int keep_case)
{
	char *copy = xstrdup(out), *save = NULL;
	int found = 0;

	for (char *t = strtok_r(copy, " \t\r\n", &save); t && !found;
	     t = strtok_r(NULL, " \t\r\n", &save))
		found = keep_case ? strcmp(t, host) == 0
		                  : strcasecmp(t, host) == 0;
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
			rc = call(tp, a, tp->target);
		else if (req->method == METHOD_CYCLE)
			rc = call(tp, "reset", tp->target);
		else
			rc = call(tp, "off", tp->target) < 0
			             ? -1
			             : call(tp, "on", tp->target);
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
		if (host_listed(c[1].out.data ? c[1].out.data : "", tp->target,
		                req->keep_case))
			rc = EXIT_OK;
		else
			log_error("plugin %s: '%s' is not one of the hosts "
			          "gethosts lists",
			          tp->name, tp->target);
	}
	run_call_free(&c[0]);
	run_call_free(&c[1]);
	return rc;
}

/*
 * The parameters of INFO not given in REQ, as "a, b" (caller frees), or
 * NULL if none: the required ones (REQUIRED), or else the ones
 * getconfignames names that have no default.
 */
static char *
params_not_given(const struct plugin_info *info, const struct request *req,
                 int required)
{
	char *list = NULL;

	for (size_t i = 0; i < info->nparams; i++) {
		const struct meta_param *p = &info->params[i];
		const char *v = params_get(&req->all, p->name);
		char *m;

		if (p->shim_option || (v != NULL && *v != '\0'))
			continue;
		if (required ? !p->required
		             : (p->required || !p->listed ||
		                (p->def != NULL && *p->def != '\0')))
			continue;
		m = xasprintf("%s%s%s", list ? list : "", list ? ", " : "",
		              p->name);
		free(list);
		list = m;
	}
	return list;
}

/*
 * validate-all: the plugin describes itself (getinfo-xml and
 * getconfignames only: nothing descriptive is needed here), every
 * parameter its XML marks required is given. Names getconfignames lists
 * but the request lacks are a warning: cluster-glue never enforced them.
 */
static int
do_validate(const struct request *req, struct target_plugin *tp)
{
	struct plugin_info info;
	char *missing, *unset;
	int rc = EXIT_OK;

	if (meta_collect(tp->name, tp->path, tp->envp, tp->timeout,
	                 MOPS_VALIDATE, &info) < 0) {
		meta_info_free(&info);
		return EXIT_FAIL;
	}
	meta_warn_problems(&info);
	/* One line for the admin: a required parameter missing is the
	 * reason (pcs --agent-validation refuses with it); only without
	 * one are the names not given worth a warning. */
	missing = params_not_given(&info, req, 1);
	unset = missing ? NULL : params_not_given(&info, req, 0);
	if (unset != NULL)
		log_warn("plugin %s: getconfignames names parameter%s not "
		         "given: %s",
		         tp->name, strchr(unset, ',') ? "s" : "", unset);
	if (missing != NULL) {
		log_error("plugin %s: missing required parameter%s: %s",
		          tp->name, strchr(missing, ',') ? "s" : "", missing);
		rc = EXIT_FAIL;
	}
	free(unset);
	free(missing);
	meta_info_free(&info);
	return rc;
}

/*
 * The metadata of one plugin as agent PROGNAME, from the cache when the
 * request gives the plugin no parameter. Metadata made despite a flaw of
 * the plugin (each one a warning) is never cached: the flaw may pass.
 */
static int
plugin_metadata(const struct request *req, const char *progname,
                const char *plugin, char **out, size_t *outlen)
{
	struct target_plugin tp;
	struct plugin_info info;
	int generic = personality_plugin(progname) == NULL, rc;
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
	rc = meta_collect(plugin, tp.path, tp.envp, tp.timeout, MOPS_METADATA,
	                  &info);
	release(&tp);
	meta_warn_problems(&info);
	if (rc == 0)
		rc = meta_write(progname, &info, 1, generic, out, outlen);
	if (rc == 0 && key != NULL && info.nproblems == 0)
		metacache_put(key, *out, *outlen);
	meta_info_free(&info);
	free(key);
	return rc;
}

/* The generic agent's metadata: every usable plugin's parameters, as a
 * union. An unreadable directory (no cluster-glue, no plugin yet) is
 * none. */
static int
generic_metadata(const struct request *req, const char *progname, char **out,
                 size_t *outlen)
{
	struct plugin_info *infos;
	size_t n = 0, ninfo = 0;
	struct plugin_entry *list = plugin_list(&n);
	int rc;

	infos = xcalloc(n + 1, sizeof(*infos));
	for (size_t i = 0; i < n; i++) {
		struct target_plugin tp;

		if (list[i].why != NULL || prepare(req, list[i].name, &tp) < 0)
			continue;
		if (meta_collect(list[i].name, tp.path, tp.envp, tp.timeout,
		                 MOPS_GENERIC, &infos[ninfo]) == 0) {
			meta_warn_problems(&infos[ninfo]);
			ninfo++;
		} else {
			meta_info_free(&infos[ninfo]);
		}
		release(&tp);
	}
	rc = meta_write(progname, infos, ninfo, 1, out, outlen);
	for (size_t i = 0; i < ninfo; i++)
		meta_info_free(&infos[i]);
	free(infos);
	plugin_list_free(list, n);
	return rc;
}

int
action_metadata_text(const struct request *req, const char *progname,
                     const char *plugin, char **out, size_t *outlen)
{
	if (plugin != NULL)
		return plugin_metadata(req, progname, plugin, out, outlen);
	return generic_metadata(req, progname, out, outlen);
}

/* The man page's date: the plugin file's, or the program's. */
static time_t
page_date(const char *plugin)
{
	char *path;
	time_t when;

	if (plugin == NULL)
		return manpage_source_date("/proc/self/exe");
	path = xasprintf("%s/%s", plugin_dir(), plugin);
	when = manpage_source_date(path);
	free(path);
	return when;
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
		if (manpage_from_metadata(text, len, page_date(plugin), &page,
		                          &len) < 0) {
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

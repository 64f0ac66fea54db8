/*
 * main.c - entry point: which personality we are (fence_hbwrap,
 * fence_hb_<plugin> or ha_log.sh), where the request comes from
 * (command line, else stdin), which one mode it asks for (the agent, or
 * one of the administrator's commands), then that mode.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "admin.h"
#include "convert.h"
#include "halog.h"
#include "log.h"
#include "options.h"
#include "plugin.h"
#include "run.h"
#include "xml.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

/* The modes of one invocation: the fence agent, or one admin command. */
struct mode {
	const char *option; /* the option that asks for it, for errors */
	int (*asked)(const struct request *);
	int (*run)(const struct request *, const char *progname);
};

/* The agent is asked for explicitly by an action or a target. */
static int
agent_asked(const struct request *r)
{
	return params_get(&r->all, "action") != NULL || r->target != NULL;
}

static int
list_asked(const struct request *r)
{
	return r->list_plugins;
}

static int
list_run(const struct request *r, const char *progname)
{
	(void)r, (void)progname;
	return admin_list_plugins();
}

static int
check_asked(const struct request *r)
{
	return r->check_plugin != NULL;
}

static int
check_run(const struct request *r, const char *progname)
{
	(void)progname;
	return admin_check(r, r->check_plugin);
}

static int
link_asked(const struct request *r)
{
	return r->link_plugin != NULL || r->link_all;
}

static int
link_run(const struct request *r, const char *progname)
{
	(void)progname;
	return admin_link(r->link_plugin);
}

static int
convert_asked(const struct request *r)
{
	return r->convert_cib != NULL || r->convert_pcs || r->show_secrets;
}

static int
convert_run(const struct request *r, const char *progname)
{
	(void)progname;
	return convert_main(r);
}

/* The agent first: it is also what runs when nothing else is asked. */
static const struct mode modes[] = {
        {"-o/--action or a target", agent_asked, action_dispatch},
        {"--list-plugins", list_asked, list_run},
        {"--check", check_asked, check_run},
        {"--link/--link-all", link_asked, link_run},
        {"--convert-cib/--pcs/--show-secrets", convert_asked, convert_run},
};
#define N_MODES (sizeof(modes) / sizeof(*modes))

/*
 * The one mode REQ asks for (the agent when it asks for none), or NULL
 * after a one-line error: two modes at once, or an admin command asked
 * of a fence_hb_<plugin> name, which is a fence agent and nothing else.
 */
static const struct mode *
decide_mode(const struct request *req, const char *progname)
{
	const struct mode *m = NULL;

	for (size_t i = 0; i < N_MODES; i++) {
		if (!modes[i].asked(req))
			continue;
		if (m != NULL) {
			log_error("%s and %s ask for two different things: "
			          "give one of them",
			          m->option, modes[i].option);
			return NULL;
		}
		m = &modes[i];
	}
	if (m == NULL)
		return &modes[0];
	if (m != &modes[0] && personality_plugin(progname) != NULL) {
		log_error("%s is a fence agent: %s is an option of %s only",
		          progname, m->option, GENERIC_NAME);
		return NULL;
	}
	return m;
}

int
main(int argc, char *argv[])
{
	const char *progname = argc > 0 && argv[0] ? argv[0] : GENERIC_NAME;
	const char *slash = strrchr(progname, '/');
	struct request req;
	int rc;

	if (slash != NULL)
		progname = slash + 1;
	if (strcmp(progname, HALOG_NAME) == 0)
		return halog_main(argc, argv);

	run_init(argc, argv);
	log_init(progname);
	memset(&req, 0, sizeof(req));
	/* fence-agents: arguments on the command line, else stdin. */
	rc = argc > 1 ? options_parse_argv(argc, argv, &req)
	              : options_read_stdin(stdin, &req);
	if (rc == 0)
		rc = request_finish(&req);
	if (rc == 0) {
		log_set_verbose(req.verbose);
		/* A debug file that cannot be used is a warning, never a
		 * reason not to fence. */
		if (req.debug_file != NULL)
			log_set_debug_file(req.debug_file, argc <= 1);
	}
	if (rc < 0) {
		request_free(&req);
		log_close();
		return EXIT_FAIL;
	}
	for (size_t i = 0; i < req.all.n; i++)
		log_verbose("parameter %s=%s", req.all.v[i].name,
		            log_name_is_secret(req.all.v[i].name)
		                    ? "****"
		                    : req.all.v[i].value);

	if (req.help) {
		options_usage(stdout, progname,
		              personality_plugin(progname) == NULL);
		rc = EXIT_OK;
	} else if (req.version) {
		printf("%s (fence-heartbeat-wrap) %s\n", progname, VERSION);
		rc = EXIT_OK;
	} else {
		const struct mode *m = decide_mode(&req, progname);

		rc = m != NULL ? m->run(&req, progname) : EXIT_FAIL;
	}
	request_free(&req);
	log_close();
	xml_unload();
	return rc;
}

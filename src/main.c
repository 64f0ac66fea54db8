/*
 * main.c - entry point: which personality we are (fence_hbwrap,
 * fence_hb_<plugin> or ha_log.sh), where the request comes from
 * (command line, else stdin), then the action.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "halog.h"
#include "log.h"
#include "options.h"
#include "plugin.h"
#include "run.h"
#include "xml.h"

#ifndef VERSION
#define VERSION "unknown"
#endif

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
		rc = action_dispatch(&req, progname);
	}
	request_free(&req);
	log_close();
	xml_unload();
	return rc;
}

/*
 * convert_report.c - the report of --convert-cib, on stderr: for each
 * fencing device what it becomes, whether it will work here, what pcs
 * would refuse, and how its behaviour changes. Parameter names only:
 * a value is shown only for pcmk_host_map, and never when it holds one
 * of the device's secret values.
 */
#define _GNU_SOURCE
#include "convert.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xml.h"

#include "actions.h"
#include "admin.h"
#include "log.h"
#include "plugin.h"
#include "xalloc.h"

/* Where Pacemaker looks for fence agents (and nowhere else). */
#ifndef FENCE_AGENT_DIR
#define FENCE_AGENT_DIR "/usr/sbin"
#endif
/* How much of --check's output the report reads. */
#define CHECK_MAX_OUTPUT 65536

/* Put back descriptor FD as SAVED holds it (-1: it was closed). */
static void
restore_fd(int saved, int fd)
{
	if (saved >= 0) {
		dup2(saved, fd);
		close(saved);
	} else {
		close(fd);
	}
}

/*
 * Run admin_check() for PLUGIN as `fence_hbwrap --check PLUGIN` would,
 * in this very process: it is the subreaper of the plugins' orphans and
 * sweeps what a stopped call leaves, where a forked copy of it would
 * not be, and what a timed-out plugin left would outlive the report.
 * Meanwhile stdout and stderr go to a file in memory. Returns what the
 * check printed (at most CHECK_MAX_OUTPUT bytes; caller frees) and its
 * exit code in *RC, or NULL if it could not run.
 */
static char *
run_check(const struct request *req, const char *plugin, int *rc)
{
	int fd, saved_out, saved_err;
	size_t n = 0;
	ssize_t got;
	char *out;

	fflush(NULL);
	/* Above 2, whatever stdout and stderr are (even closed). */
	if ((fd = memfd_create("fence_hbwrap-check", MFD_CLOEXEC)) < 0 ||
	    (fd < 3 && (saved_out = fcntl(fd, F_DUPFD_CLOEXEC, 3), close(fd),
	                fd = saved_out) < 0))
		return NULL;
	saved_out = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	saved_err = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved_err < 0 || dup2(fd, STDOUT_FILENO) < 0 ||
	    dup2(fd, STDERR_FILENO) < 0) {
		restore_fd(saved_out, STDOUT_FILENO);
		restore_fd(saved_err, STDERR_FILENO);
		close(fd);
		return NULL;
	}
	*rc = admin_check(req, plugin);
	fflush(NULL);
	restore_fd(saved_out, STDOUT_FILENO);
	restore_fd(saved_err, STDERR_FILENO);
	out = xmalloc(CHECK_MAX_OUTPUT + 1);
	while (n < CHECK_MAX_OUTPUT &&
	       ((got = pread(fd, out + n, CHECK_MAX_OUTPUT - n, (off_t)n)) >
	                0 ||
	        (got < 0 && errno == EINTR)))
		n += got > 0 ? (size_t)got : 0;
	close(fd);
	out[n] = '\0';
	return out;
}

/* Print the --check verdict for DEV's plugin: its problems and summary. */
static void
report_check(FILE *fp, const struct request *req, const struct cv_device *dev)
{
	int rc;
	char *out = run_check(req, dev->plugin, &rc), *line, *save = NULL;
	const char *last = NULL;

	if (out == NULL) {
		fprintf(fp,
		        "  check:     could not run fence_hbwrap --check "
		        "%s: %s\n",
		        dev->plugin, strerror(errno));
		return;
	}
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strstr(line, "problem:") != NULL)
			fprintf(fp, "  check:     %s\n",
			        line + strspn(line, " "));
		last = line;
	}
	fprintf(fp, "  check:     %s [fence_hbwrap --check %s: exit %d]\n",
	        last ? last : "(no output)", dev->plugin, rc);
	free(out);
}

/* Print whether Pacemaker can find DEV's agent, or how to make it. */
static void
report_link(FILE *fp, const struct cv_device *dev)
{
	char *path = xasprintf("%s/%s", FENCE_AGENT_DIR, dev->agent);
	struct stat st;

	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
		fprintf(fp, "  agent:     %s is installed\n", path);
	else
		fprintf(fp,
		        "  agent:     %s is missing: run `fence_hbwrap --link "
		        "%s` on every node\n",
		        path, dev->plugin);
	free(path);
}

/* Non-zero if NAME is one of pacemaker-fenced's own device parameters
 * (pcs accepts those for every fence agent). */
static int
is_fencer_param(const char *name)
{
	static const char *const names[] = {
	        "host_argument", "host_map",   "host_list",    "host_check",
	        "delay_max",     "delay_base", "action_limit",
	};
	static const char *const actions[] = {"reboot_", "off_",     "on_",
	                                      "list_",   "monitor_", "status_"};
	static const char *const suffixes[] = {"action", "timeout", "retries"};

	if (strncmp(name, "pcmk_", 5) != 0)
		return 0;
	name += 5;
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	for (size_t a = 0; a < sizeof(actions) / sizeof(*actions); a++) {
		size_t n = strlen(actions[a]);

		for (size_t s = 0; s < sizeof(suffixes) / sizeof(*suffixes) &&
		                   strncmp(name, actions[a], n) == 0;
		     s++)
			if (strcmp(name + n, suffixes[s]) == 0)
				return 1;
	}
	return 0;
}

/* The parameters the agent's metadata declares: "name" or "!name" when
 * required, as one NULL-terminated array (caller frees each and it), or
 * NULL if the metadata cannot be had (reported by its builder). */
static char **
agent_params(const struct request *req, const struct cv_device *dev)
{
	char *text, **names = xcalloc(1, sizeof(*names));
	size_t len, n = 0, cap = 1;
	xmlDocPtr doc;
	xmlNodePtr p;

	if (action_metadata_text(req, dev->agent, dev->plugin, &text, &len) <
	    0) {
		free(names);
		return NULL;
	}
	doc = xmlReadMemory(text, (int)len, "metadata", "UTF-8",
	                    XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	free(text);
	p = doc ? xmlDocGetRootElement(doc)->children : NULL;
	for (; p && xmlStrcmp(p->name, BAD_CAST "parameters"); p = p->next)
		;
	for (p = p ? p->children : NULL; p; p = p->next) {
		xmlChar *name = xmlGetProp(p, BAD_CAST "name"),
		        *req1 = xmlGetProp(p, BAD_CAST "required");

		if (name != NULL) {
			names = cv_grow(names, &cap, n + 1, sizeof(*names));
			names[n++] = xasprintf(
			        "%s%s",
			        req1 && !xmlStrcmp(req1, BAD_CAST "1") ? "!"
			                                               : "",
			        (const char *)name);
			names[n] = NULL;
		}
		if (name)
			xmlFree(name);
		if (req1)
			xmlFree(req1);
	}
	if (doc)
		xmlFreeDoc(doc);
	return names;
}

/* Print on FP each parameter of DEV the agent does not know, and each
 * of NAMES (see agent_params()) required that DEV does not set: what
 * pcs would refuse. Returns how many were printed. */
static size_t
params_refused(FILE *fp, const struct cv_device *dev, char **names)
{
	struct cv_set known = {NULL, 0, 0}, set = {NULL, 0, 0};
	size_t n = 0;

	for (size_t i = 0; names[i]; i++)
		cv_set_add(&known, names[i] + (names[i][0] == '!'));
	for (size_t i = 0; i < dev->params.n; i++) {
		const char *name = dev->params.v[i].name;

		cv_set_add(&set, name);
		if (cv_set_has(&known, name) || is_fencer_param(name))
			continue;
		fprintf(fp,
		        "  params:    %s is not a parameter of %s: pcs would "
		        "refuse it, and the plugin does not declare it\n",
		        name, dev->agent);
		n++;
	}
	for (size_t i = 0; names[i]; i++)
		if (names[i][0] == '!' && !cv_set_has(&set, names[i] + 1)) {
			fprintf(fp,
			        "  params:    %s is required by %s and not "
			        "set: pcs would refuse the device\n",
			        names[i] + 1, dev->agent);
			n++;
		}
	cv_set_free(&known);
	cv_set_free(&set);
	return n;
}

/* Print what pcs would refuse of DEV's parameters, or that it would
 * take them all. FP is stderr, unbuffered, and a device may have 100000
 * parameters: the lines go out in one write. */
static void
report_params(FILE *fp, const struct request *req, const struct cv_device *dev)
{
	char *path, *why = plugin_check_file(plugin_dir(), dev->plugin, &path);
	char **names, *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (why != NULL) {
		fprintf(fp, "  params:    not checked: %s\n", why);
		free(why);
		return;
	}
	free(path);
	if ((names = agent_params(req, dev)) == NULL) {
		fprintf(fp, "  params:    not checked: no metadata for %s\n",
		        dev->agent);
		return;
	}
	mem = open_memstream(&text, &len);
	if (params_refused(mem ? mem : fp, dev, names) == 0)
		fprintf(mem ? mem : fp,
		        "  params:    all %zu known to %s, none missing\n",
		        dev->params.n, dev->agent);
	if (mem != NULL && fclose(mem) == 0)
		fwrite(text, 1, len, fp);
	free(text);
	for (size_t i = 0; names[i]; i++)
		free(names[i]);
	free(names);
}

/* Non-zero if TEXT holds the value of one of DEV's secret parameters. */
static int
holds_secret(const struct cv_device *dev, const char *text)
{
	for (size_t i = 0; i < dev->params.n; i++) {
		const struct cv_pair *p = &dev->params.v[i];

		if (log_name_is_secret(p->name) && p->value[0] != '\0' &&
		    strstr(text, p->value) != NULL)
			return 1;
	}
	return 0;
}

/* Print how a pcmk_host_map of DEV changes meaning, with its first
 * node:port pair as the example when that holds no secret. */
static void
report_host_map(FILE *fp, const struct cv_device *dev)
{
	const char *map = NULL;
	char *pair, *port;

	for (size_t i = 0; i < dev->params.n; i++)
		if (strcmp(dev->params.v[i].name, "pcmk_host_map") == 0)
			map = dev->params.v[i].value;
	if (map == NULL)
		return;
	pair = xstrndup(map + strspn(map, "; \t,"),
	                strcspn(map + strspn(map, "; \t,"), "; \t,"));
	port = pair + strcspn(pair, ":=");
	fprintf(fp, "  behaviour: pcmk_host_map changes meaning: the plugin "
	            "now gets the mapped port as its target, where the native "
	            "LHA road gave it the node name\n");
	if (*port != '\0' && port[1] != '\0' && !holds_secret(dev, pair)) {
		*port++ = '\0';
		fprintf(fp, "             fencing %s: the plugin got '", pair);
		for (const char *c = pair; *c; c++)
			fputc(tolower((unsigned char)*c), fp);
		fprintf(fp,
		        "' (the node name, lowercased), now gets '%s' (the "
		        "port, lowercased unless keep_case=1): drop the "
		        "map, or make the plugin expect ports\n",
		        port);
	}
	free(pair);
}

/* The report for one device. */
static void
report_device(FILE *fp, const struct request *req, const struct cv_device *dev)
{
	fprintf(fp, "%s %s: stonith:%s", dev->element, dev->id, dev->type);
	if (dev->agent == NULL && dev->why_not == NULL) {
		fprintf(fp, ": a fence agent already, kept\n");
		return;
	}
	if (dev->agent == NULL) {
		fprintf(fp, " is NOT converted: %s\n", dev->why_not);
		if (dev->instead != NULL)
			fprintf(fp,
			        "  instead:   recreate it with fence-agents' "
			        "%s\n",
			        dev->instead);
		return;
	}
	fprintf(fp, " -> stonith:%s\n", dev->agent);
	report_check(fp, req, dev);
	report_link(fp, dev);
	report_params(fp, req, dev);
	report_host_map(fp, dev);
	if (dev->pcs_limit != NULL)
		fprintf(fp,
		        "  pcs:       --pcs does not recreate %s: do "
		        "that by hand\n",
		        dev->pcs_limit);
}

void
convert_report(FILE *fp, const struct request *req, const struct cv_cib *cib)
{
	size_t lha = 0;

	for (size_t i = 0; i < cib->ndev; i++)
		lha += cib->dev[i].why_not != NULL;
	fprintf(fp,
	        "convert-cib: %zu fencing device%s: %zu converted, %zu "
	        "cannot be, %zu fence agent%s already; %zu fencing level%s "
	        "(kept: they name devices by id)\n",
	        cib->ndev, cib->ndev == 1 ? "" : "s", cib->nconverted, lha,
	        cib->ndev - cib->nconverted - lha,
	        cib->ndev - cib->nconverted - lha == 1 ? "" : "s", cib->nlvl,
	        cib->nlvl == 1 ? "" : "s");
	if (cib->ndev == 0) {
		fprintf(fp, "convert-cib: nothing to convert: no "
		            "class=\"stonith\" resource\n");
		return;
	}
	for (size_t i = 0; i < cib->ndev; i++)
		report_device(fp, req, &cib->dev[i]);
	if (cib->nconverted == 0) {
		fprintf(fp, "convert-cib: nothing to convert: no "
		            "stonith:external/* device\n");
		return;
	}
	fprintf(fp,
	        "every converted device: the plugin runs with PATH = %s, "
	        "then the fencer's PATH (cluster-glue put "
	        "/usr/share/cluster-glue first); the target is lowercased "
	        "before the plugin sees it, as cluster-glue did (keep_case=1 "
	        "keeps it); the plugin "
	        "gets only the parameters it declares\n",
	        helper_dir());
	fflush(fp);
}

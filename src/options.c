/*
 * options.c - the option table and the stdin / command-line parsers.
 */
#define _GNU_SOURCE
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"

/*
 * The one table. Order is the order of --help, metadata and man page.
 * Defaults: plugin_timeout stays below Pacemaker's default 60 s fencing
 * timeout so the shim, not the fencer, reports a hung plugin.
 */
const struct option_spec option_table[] = {
        {"action", 'o', OT_STRING, "reboot", NULL, "action", NULL, OF_FIRST,
         "Fencing action: on, off, reboot, status, list, monitor, metadata, "
         "validate-all or manpage"},
        {"plug", 'n', OT_STRING, NULL, NULL, "id", "port", OF_FIRST,
         "Node to act on, as the plugin names it (same as port)"},
        {"port", 0, OT_STRING, NULL, NULL, "id", NULL, OF_FIRST | OF_DEPRECATED,
         "Node to act on, as the plugin names it (takes precedence over plug)"},
        {"nodename", 0, OT_STRING, NULL, NULL, "name", NULL,
         OF_FIRST | OF_HIDDEN,
         "Node to act on when neither port nor plug is given; also passed to "
         "the plugin"},
        {"plugin", 0, OT_STRING, NULL, NULL, "name", NULL,
         OF_FIRST | OF_GENERIC_ONLY,
         "Heartbeat external plugin to run, with or without the external/ "
         "prefix"},
        {"plugin_timeout", 0, OT_SECOND, "30", NULL, "seconds", NULL, 0,
         "Seconds one plugin call may take before it is killed and the "
         "action fails"},
        {"delay", 0, OT_SECOND, "0", NULL, "seconds", NULL, 0,
         "Seconds to wait before a fencing action (off, reboot)"},
        {"retry_on", 0, OT_INTEGER, "1", NULL, "attempts", NULL, 0,
         "Number of attempts of a fencing action before it fails"},
        {"method", 'm', OT_SELECT, "cycle",
         (const char *const[]){"cycle", "onoff", NULL}, "method", NULL, 0,
         "How to reboot: cycle runs the plugin's reset, onoff runs off then "
         "on"},
        {"keep_case", 0, OT_BOOLEAN, NULL, NULL, NULL, NULL, 0,
         "Pass the target to reset, on and off as given; by default it is "
         "lowercased, as cluster-glue does"},
        {"verbose", 'v', OT_BOOLEAN, NULL, NULL, NULL, NULL, 0,
         "Trace every plugin call on stderr"},
        {"debug_file", 'D', OT_STRING, NULL, NULL, "file", NULL, 0,
         "Append traces of every plugin call to this file (from stdin: "
         "only a file in " LOG_DIR ")"},
        {"help", 'h', OT_BOOLEAN, NULL, NULL, NULL, NULL, OF_CLI_ONLY,
         "Print this help and exit"},
        {"version", 'V', OT_BOOLEAN, NULL, NULL, NULL, NULL, OF_CLI_ONLY,
         "Print the version and exit"},
        {"list_plugins", 0, OT_BOOLEAN, NULL, NULL, NULL, NULL, OF_CLI_ONLY,
         "List every plugin in the plugin directory, usable or not, and why"},
        {"check", 0, OT_STRING, NULL, NULL, "plugin", NULL, OF_CLI_ONLY,
         "Run every informational operation of a plugin and explain each "
         "problem"},
        {"link", 0, OT_STRING, NULL, NULL, "plugin", NULL, OF_CLI_ONLY,
         "Create the fence_hb_<plugin> link next to this program"},
        {"link_all", 0, OT_BOOLEAN, NULL, NULL, NULL, NULL, OF_CLI_ONLY,
         "Create fence_hb_<plugin> links for every usable plugin"},
        {"convert_cib", 0, OT_STRING, NULL, NULL, "file", NULL, OF_CLI_ONLY,
         "Print this CIB (- for stdin) with its stonith:external/<plugin> "
         "devices made fence_hb_<plugin>, and a report on stderr"},
        {"pcs", 0, OT_BOOLEAN, NULL, NULL, NULL, NULL, OF_CLI_ONLY,
         "With --convert-cib: print pcs commands that recreate the devices "
         "instead"},
        {"show_secrets", 0, OT_BOOLEAN, NULL, NULL, NULL, NULL, OF_CLI_ONLY,
         "With --pcs: put secret values in the commands"},
};

const size_t option_count = sizeof(option_table) / sizeof(option_table[0]);

const struct option_spec *
option_find(const char *name)
{
	if (strcmp(name, "option") == 0) /* FenceAgentAPI's old name */
		name = "action";
	for (size_t i = 0; i < option_count; i++)
		if (strcmp(option_table[i].name, name) == 0)
			return &option_table[i];
	return NULL;
}

int
option_is_shim_only(const char *name)
{
	return option_find(name) != NULL && strcmp(name, "nodename") != 0;
}

int
params_set(struct params *p, const char *name, const char *value)
{
	for (size_t i = 0; i < p->n; i++) {
		if (strcmp(p->v[i].name, name) == 0) {
			free(p->v[i].value);
			p->v[i].value = xstrdup(value);
			return 0;
		}
	}
	if (p->n == MAX_PARAMS) {
		log_error("more than %d parameters", MAX_PARAMS);
		return -1;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->v = xrealloc(p->v, p->cap * sizeof(*p->v));
	}
	p->v[p->n].name = xstrdup(name);
	p->v[p->n].value = xstrdup(value);
	p->n++;
	return 0;
}

const char *
params_get(const struct params *p, const char *name)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->v[i].name, name) == 0)
			return p->v[i].value;
	return NULL;
}

void
params_free(struct params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

int
name_is_valid(const char *name)
{
	if (!(isalpha((unsigned char)name[0]) || name[0] == '_'))
		return 0;
	for (const char *c = name + 1; *c; c++)
		if (!(isalnum((unsigned char)*c) || *c == '_'))
			return 0;
	return 1;
}

/* Quote at most 40 bytes of S for an error message. */
static char *
excerpt(const char *s, size_t len)
{
	size_t n = len > 40 ? 40 : len;
	char *e = xmalloc(n * 4 + 4);
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			e[o++] = (char)c;
		else
			o += (size_t)sprintf(e + o, "\\x%02x", c);
	}
	if (len > n) {
		memcpy(e + o, "...", 3);
		o += 3;
	}
	e[o] = '\0';
	return e;
}

/* Store NAME=VALUE, mapping the alias "option" to "action", and register
 * the value as a secret if the name looks like one. */
static int
store(struct request *req, const char *name, const char *value)
{
	const char *before;

	if (strcmp(name, "option") == 0)
		name = "action";
	/* action=reboot then option=on must not quietly run "on". */
	before = option_find(name) ? params_get(&req->all, name) : NULL;
	if (before != NULL && strcmp(before, value) != 0) {
		char *b = excerpt(before, strlen(before)),
		     *v = excerpt(value, strlen(value));

		log_error("option '%s' given twice with different values "
		          "('%s', then '%s')",
		          name, b, v);
		free(b);
		free(v);
		return -1;
	}
	if (log_name_is_secret(name))
		log_add_secret(value);
	return params_set(&req->all, name, value);
}

/* Parse one stdin line (LEN bytes, no newline). */
static int
stdin_line(struct request *req, char *line, size_t len, unsigned long lineno)
{
	char *start = line, *end = line + len, *eq, *value;

	if (memchr(line, '\0', len) != NULL) {
		log_error("stdin line %lu: contains a NUL byte", lineno);
		return -1;
	}
	while (start < end && isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	if (start == end || *start == '#')
		return 0;

	eq = strchr(start, '=');
	if (eq == NULL) {
		const struct option_spec *o = option_find(start);

		/* fence-agents accept a bare name for an on/off option. */
		if (o != NULL && o->type == OT_BOOLEAN &&
		    !(o->flags & OF_CLI_ONLY))
			return store(req, start, "1");
		/* Quote only the first word: "passwd S3cr3t" is a typo that
		 * holds a secret no mask knows yet. */
		char *e = excerpt(start, strcspn(start, " \t"));
		log_error("stdin line %lu: expected name=value, got a line "
		          "starting '%s' without '='",
		          lineno, e);
		free(e);
		return -1;
	}
	/* "name = value" as a person may type it. */
	value = eq + 1;
	while (*value && isspace((unsigned char)*value))
		value++;
	while (eq > start && isspace((unsigned char)eq[-1]))
		eq--;
	*eq = '\0';
	if (*start == '\0') {
		log_error("stdin line %lu: empty parameter name", lineno);
		return -1;
	}
	if (!name_is_valid(start)) {
		char *e = excerpt(start, strlen(start));
		log_error("stdin line %lu: '%s' is not a valid parameter name "
		          "(letters, digits and _ only)",
		          lineno, e);
		free(e);
		return -1;
	}
	const struct option_spec *o = option_find(start);
	if (o != NULL && (o->flags & OF_CLI_ONLY)) {
		log_error("stdin line %lu: '%s' is a command-line option only",
		          lineno, start);
		return -1;
	}
	return store(req, start, value);
}

int
options_read_stdin(FILE *fp, struct request *req)
{
	char *line = xmalloc(STDIN_MAX_LINE + 1);
	size_t len = 0, total = 0;
	unsigned long lineno = 1;
	int c, rc = 0;

	while ((c = getc(fp)) != EOF) {
		if (++total > STDIN_MAX_BYTES) {
			log_error("stdin: more than %d bytes", STDIN_MAX_BYTES);
			rc = -1;
			break;
		}
		if (c == '\n') {
			if (stdin_line(req, line, len, lineno) < 0) {
				rc = -1;
				break;
			}
			len = 0;
			lineno++;
			continue;
		}
		if (len == STDIN_MAX_LINE) {
			log_error("stdin line %lu: longer than %d bytes",
			          lineno, STDIN_MAX_LINE);
			rc = -1;
			break;
		}
		line[len++] = (char)c;
	}
	if (rc == 0 && ferror(fp)) {
		log_error("cannot read stdin: %s", strerror(errno));
		rc = -1;
	}
	if (rc == 0 && len > 0)
		rc = stdin_line(req, line, len, lineno);
	free(line);
	return rc;
}

/* The table entry for short option letter L, or NULL. */
static const struct option_spec *
find_letter(char l)
{
	for (size_t i = 0; i < option_count; i++)
		if (option_table[i].letter == l)
			return &option_table[i];
	return NULL;
}

int
options_parse_argv(int argc, char *const argv[], struct request *req)
{
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const struct option_spec *o;
		char *name;
		const char *value = NULL;

		if (arg[0] != '-' || arg[1] == '\0') {
			log_error("unexpected argument '%s' (see --help)", arg);
			return -1;
		}
		if (arg[1] != '-') {
			/* Short options: -v, -o ACTION, -oACTION, -vo ACTION.
			 */
			for (const char *l = arg + 1; *l; l++) {
				o = find_letter(*l);
				if (o == NULL) {
					log_error("unknown option '-%c' (see "
					          "--help)",
					          *l);
					return -1;
				}
				if (o->type == OT_BOOLEAN) {
					if (store(req, o->name, "1") < 0)
						return -1;
					continue;
				}
				if (l[1] != '\0')
					value = l + 1;
				else if (i + 1 < argc)
					value = argv[++i];
				else {
					log_error("option '-%c' needs a value",
					          *l);
					return -1;
				}
				if (store(req, o->name, value) < 0)
					return -1;
				break;
			}
			continue;
		}

		/* --name[=value]; '-' and '_' are the same in names. */
		const char *eq = strchr(arg + 2, '=');
		name = eq ? xstrndup(arg + 2, (size_t)(eq - arg - 2))
		          : xstrdup(arg + 2);
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		if (*name == '\0' || !name_is_valid(name)) {
			log_error("'%s' is not a valid option name", arg);
			free(name);
			return -1;
		}
		o = option_find(name);
		if (eq != NULL) {
			value = eq + 1;
		} else if (o != NULL && o->type == OT_BOOLEAN) {
			value = "1";
		} else if (i + 1 < argc) {
			/* "--name value", as every fence-agents agent takes
			 * it (--ip X), plugin parameters included. */
			value = argv[++i];
		} else {
			log_error("option '%s' needs a value: %s VALUE or "
			          "%s=VALUE",
			          arg, arg, arg);
			free(name);
			return -1;
		}
		int rc = store(req, name, value);
		free(name);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* 0 if TARGET may name a node, else -1 after a one-line error: a name
 * starting with '-' would be an option to the plugin's tools (port=--help,
 * port=-oProxyCommand=...), a control character would forge lines. */
static int
target_refused(const char *target)
{
	const char *why = NULL;
	char *e;

	if (target[0] == '-')
		why = "a node name never starts with '-'";
	for (const char *c = target; why == NULL && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			why = "it holds a control character";
	if (why == NULL)
		return 0;
	e = excerpt(target, strlen(target));
	log_error("target '%s' refused: %s", e, why);
	free(e);
	return -1;
}

/* Parse a decimal in [MIN, MAX] from VALUE of option NAME into *OUT. */
static int
parse_long(const char *name, const char *value, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max) {
		log_error("%s='%s' is not a whole number from %ld to %ld", name,
		          value, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

static int
parse_bool(const char *name, const char *value, int *out)
{
	static const char *const yes[] = {"", "1", "yes", "true", "on", "y"};
	static const char *const no[] = {"0", "no", "false", "off", "n"};

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcasecmp(value, yes[i]) == 0)
			return *out = 1, 0;
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (strcasecmp(value, no[i]) == 0)
			return *out = 0, 0;
	log_error("%s='%s' is not a boolean (1/0, yes/no, true/false, on/off)",
	          name, value);
	return -1;
}

/* The value of NAME in A, else its default in the option table. */
static const char *
value_or_default(const struct params *a, const char *name)
{
	const char *v = params_get(a, name);

	return v != NULL ? v : option_find(name)->def;
}

int
request_finish(struct request *req)
{
	const struct params *a = &req->all;
	const char *v;

	req->action = value_or_default(a, "action");
	if ((v = params_get(a, "port")) != NULL && *v)
		req->target = v;
	else if ((v = params_get(a, "plug")) != NULL && *v)
		req->target = v;
	else if ((v = params_get(a, "nodename")) != NULL && *v)
		req->target = v;
	if (req->target != NULL && target_refused(req->target) < 0)
		return -1;
	/* nodename reaches every plugin, target or not: the same rule. */
	if ((v = params_get(a, "nodename")) != NULL && *v && v != req->target &&
	    target_refused(v) < 0)
		return -1;
	req->plugin = params_get(a, "plugin");
	req->debug_file = params_get(a, "debug_file");
	req->check_plugin = params_get(a, "check");
	req->link_plugin = params_get(a, "link");
	req->convert_cib = params_get(a, "convert_cib");

	/* Values not given take the table's defaults, checked the same way. */
	struct {
		const char *name;
		long min, max;
		long *field;
	} numbers[] = {
	        {"delay", 0, 3600, &req->delay},
	        {"retry_on", 1, 100, &req->retry_on},
	        {"plugin_timeout", 1, 86400, &req->plugin_timeout},
	};
	for (size_t i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++) {
		v = value_or_default(a, numbers[i].name);
		if (parse_long(numbers[i].name, v, numbers[i].min,
		               numbers[i].max, numbers[i].field) < 0)
			return -1;
	}
	v = value_or_default(a, "method");
	if (strcmp(v, "cycle") == 0)
		req->method = METHOD_CYCLE;
	else if (strcmp(v, "onoff") == 0)
		req->method = METHOD_ONOFF;
	else {
		const char *const *c = option_find("method")->choices;

		log_error("method='%s' is not one of: %s, %s", v, c[0], c[1]);
		return -1;
	}
	struct {
		const char *name;
		int *field;
	} flags[] = {
	        {"verbose", &req->verbose},
	        {"keep_case", &req->keep_case},
	        {"help", &req->help},
	        {"version", &req->version},
	        {"list_plugins", &req->list_plugins},
	        {"link_all", &req->link_all},
	        {"pcs", &req->convert_pcs},
	        {"show_secrets", &req->show_secrets},
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		if ((v = params_get(a, flags[i].name)) &&
		    parse_bool(flags[i].name, v, flags[i].field) < 0)
			return -1;
	return 0;
}

void
request_free(struct request *req)
{
	params_free(&req->all);
}

void
options_usage(FILE *fp, const char *progname, int generic)
{
	fprintf(fp,
	        "Usage: %s [OPTION]... [--PARAMETER=VALUE]...\n"
	        "       %s < FILE-OF-name=value-LINES\n\n"
	        "RHCS fence agent that runs a Heartbeat (cluster-glue "
	        "external) "
	        "STONITH plugin.\n",
	        progname, progname);
	if (generic)
		fprintf(fp, "The plugin is chosen with --plugin=NAME, or by "
		            "calling this program as fence_hb_NAME.\n");
	fprintf(fp, "Any other --PARAMETER=VALUE is passed to the plugin as "
	            "an environment variable\nif the plugin declares it "
	            "(getinfo-xml, getconfignames), else refused.\nCommand "
	            "lines show in ps: give secrets on stdin.\n\nOptions:\n");
	for (size_t i = 0; i < option_count; i++) {
		const struct option_spec *o = &option_table[i];
		char head[64], dashed[32];
		size_t k;

		if ((o->flags & OF_HIDDEN) ||
		    ((o->flags & OF_GENERIC_ONLY) && !generic))
			continue;
		for (k = 0; k < sizeof(dashed) - 1 && o->name[k]; k++)
			dashed[k] = o->name[k] == '_' ? '-' : o->name[k];
		dashed[k] = '\0';
		if (o->letter)
			snprintf(head, sizeof(head), "-%c, --%s%s%s", o->letter,
			         dashed, o->argname ? "=" : "",
			         o->argname ? o->argname : "");
		else
			snprintf(head, sizeof(head), "    --%s%s%s", dashed,
			         o->argname ? "=" : "",
			         o->argname ? o->argname : "");
		fprintf(fp, "  %-30s %s", head, o->desc);
		if (o->def)
			fprintf(fp, " (default: %s)", o->def);
		fputc('\n', fp);
	}
	fprintf(fp,
	        "\nExit status: 0 on success, 1 on any failure. There is no "
	        "\"off\" status:\na Heartbeat plugin cannot tell a node's "
	        "power state.\n");
}

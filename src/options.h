/*
 * options.h - the one option table, and the parsers that fill a request
 * from stdin (name=value lines, as Pacemaker writes them) or from a
 * command line (as a person types it).
 *
 * The table drives parsing, --help, the metadata's shim parameters and
 * the generated man page; nothing else lists the shim's options.
 */
#ifndef HBWRAP_OPTIONS_H
#define HBWRAP_OPTIONS_H

#include <stddef.h>
#include <stdio.h>

/* Limits on what the shim reads from its caller. */
#define STDIN_MAX_BYTES (1024 * 1024)
#define STDIN_MAX_LINE  65536
#define MAX_PARAMS      1024

enum opt_type { OT_STRING, OT_BOOLEAN, OT_INTEGER, OT_SECOND, OT_SELECT };

enum opt_flags {
	OF_GENERIC_ONLY = 1 << 0, /* offered only by the generic name */
	OF_CLI_ONLY = 1 << 1,     /* command line only, never in metadata */
	OF_HIDDEN = 1 << 2,       /* accepted, not advertised */
	OF_DEPRECATED = 1 << 3,   /* advertised as deprecated="1" */
	OF_FIRST = 1 << 4,        /* listed before the plugin's parameters */
};

struct option_spec {
	const char *name;           /* stdin name; --name on the command line */
	char letter;                /* short option letter, or 0 */
	enum opt_type type;         /* metadata content type */
	const char *def;            /* default value, or NULL */
	const char *const *choices; /* OT_SELECT: values, NULL-terminated */
	const char *argname;        /* placeholder in --help and getopt */
	const char *obsoletes;      /* metadata obsoletes=, or NULL */
	unsigned flags;
	const char *desc; /* one sentence: --help, metadata, man page */
};

extern const struct option_spec option_table[];
extern const size_t option_count;

/* Table entry for NAME (after alias mapping), or NULL. */
const struct option_spec *option_find(const char *name);

/* Ordered name=value list; setting a name again replaces its value. */
struct param {
	char *name;
	char *value;
};

struct params {
	struct param *v;
	size_t n, cap;
};

/* Set NAME to VALUE (both copied); the last value of a name wins.
 * Returns 0, or -1 after reporting if MAX_PARAMS would be exceeded. */
int params_set(struct params *p, const char *name, const char *value);
const char *params_get(const struct params *p, const char *name);
void params_free(struct params *p);

/* Non-zero if NAME is [A-Za-z_][A-Za-z0-9_]*. */
int name_is_valid(const char *name);

enum method { METHOD_CYCLE, METHOD_ONOFF };

/* Everything one invocation was asked to do. */
struct request {
	struct params all;  /* every name=value received, last wins */
	const char *action; /* points into all, or the default */
	const char *target; /* port, else plug, else nodename; or NULL */
	const char *plugin; /* plugin= value, or NULL */
	const char *debug_file;
	int verbose;
	long delay;          /* seconds before a fencing action */
	long retry_on;       /* attempts of a fencing action */
	long plugin_timeout; /* seconds per plugin call */
	enum method method;
	int keep_case; /* pass the target as given, not lowercased */
	int help, version;
	int list_plugins; /* admin helpers (command line only) */
	const char *check_plugin;
	const char *link_plugin;
	int link_all;
	const char *convert_cib; /* --convert-cib FILE, --pcs, --show-secrets */
	int convert_pcs, show_secrets;
};

/*
 * Read name=value lines from FP into REQ->all (see fence-agents'
 * FenceAgentAPI: # comments and blank lines skipped, surrounding blanks
 * stripped, "option" is an old name of "action"). Bounded by
 * STDIN_MAX_BYTES, STDIN_MAX_LINE and MAX_PARAMS.
 * Returns 0, or -1 after a one-line error naming the line and cause.
 */
int options_read_stdin(FILE *fp, struct request *req);

/*
 * Parse a command line (argv[1..]) into REQ->all.
 * Returns 0, or -1 after a one-line error.
 */
int options_parse_argv(int argc, char *const argv[], struct request *req);

/*
 * Check values of the shim's own options and fill REQ's typed fields.
 * Returns 0, or -1 after a one-line error naming the option.
 */
int request_finish(struct request *req);

/* Non-zero if NAME is one of the shim's own options (not for a plugin),
 * "nodename" excepted: that one is passed to the plugin too. */
int option_is_shim_only(const char *name);

void request_free(struct request *req);

/* Print --help for PROGNAME; GENERIC selects the fence_hbwrap form. */
void options_usage(FILE *fp, const char *progname, int generic);

#endif

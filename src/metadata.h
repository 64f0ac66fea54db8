/*
 * metadata.h - what a plugin says about itself (getinfo-*, getconfignames)
 * and the RHCS metadata we write from it.
 *
 * Three files share this interface, one concern each:
 *   metadata.c  running the informational operations and deciding what
 *               to make of each answer (fallbacks, the plugin's flaws);
 *   metaread.c  reading the plugin's getinfo-xml (hardened libxml2);
 *   metawrite.c writing RHCS metadata (xmlTextWriter).
 *
 * The rule: a flaw of the plugin's self-description is never a missing
 * agent. A runnable plugin always gets metadata (with every action we
 * support); what it got wrong is listed in plugin_info.problems, which
 * -o metadata prints as warnings and --check counts as problems.
 */
#ifndef HBWRAP_METADATA_H
#define HBWRAP_METADATA_H

#include <stddef.h>

#include "options.h"
#include "run.h"

/* A description in one language: the plugin's shortdesc and longdesc
 * folded into one text (fence-agents' schema has only shortdesc). */
struct meta_desc {
	char *lang;
	char *text;
};

struct meta_param {
	char *name;
	enum opt_type type;
	char *def;      /* default, or NULL */
	char **choices; /* OT_SELECT values, NULL-terminated, or NULL */
	int required;   /* the plugin's XML said required="1" */
	int unique;
	int described;   /* getinfo-xml describes it */
	int listed;      /* getconfignames names it */
	int shim_option; /* also a shim option's name: the metadata offers
	                    the shim's option, not this parameter */
	struct meta_desc *descs;
	size_t ndescs;
};

struct plugin_info {
	char *name;  /* bare plugin name */
	char *devid; /* getinfo-devid, whitespace normalised; may be "" */
	char *devdescr;
	char *devurl;
	struct meta_param *params;
	size_t nparams;
	int xml_usable;  /* getinfo-xml gave parameters (maybe by recovery) */
	char **problems; /* what the plugin got wrong, one line each */
	size_t nproblems;
};

/* The informational operations, in the order of meta_ops[]. */
enum meta_op {
	MOP_XML,
	MOP_DEVID,
	MOP_DEVDESCR,
	MOP_DEVURL,
	MOP_CONFIGNAMES,
	MOP_DEVNAME, /* only --check asks: nothing in the metadata shows it */
	MOP_COUNT
};
extern const char *const meta_ops[MOP_COUNT];

/* Sets of operations: what each use of a plugin's description needs. */
#define MOP_BIT(op) (1u << (op))
#define MOPS_METADATA                                                          \
	(MOP_BIT(MOP_XML) | MOP_BIT(MOP_DEVID) | MOP_BIT(MOP_DEVDESCR) |       \
	 MOP_BIT(MOP_DEVURL) | MOP_BIT(MOP_CONFIGNAMES))
/* The generic agent: parameters and a one-line name per plugin. */
#define MOPS_GENERIC                                                           \
	(MOP_BIT(MOP_XML) | MOP_BIT(MOP_DEVID) | MOP_BIT(MOP_CONFIGNAMES))
/* validate-all: the parameters, nothing descriptive. */
#define MOPS_VALIDATE (MOP_BIT(MOP_XML) | MOP_BIT(MOP_CONFIGNAMES))
#define MOPS_ALL      ((1u << MOP_COUNT) - 1)

/*
 * Seconds an informational operation may take: PLUGIN_TIMEOUT, but at
 * most META_TIMEOUT. pacemaker-fenced gives an agent's metadata 10 s in
 * all; a hanging getinfo-xml must leave time for the answer.
 */
#define META_TIMEOUT 5
long meta_timeout(long plugin_timeout);

/* How informational call C, bounded by TIMEOUT (meta_timeout()), ended:
 * run_call_describe(), but a timeout names that bound. Caller frees. */
char *meta_call_describe(const struct run_call *c, long timeout);

/*
 * Fill INFO (always; free it with meta_info_free) from the finished calls
 * CALLS[op] for each op in OPS, CALLS being indexed by enum meta_op.
 * Whatever they said, INFO describes what can be known: parameters from
 * getinfo-xml (recovered if ill-formed), else from getconfignames, else
 * none; each flaw found is added to INFO->problems.
 */
void meta_from_calls(const char *name, const struct run_call *calls,
                     unsigned ops, long timeout, struct plugin_info *info);

/*
 * Run the operations OPS of the plugin at PATH concurrently (each bounded
 * by meta_timeout(TIMEOUT)) and fill INFO as meta_from_calls() does.
 * Returns 0, or -1 after a one-line error when the plugin cannot be run
 * at all (the calls could not start, getinfo-xml could not be executed,
 * or the shim was interrupted); INFO needs meta_info_free() either way.
 */
int meta_collect(const char *name, const char *path, char *const envp[],
                 long timeout, unsigned ops, struct plugin_info *info);

/* Print each of INFO's problems as one warning line. */
void meta_warn_problems(const struct plugin_info *info);

/*
 * Apply getconfignames output NAMES: names the XML lacks are added as
 * optional parameters. Names say nothing of required-ness. Output that
 * is not a list of valid names (names run together, or other text) is
 * added to INFO->problems and not used at all.
 */
void meta_apply_confignames(struct plugin_info *info, const char *names);

void meta_info_free(struct plugin_info *info);

/* ---- shared by metadata.c, metaread.c and metawrite.c ----------------- */

/* Add a problem line (printf format) to INFO. */
void meta_problem(struct plugin_info *info, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));

/* INFO's parameter NAME, or NULL. */
struct meta_param *meta_param_find(const struct plugin_info *info,
                                   const char *name);

/* Append a new parameter NAME (copied) to INFO, zeroed otherwise. */
struct meta_param *meta_param_add(struct plugin_info *info, const char *name);

/* Replace, in place, every byte that does not start a valid UTF-8
 * character allowed in XML text with '?' (plugins print what they like;
 * our metadata must stay well-formed). */
void meta_clean_text(char *s);

/* Collapse runs of white space to one blank and trim; in place. */
void meta_normalise_space(char *s);

/*
 * Parse the plugin's getinfo-xml output (LEN bytes) into INFO's params.
 * Hardened: no network, no DTD, no entities, bounded depth. Returns 0
 * when it was well-formed; 1 when it was not but libxml2's recovery
 * read parameters from it; -1 when it is unusable. For 1 and -1, *WHY
 * gets a newly allocated reason.
 */
int meta_parse_params(const char *xml, size_t len, struct plugin_info *info,
                      char **why);

/*
 * Write RHCS metadata for AGENT (the name we were called as) into a new
 * NUL-terminated buffer *OUT (caller frees). INFOS[0..N) are the wrapped
 * plugins: one for a per-plugin name; for the generic name every usable
 * plugin, whose parameters are offered as a union. GENERIC adds the
 * plugin parameter and symlink entries. Returns 0, or -1 after an error.
 */
int meta_write(const char *agent, const struct plugin_info *infos, size_t n,
               int generic, char **out, size_t *outlen);

#endif

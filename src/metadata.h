/*
 * metadata.h - what a plugin says about itself (getinfo-*, getconfignames)
 * and the RHCS metadata we write from it.
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
	int required;
	int unique;
	int has_required; /* the plugin's XML said required= */
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
};

/* Replace, in place, every byte that does not start a valid UTF-8
 * character allowed in XML text with '?' (plugins print what they like;
 * our metadata must stay well-formed). */
void meta_clean_text(char *s);

/* Collapse runs of white space to one blank and trim; in place. */
void meta_normalise_space(char *s);

/*
 * Parse the plugin's getinfo-xml output (LEN bytes) into INFO's params.
 * Hardened: no network, no DTD, no entities, bounded depth. Returns 0,
 * or -1 and a newly allocated reason in *WHY.
 */
int meta_parse_params(const char *xml, size_t len, struct plugin_info *info,
                      char **why);

/*
 * Apply getconfignames output: names the XML lacks are added (optional);
 * if the XML said nothing of required-ness, listed names without a
 * default become required.
 */
void meta_apply_confignames(struct plugin_info *info, const char *names);

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

/*
 * Fill INFO (always; free it with meta_info_free) from finished calls
 * CALLS[0..N) of meta_ops[] (N is MOP_DEVID + 1, MOP_DEVNAME or MOP_COUNT).
 * Returns 0, or -1 and a newly allocated reason in *WHY when getinfo-xml failed
 * or said something unusable.
 */
int meta_from_calls(const char *name, const struct run_call *calls, size_t n,
                    long timeout, struct plugin_info *info, char **why);

/*
 * Run the plugin's informational operations concurrently and fill INFO.
 * FULL adds getinfo-devdescr, -devurl and getconfignames.
 * Returns 0, or -1 after a one-line error naming the plugin, the
 * operation and the cause.
 */
int meta_collect(const char *name, const char *path, char *const envp[],
                 long timeout, int full, struct plugin_info *info);

/*
 * Write RHCS metadata for AGENT (the name we were called as) into a new
 * NUL-terminated buffer *OUT (caller frees). INFOS[0..N) are the wrapped
 * plugins: one for a per-plugin name; for the generic name every usable
 * plugin, whose parameters are offered as a union. GENERIC adds the
 * plugin parameter and symlink entries. Returns 0, or -1 after an error.
 */
int meta_write(const char *agent, const struct plugin_info *infos, size_t n,
               int generic, char **out, size_t *outlen);

void meta_info_free(struct plugin_info *info);

#endif

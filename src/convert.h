/*
 * convert.h - fence_hbwrap --convert-cib: a Debian/Ubuntu CIB whose
 * fencing devices are cluster-glue plugins (stonith:external/NAME) made
 * into one whose devices are this shim (stonith:fence_hb_NAME), with a
 * report of what an administrator must still do, or the pcs commands
 * that recreate the devices on a fresh cluster.
 *
 *   convert.c        reading the CIB (hardened) and what it holds
 *   convert_splice.c the rewrite: only the type attributes change
 *   convert_report.c the report on stderr, device by device
 *   convert_pcs.c    --pcs: pcs stonith create / level add commands
 */
#ifndef HBWRAP_CONVERT_H
#define HBWRAP_CONVERT_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"

/* Bounds on the CIB we read (the metadata path's rules, sized for a CIB:
 * a big cluster's CIB with its status section is a few MiB). */
#define CONVERT_MAX_BYTES (32 * 1024 * 1024)
#define CONVERT_MAX_DEPTH 64

/* name=value pairs in document order (the params struct would merge
 * repeated names; a CIB may repeat them across sets). */
struct cv_pair {
	char *name;
	char *value;
};

struct cv_pairs {
	struct cv_pair *v;
	size_t n, cap;
};

/* One <op>: its name and its other attributes (id left out). */
struct cv_op {
	char *name;
	struct cv_pairs attrs;
};

/* One class="stonith" primitive (or template) of the resources. */
struct cv_device {
	char *id;
	char *type;             /* as the CIB has it */
	char *agent;            /* fence_hb_NAME, or NULL: not converted */
	char *plugin;           /* NAME of external/NAME, or NULL */
	char *instead;          /* fence-agents agent to use instead, or NULL */
	const char *why_not;    /* why it is not converted, or NULL */
	const char *element;    /* "primitive" or "template" */
	size_t index;           /* pre-order number of its element */
	struct cv_pairs params; /* every instance_attributes nvpair */
	struct cv_pairs meta;   /* every meta_attributes nvpair */
	struct cv_op *ops;
	size_t nops;
	const char *pcs_limit; /* what --pcs cannot recreate, or NULL */
};

/* One <fencing-level>, its target already in pcs's words. */
struct cv_level {
	char *index;
	char *target; /* node, regexp%PATTERN or attrib%NAME=VALUE */
	char *devices;
};

struct cv_cib {
	struct cv_device *dev;
	size_t ndev, devcap;
	struct cv_level *lvl;
	size_t nlvl, lvlcap;
	size_t nconverted;
};

/* A set of strings, not copied (they must outlive it), so that every
 * pass over a CIB's names stays linear however many it holds. Start it
 * zeroed. */
struct cv_set {
	const char **slot;
	size_t n, cap;
};

/* Add S to SET: 1 if it was not there, 0 if it was. */
int cv_set_add(struct cv_set *set, const char *s);
int cv_set_has(const struct cv_set *set, const char *s);
void cv_set_free(struct cv_set *set);

/* The array V (elements of SIZE bytes, *CAP allocated) with room for
 * element N: V itself, or V moved to twice the room when it is full. */
void *cv_grow(void *v, size_t *cap, size_t n, size_t size);

/*
 * Read FILE ("-" for stdin) whole, NUL-terminated, at most
 * CONVERT_MAX_BYTES. Returns 0, or -1 and a newly allocated one-line
 * reason in *WHY.
 */
int convert_read(const char *file, char **text, size_t *len, char **why);

/*
 * Parse the CIB at TEXT (LEN bytes) with the hardened rules (no DTD, no
 * entities, no network, no NUL, depth at most CONVERT_MAX_DEPTH) and
 * fill CIB with its fencing devices and levels. Returns the document
 * (an xmlDocPtr, freed by the caller with convert_doc_free()), or NULL
 * and a newly allocated one-line reason in *WHY.
 */
void *convert_parse(const char *text, size_t len, struct cv_cib *cib,
                    char **why);
/* The parse alone, same rules: the document, or NULL and *WHY. */
void *convert_parse_doc(const char *text, size_t len, char **why);
void convert_doc_free(void *doc);
void convert_cib_free(struct cv_cib *cib);

/* The element after N in document order (both libxml2 xmlNodePtr), or
 * NULL; *DEPTH follows the move (+1 down, -1 per level up). */
struct _xmlNode *convert_next_element(struct _xmlNode *n, int *depth);

/*
 * The rule for one device type: sets DEV's agent and plugin for
 * external/NAME, else its why_not and the agent to use instead.
 */
void convert_classify(struct cv_device *dev);

/*
 * TEXT (LEN bytes, parsed as DOC by convert_parse into CIB) with the
 * type attribute of every converted device replaced, every other byte
 * kept. The result is parsed again and compared with DOC: only those
 * attributes may differ. Returns a new NUL-terminated text (*OUTLEN
 * bytes), or NULL and a newly allocated reason in *WHY.
 */
char *convert_splice(const char *text, size_t len, void *doc,
                     const struct cv_cib *cib, size_t *outlen, char **why);

/* Write the report on FP: per device, what it becomes and what is left
 * to do; never a secret value. REQ carries plugin_timeout for --check. */
void convert_report(FILE *fp, const struct request *req,
                    const struct cv_cib *cib);

/* Why --pcs cannot write commands for CIB, as a new one-line string, or
 * NULL: a word of a command (an id, a name, an op, a level's index,
 * target or devices) that pcs could read as an option, or that is not
 * a valid CIB id or name, or a device id given twice. */
char *convert_pcs_problem(const struct cv_cib *cib);

/* The pcs commands that recreate CIB's converted devices and levels,
 * as a new string (NULL if convert_pcs_problem() has a reason); secrets
 * only if SHOW_SECRETS, else taken from an environment variable the
 * commands refuse to run without, one distinct variable per secret.
 * What the reader must do besides (set those variables, add a level by
 * hand) goes to NOTES. */
char *convert_pcs(const struct cv_cib *cib, int show_secrets, FILE *notes);

/* Quote S as one word for a POSIX shell (a new string). */
char *convert_shell_quote(const char *s);

/* fence_hbwrap --convert-cib FILE [--pcs [--show-secrets]]: the exit
 * code; nothing on stdout unless the whole output is ready. --pcs or
 * --show-secrets alone, or --show-secrets without --pcs, is an error. */
int convert_main(const struct request *req);

#endif

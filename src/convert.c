/*
 * convert.c - fence_hbwrap --convert-cib: read the CIB with the hardened
 * rules of the metadata path, find its fencing devices and levels, and
 * decide what each device becomes.
 */
#define _GNU_SOURCE
#include "convert.h"

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml.h"

#include "actions.h"
#include "log.h"
#include "plugin.h"
#include "xalloc.h"

#define TEXT_OF(n) #n
#define TEXT(n)    TEXT_OF(n)
#define DEPTH_TEXT TEXT(CONVERT_MAX_DEPTH)

int
convert_read(const char *file, char **text, size_t *len, char **why)
{
	int is_stdin = strcmp(file, "-") == 0;
	FILE *fp = is_stdin ? stdin : fopen(file, "r");
	const char *shown = is_stdin ? "stdin" : file;
	size_t cap = 65536, n = 0, got;
	char *buf;

	if (fp == NULL) {
		*why = xasprintf("cannot open %s: %s", shown, strerror(errno));
		return -1;
	}
	buf = xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, fp)) > 0) {
		n += got;
		if (n > CONVERT_MAX_BYTES)
			break;
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap + 1);
		}
	}
	*why = ferror(fp)
	               ? xasprintf("cannot read %s: %s", shown, strerror(errno))
	       : n > CONVERT_MAX_BYTES
	               ? xasprintf("%s is larger than %d MiB", shown,
	                           CONVERT_MAX_BYTES >> 20)
	       : n == 0 ? xasprintf("%s is empty", shown)
	                : NULL;
	if (!is_stdin)
		fclose(fp);
	if (*why != NULL) {
		free(buf);
		return -1;
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

struct _xmlNode *
convert_next_element(struct _xmlNode *n, int *depth)
{
	for (xmlNodePtr c = n->children; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			(*depth)++;
			return c;
		}
	for (; n != NULL && n->type == XML_ELEMENT_NODE;
	     n = n->parent, (*depth)--)
		for (xmlNodePtr s = n->next; s != NULL; s = s->next)
			if (s->type == XML_ELEMENT_NODE)
				return s;
	return NULL;
}

/* Non-zero if N is an element called NAME. */
static int
is(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       xmlStrcmp(n->name, BAD_CAST name) == 0;
}

/* Attribute NAME of N as a new string (caller frees), or NULL. */
static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? xstrdup((const char *)v) : NULL;

	if (v)
		xmlFree(v);
	return s;
}

static int
has_prop(xmlNodePtr n, const char *name)
{
	char *v = prop(n, name);

	free(v);
	return v != NULL;
}

/* The first child element of N called NAME, or NULL. */
static xmlNodePtr
child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

void *
cv_grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? *cap * 2 : 8;
	return xrealloc(v, *cap * size);
}

/* FNV-1a: a good enough spread for names, and no allocation. */
static size_t
hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return (size_t)h;
}

/* The slot of SET (cap > 0) that holds S or is where it would go. */
static size_t
slot_of(const struct cv_set *set, const char *s)
{
	size_t i = hash(s) & (set->cap - 1);

	while (set->slot[i] != NULL && strcmp(set->slot[i], s) != 0)
		i = (i + 1) & (set->cap - 1);
	return i;
}

int
cv_set_has(const struct cv_set *set, const char *s)
{
	return set->cap > 0 && set->slot[slot_of(set, s)] != NULL;
}

int
cv_set_add(struct cv_set *set, const char *s)
{
	size_t at;

	if (2 * (set->n + 1) > set->cap) {
		struct cv_set bigger = {NULL, 0, set->cap ? set->cap * 2 : 16};

		bigger.slot = xcalloc(bigger.cap, sizeof(*bigger.slot));
		for (size_t i = 0; i < set->cap; i++)
			if (set->slot[i] != NULL)
				bigger.slot[slot_of(&bigger, set->slot[i])] =
				        set->slot[i];
		bigger.n = set->n;
		free(set->slot);
		*set = bigger;
	}
	if (set->slot[at = slot_of(set, s)] != NULL)
		return 0;
	set->slot[at] = s;
	set->n++;
	return 1;
}

void
cv_set_free(struct cv_set *set)
{
	free(set->slot);
	memset(set, 0, sizeof(*set));
}

static void
pairs_add(struct cv_pairs *p, char *name, char *value)
{
	p->v = cv_grow(p->v, &p->cap, p->n, sizeof(*p->v));
	p->v[p->n].name = name;
	p->v[p->n].value = value;
	p->n++;
}

static void
pairs_free(struct cv_pairs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].value);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/*
 * Add the nvpairs of every SET child of E (instance_attributes or
 * meta_attributes) to OUT. Returns what --pcs cannot say of them (a
 * rule, a reference, several sets, a name twice), or NULL.
 */
static const char *
read_sets(xmlNodePtr e, const char *set, struct cv_pairs *out)
{
	const char *limit = NULL;
	struct cv_set names = {NULL, 0, 0};
	int nsets = 0;

	for (xmlNodePtr s = e->children; s; s = s->next) {
		if (!is(s, set))
			continue;
		if (++nsets > 1 || child(s, "rule") || has_prop(s, "id-ref"))
			limit = "rules, references or several sets of "
			        "attributes";
		for (xmlNodePtr v = s->children; v; v = v->next) {
			char *name = is(v, "nvpair") ? prop(v, "name") : NULL;

			if (name == NULL)
				continue;
			if (!cv_set_add(&names, name))
				limit = "an attribute set twice";
			pairs_add(out, name, prop(v, "value"));
			if (out->v[out->n - 1].value == NULL)
				out->v[out->n - 1].value = xstrdup("");
		}
	}
	cv_set_free(&names);
	return limit;
}

/* Read E's operations into DEV. */
static void
read_ops(xmlNodePtr e, struct cv_device *dev)
{
	xmlNodePtr ops = child(e, "operations");
	size_t opcap = 0;

	for (xmlNodePtr o = ops ? ops->children : NULL; o; o = o->next) {
		struct cv_op *op;

		if (!is(o, "op"))
			continue;
		if (o->children != NULL && child(o, "instance_attributes"))
			dev->pcs_limit = "operation attributes";
		dev->ops = cv_grow(dev->ops, &opcap, dev->nops, sizeof(*op));
		op = &dev->ops[dev->nops++];
		memset(op, 0, sizeof(*op));
		op->name = prop(o, "name");
		if (op->name == NULL)
			op->name = xstrdup("");
		for (xmlAttrPtr a = o->properties; a; a = a->next) {
			xmlChar *v;

			if (!xmlStrcmp(a->name, BAD_CAST "id") ||
			    !xmlStrcmp(a->name, BAD_CAST "name"))
				continue;
			v = xmlGetProp(o, a->name);
			pairs_add(&op->attrs, xstrdup((const char *)a->name),
			          xstrdup(v ? (const char *)v : ""));
			if (v)
				xmlFree(v);
		}
	}
}

/* cluster-glue's own (compiled) stonith types, and the fence-agents
 * agent that obviously does the same job, where there is one. */
static const struct {
	const char *type;
	const char *instead;
} lha_types[] = {
        {"apcmaster", "fence_apc"},
        {"apcmastersnmp", "fence_apc_snmp"},
        {"apcsmart", NULL},
        {"baytech", NULL},
        {"bladehpi", NULL},
        {"cyclades", NULL},
        {"drac3", NULL},
        {"ibmhmc", "fence_lpar"},
        {"ipmilan", "fence_ipmilan"},
        {"meatware", NULL},
        {"null", NULL},
        {"nw_rpc100s", NULL},
        {"rcd_serial", NULL},
        {"ribcl", "fence_ilo"},
        {"rps10", NULL},
        {"ssh", NULL},
        {"suicide", NULL},
        {"wti_mpc", NULL},
        {"wti_nps", "fence_wti"},
};

void
convert_classify(struct cv_device *dev)
{
	const char *t = dev->type, *problem;

	dev->agent = dev->plugin = dev->instead = NULL;
	dev->why_not = NULL;
	if (strncmp(t, "external/", 9) == 0) {
		if ((problem = plugin_name_problem(t + 9)) != NULL) {
			dev->why_not = problem;
			return;
		}
		dev->plugin = xstrdup(t + 9);
		dev->agent = xasprintf(PERSONALITY_PREFIX "%s", t + 9);
		return;
	}
	/* A fence agent already (fence-agents', or ours): nothing to do. */
	if (strncmp(t, "fence_", 6) == 0)
		return;
	dev->why_not = "a cluster-glue plugin compiled into its library, "
	               "not an external script: fence_hbwrap runs only "
	               "external/* plugins";
	/* cluster-glue's rhcs/NAME runs fence-agents' fence_NAME. */
	if (strncmp(t, "rhcs/", 5) == 0 && t[5] != '\0') {
		dev->instead = xasprintf("fence_%s", t + 5);
		return;
	}
	for (size_t i = 0; i < sizeof(lha_types) / sizeof(*lha_types); i++)
		if (strcmp(t, lha_types[i].type) == 0) {
			dev->instead = lha_types[i].instead
			                       ? xstrdup(lha_types[i].instead)
			                       : NULL;
			return;
		}
	dev->why_not = "neither a cluster-glue plugin nor a fence agent";
}

/* Add stonith primitive (or template) E, element number INDEX, to CIB. */
static void
add_device(struct cv_cib *cib, xmlNodePtr e, size_t index)
{
	struct cv_device *dev;

	cib->dev = cv_grow(cib->dev, &cib->devcap, cib->ndev, sizeof(*dev));
	dev = &cib->dev[cib->ndev++];
	memset(dev, 0, sizeof(*dev));
	dev->id = prop(e, "id");
	if (dev->id == NULL)
		dev->id = xstrdup("");
	dev->type = prop(e, "type");
	if (dev->type == NULL)
		dev->type = xstrdup("");
	dev->element = is(e, "template") ? "template" : "primitive";
	dev->index = index;
	dev->pcs_limit = read_sets(e, "instance_attributes", &dev->params);
	if (read_sets(e, "meta_attributes", &dev->meta) != NULL)
		dev->pcs_limit = "rules, references or several sets of "
		                 "meta attributes";
	read_ops(e, dev);
	if (!is(e->parent, "resources"))
		dev->pcs_limit = "its place inside a group, clone or bundle";
	if (is(e, "template"))
		dev->pcs_limit = "a resource template";
	convert_classify(dev);
	if (dev->agent != NULL)
		cib->nconverted++;
}

/* Add fencing-level E to CIB, its target in pcs's words. */
static void
add_level(struct cv_cib *cib, xmlNodePtr e)
{
	struct cv_level *l;
	char *t, *a;

	cib->lvl = cv_grow(cib->lvl, &cib->lvlcap, cib->nlvl, sizeof(*l));
	l = &cib->lvl[cib->nlvl++];
	l->index = prop(e, "index");
	l->devices = prop(e, "devices");
	if ((t = prop(e, "target")) != NULL) {
		l->target = t;
	} else if ((t = prop(e, "target-pattern")) != NULL) {
		l->target = xasprintf("regexp%%%s", t);
		free(t);
	} else {
		a = prop(e, "target-attribute");
		t = prop(e, "target-value");
		l->target = xasprintf("attrib%%%s=%s", a ? a : "", t ? t : "");
		free(a);
		free(t);
	}
	if (l->index == NULL)
		l->index = xstrdup("");
	if (l->devices == NULL)
		l->devices = xstrdup("");
}

/* Non-zero if element N sits in /cib/configuration/SECTION. */
static int
in_section(xmlNodePtr n, const char *section)
{
	for (xmlNodePtr p = n->parent; p && p->type == XML_ELEMENT_NODE;
	     p = p->parent)
		if (is(p, section) && is(p->parent, "configuration") &&
		    is(p->parent->parent, "cib") &&
		    p->parent->parent->parent->type == XML_DOCUMENT_NODE)
			return 1;
	return 0;
}

/* Walk DOC's elements in document order: bound the depth, collect the
 * devices and levels. Returns NULL, or a reason (a static string). */
static const char *
collect(xmlDocPtr doc, struct cv_cib *cib)
{
	xmlNodePtr root = xmlDocGetRootElement(doc),
	           cfg = child(root, "configuration");
	size_t index = 0;
	int depth = 1;

	if (!is(root, "cib") || cfg == NULL)
		return "it is not a CIB (no <cib> with a <configuration>)";
	for (xmlNodePtr e = root; e;
	     e = convert_next_element(e, &depth), index++) {
		char *class;

		if (depth > CONVERT_MAX_DEPTH)
			return "its elements are nested more than " DEPTH_TEXT
			       " deep";
		if (is(e, "fencing-level") && in_section(e, "fencing-topology"))
			add_level(cib, e);
		if (!(is(e, "primitive") || is(e, "template")) ||
		    !in_section(e, "resources"))
			continue;
		class = prop(e, "class");
		if (class != NULL && strcmp(class, "stonith") == 0)
			add_device(cib, e, index);
		free(class);
	}
	return NULL;
}

void *
convert_parse_doc(const char *text, size_t len, char **why)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;

	*why = NULL;
	/* The metadata path's rules: no DTD, so nothing to load and no
	 * entity to expand; no NUL, which would hide the rest. */
	if (memchr(text, '\0', len) != NULL) {
		*why = xstrdup("it holds a NUL byte: not XML");
		return NULL;
	}
	if (memmem(text, len, "<!DOCTYPE", 9) ||
	    memmem(text, len, "<!ENTITY", 8)) {
		*why = xstrdup("it declares a DTD or entities, which are "
		               "refused");
		return NULL;
	}
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		*why = xstrdup("out of memory");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, text, (int)len, "cib", "UTF-8",
	                        XML_PARSE_NONET | XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING |
	                                XML_PARSE_COMPACT);
	if (doc == NULL) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char *msg = xstrdup(e && e->message ? e->message : "?");

		msg[strcspn(msg, "\r\n")] = '\0';
		*why = xasprintf("it is not well-formed XML (line %d: %s)",
		                 e ? e->line : 0, msg);
		free(msg);
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

void *
convert_parse(const char *text, size_t len, struct cv_cib *cib, char **why)
{
	xmlDocPtr doc;
	const char *bad;

	memset(cib, 0, sizeof(*cib));
	if ((doc = convert_parse_doc(text, len, why)) == NULL)
		return NULL;
	if ((bad = collect(doc, cib)) != NULL) {
		*why = xstrdup(bad);
		xmlFreeDoc(doc);
		convert_cib_free(cib);
		return NULL;
	}
	return doc;
}

void
convert_doc_free(void *doc)
{
	if (doc != NULL)
		xmlFreeDoc(doc);
}

void
convert_cib_free(struct cv_cib *cib)
{
	for (size_t i = 0; i < cib->ndev; i++) {
		struct cv_device *d = &cib->dev[i];

		free(d->id);
		free(d->type);
		free(d->agent);
		free(d->plugin);
		free(d->instead);
		pairs_free(&d->params);
		pairs_free(&d->meta);
		for (size_t k = 0; k < d->nops; k++) {
			free(d->ops[k].name);
			pairs_free(&d->ops[k].attrs);
		}
		free(d->ops);
	}
	for (size_t i = 0; i < cib->nlvl; i++) {
		free(cib->lvl[i].index);
		free(cib->lvl[i].target);
		free(cib->lvl[i].devices);
	}
	free(cib->dev);
	free(cib->lvl);
	memset(cib, 0, sizeof(*cib));
}

/* Write the LEN bytes at TEXT to stdout, whole or not at all. */
static int
write_out(const char *text, size_t len)
{
	if (fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0)
		return EXIT_OK;
	log_error("cannot write the result to stdout");
	return EXIT_FAIL;
}

/* -1 after a one-line error if REQ's options do not go together. */
static int
options_problem(const struct request *req)
{
	if (req->convert_cib == NULL) {
		log_error(
		        "--pcs and --show-secrets go with --convert-cib FILE");
		return -1;
	}
	if (req->show_secrets && !req->convert_pcs) {
		log_error("--show-secrets goes with --pcs (the converted CIB "
		          "holds every value)");
		return -1;
	}
	return 0;
}

/*
 * REQ's conversion of TEXT (LEN bytes, freed here as soon as it is not
 * needed), with the report on stderr: a new string of *OUTLEN bytes, or
 * NULL and a newly allocated reason in *WHY.
 */
static char *
convert_text(const struct request *req, char *text, size_t len, size_t *outlen,
             char **why)
{
	struct cv_cib cib;
	void *doc = convert_parse(text, len, &cib, why);
	char *out = NULL;

	if (doc == NULL) {
		free(text);
		return NULL;
	}
	/* --pcs: a CIB word that pcs could misread refuses it all, before
	 * the report (one line of error, nothing else). */
	if (req->convert_pcs) {
		*why = convert_pcs_problem(&cib);
	} else if (cib.nconverted == 0) {
		out = text; /* nothing to change */
		text = NULL;
		*outlen = len;
	} else {
		out = convert_splice(text, len, doc, &cib, outlen, why);
	}
	/* A big CIB's tree and text go before the report runs plugins
	 * (each one a fork of this process). */
	convert_doc_free(doc);
	free(text);
	malloc_trim(0);
	/* The report once the conversion has worked; the notes of --pcs
	 * (variables to set) after it. */
	if (*why == NULL)
		convert_report(stderr, req, &cib);
	if (*why == NULL && req->convert_pcs) {
		out = convert_pcs(&cib, req->show_secrets, stderr);
		*outlen = out ? strlen(out) : 0;
	}
	convert_cib_free(&cib);
	return out;
}

int
convert_main(const struct request *req)
{
	char *text, *why = NULL, *out;
	size_t len, outlen = 0;
	int rc = EXIT_FAIL;

	if (options_problem(req) < 0)
		return EXIT_FAIL;
	if (convert_read(req->convert_cib, &text, &len, &why) < 0) {
		log_error("--convert-cib: %s", why);
		free(why);
		return EXIT_FAIL;
	}
	out = convert_text(req, text, len, &outlen, &why);
	if (out == NULL)
		log_error("--convert-cib: %s: %s",
		          strcmp(req->convert_cib, "-") ? req->convert_cib
		                                        : "stdin",
		          why ? why : "no commands (a bug: please report it)");
	else
		rc = write_out(out, outlen);
	free(out);
	free(why);
	return rc;
}

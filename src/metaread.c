/*
 * metaread.c - reading a plugin's getinfo-xml: its <parameter> blocks
 * become plugin_info parameters.
 *
 * libxml2 is hardened for text a plugin prints: no network, no DTD (a
 * document that declares one is refused before parsing, so no entity
 * is ever defined or expanded), the default depth and size limits, and
 * no XInclude. An ill-formed document (an unescaped & in a description
 * is the classic) is read again with libxml2's recovery, under the same
 * rules, so that a typo in a description does not lose the parameters.
 */
#define _GNU_SOURCE
#include "metadata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"
#include "xml.h"

void
meta_normalise_space(char *s)
{
	char *r = s, *w = s;
	int blank = 0;

	while (*r && isspace((unsigned char)*r))
		r++;
	for (; *r; r++) {
		if (isspace((unsigned char)*r)) {
			blank = 1;
			continue;
		}
		if (blank && w != s)
			*w++ = ' ';
		blank = 0;
		*w++ = *r;
	}
	*w = '\0';
}

static int
truthy(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 ||
	             strcasecmp(v, "yes") == 0);
}

/* RHCS content type for the plugin's type name T. */
static enum opt_type
map_type(const char *t)
{
	if (t == NULL)
		return OT_STRING;
	if (!strcasecmp(t, "integer") || !strcasecmp(t, "int") ||
	    !strcasecmp(t, "numeric"))
		return OT_INTEGER;
	if (!strcasecmp(t, "boolean") || !strcasecmp(t, "bool"))
		return OT_BOOLEAN;
	if (!strcasecmp(t, "second") || !strcasecmp(t, "time"))
		return OT_SECOND;
	if (!strcasecmp(t, "select") || !strcasecmp(t, "enum"))
		return OT_SELECT;
	return OT_STRING;
}

static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	/* Recovery may keep bytes that are not UTF-8. */
	if (s != NULL)
		meta_clean_text(s);
	return s;
}

static char *
text_of(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
	meta_clean_text(s);
	meta_normalise_space(s);
	return s;
}

/* Join a short and a long description without losing text of either. */
static char *
fold(const char *shortd, const char *longd)
{
	size_t sl = strlen(shortd), stem = sl;

	if (*longd == '\0')
		return xstrdup(shortd);
	/* "Login." + "Login name used..." says it once already. */
	while (stem > 0 && strchr(".:!? ", shortd[stem - 1]))
		stem--;
	if (stem == 0 || strncasecmp(longd, shortd, stem) == 0)
		return xstrdup(longd);
	return xasprintf("%s%s%s", shortd,
	                 strchr(".:!?", shortd[sl - 1]) ? " " : ". ", longd);
}

/* The description texts of parameter node N, one per language. */
static void
collect_descs(xmlNodePtr n, struct meta_param *p)
{
	struct {
		char *lang, *s, *l;
	} d[8];
	size_t nd = 0;

	memset(d, 0, sizeof(d));
	for (xmlNodePtr c = n->children; c; c = c->next) {
		int is_short;
		char *lang;
		size_t i;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		is_short = !xmlStrcmp(c->name, BAD_CAST "shortdesc");
		if (!is_short && xmlStrcmp(c->name, BAD_CAST "longdesc"))
			continue;
		lang = prop(c, "lang");
		if (lang == NULL || *lang == '\0') {
			free(lang);
			lang = xstrdup("en");
		}
		for (i = 0; i < nd && strcmp(d[i].lang, lang); i++)
			;
		if (i == nd) {
			if (nd == sizeof(d) / sizeof(d[0])) {
				free(lang);
				continue;
			}
			d[nd++].lang = lang;
		} else {
			free(lang);
		}
		char **slot = is_short ? &d[i].s : &d[i].l;
		char *t = text_of(c);
		if (*slot != NULL) { /* a second one: keep both texts */
			char *j = fold(*slot, t);
			free(*slot);
			free(t);
			t = j;
		}
		*slot = t;
	}
	p->descs = xcalloc(nd ? nd : 1, sizeof(*p->descs));
	for (size_t i = 0; i < nd; i++) {
		p->descs[i].lang = d[i].lang;
		p->descs[i].text =
		        fold(d[i].s ? d[i].s : "", d[i].l ? d[i].l : "");
		free(d[i].s);
		free(d[i].l);
	}
	p->ndescs = nd;
}

static xmlNodePtr
find_element(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next) {
		xmlNodePtr f;

		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, BAD_CAST name))
			return n;
		if ((f = find_element(n->children, name)) != NULL)
			return f;
	}
	return NULL;
}

/* The <content> of parameter node N: type, default and choices into P. */
static void
read_content(xmlNodePtr n, struct meta_param *p)
{
	p->type = OT_STRING;
	for (xmlNodePtr c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    xmlStrcmp(c->name, BAD_CAST "content"))
			continue;
		char *t = prop(c, "type");
		size_t nc = 0;

		p->type = map_type(t);
		free(t);
		p->def = prop(c, "default");
		for (xmlNodePtr o = c->children; o; o = o->next) {
			char *v;

			if (o->type != XML_ELEMENT_NODE ||
			    xmlStrcmp(o->name, BAD_CAST "option") ||
			    (v = prop(o, "value")) == NULL)
				continue;
			p->choices =
			        xrealloc(p->choices, (nc + 2) * sizeof(char *));
			p->choices[nc++] = v;
			p->choices[nc] = NULL;
		}
		/* An enum without its values can only be a string. */
		if (p->type == OT_SELECT && nc == 0)
			p->type = OT_STRING;
		return;
	}
}

/* Add parameter node N to INFO. A name the shim can never pass to the
 * plugin is a problem of the plugin; the name of a shim option is kept,
 * marked, for --check to explain. */
static void
read_param(struct plugin_info *info, xmlNodePtr n)
{
	char *name = prop(n, "name"), *req, *uniq;
	struct meta_param *p;

	if (name == NULL || !name_is_valid(name)) {
		char *shown = xstrdup(name ? name : "");

		meta_clean_text(shown);
		meta_problem(info,
		             "getinfo-xml: parameter %s%.64s%s skipped: not a "
		             "valid environment variable name",
		             name ? "'" : "", name ? shown : "without name",
		             name ? "'" : "");
		free(shown);
		free(name);
		return;
	}
	if (meta_param_find(info, name) != NULL) {
		free(name);
		return;
	}
	p = meta_param_add(info, name);
	free(name);
	p->described = 1;
	p->shim_option = option_is_shim_only(p->name);
	req = prop(n, "required");
	uniq = prop(n, "unique");
	p->required = truthy(req);
	p->unique = truthy(uniq);
	free(req);
	free(uniq);
	read_content(n, p);
	collect_descs(n, p);
}

/* Why XML (LEN bytes) is refused before any parsing, or NULL. */
static const char *
refused_outright(const char *xml, size_t len)
{
	if (len == 0 || strspn(xml, " \t\r\n") == len)
		return "it printed nothing";
	/* No DTD at all: nothing to load, no entity to expand. */
	if (memmem(xml, len, "<!DOCTYPE", 9) || memmem(xml, len, "<!ENTITY", 8))
		return "its XML declares a DTD or entities, which are refused";
	if (memchr(xml, '\0', len) != NULL)
		return "its output holds a NUL byte";
	return NULL;
}

/*
 * Parse XML (LEN bytes), with libxml2's recovery if RECOVER. Returns the
 * document, or NULL with a newly allocated reason in *WHY; when the
 * document was not well-formed (recovered), *WHY says why too.
 */
static xmlDocPtr
parse_doc(const char *xml, size_t len, int recover, char **why)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;

	*why = NULL;
	if (ctxt == NULL) {
		*why = xstrdup("out of memory");
		return NULL;
	}
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "getinfo-xml", "UTF-8",
	                        XML_PARSE_NONET | XML_PARSE_NOCDATA |
	                                XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING |
	                                (recover ? XML_PARSE_RECOVER : 0));
	if (doc == NULL || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char *msg = xstrdup(e && e->message ? e->message : "?");

		meta_normalise_space(msg);
		meta_clean_text(msg);
		*why = xasprintf("its XML is not well-formed (line %d: %s)",
		                 e ? e->line : 0, msg);
		free(msg);
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* Read the <parameter>s of DOC into INFO; how many there were, or -1
 * if DOC has no <parameters> element. */
static long
read_params(xmlDocPtr doc, struct plugin_info *info)
{
	xmlNodePtr params =
	        find_element(xmlDocGetRootElement(doc), "parameters");
	long n = 0;

	if (params == NULL)
		return -1;
	for (xmlNodePtr c = params->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    !xmlStrcmp(c->name, BAD_CAST "parameter")) {
			read_param(info, c);
			n++;
		}
	return n;
}

int
meta_parse_params(const char *xml, size_t len, struct plugin_info *info,
                  char **why)
{
	const char *refused = refused_outright(xml, len);
	xmlDocPtr doc;
	long n;
	int rc = 0;

	*why = NULL;
	if (refused != NULL) {
		*why = xstrdup(refused);
		return -1;
	}
	doc = parse_doc(xml, len, 0, why);
	if (doc == NULL) {
		char *strict = *why;

		/* Recovery keeps what can be kept; an empty result of it is
		 * as unusable as the text. */
		doc = parse_doc(xml, len, 1, why);
		free(*why);
		*why = strict;
		rc = 1;
		if (doc == NULL)
			return -1;
	}
	n = read_params(doc, info);
	xmlFreeDoc(doc);
	if (n < 0) {
		free(*why);
		*why = xstrdup(rc ? "its XML is not well-formed and has no "
		                    "<parameters> element"
		                  : "its XML has no <parameters> element");
		return -1;
	}
	if (rc == 1 && n == 0)
		return -1;
	return rc;
}

/*
 * metadata.c - from a plugin's getinfo-* and getconfignames to RHCS
 * metadata that fence-agents' metadata.rng and pcs's ocf-1.0.rng accept.
 *
 * The plugin's XML is parsed with libxml2 (hardened) and ours is written
 * with the xmlTextWriter API, so any text the plugin gives comes out
 * escaped and well-formed.
 */
#define _GNU_SOURCE
#include "metadata.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"
#include "xml.h"

/* Actions we advertise, in fence-agents' order. */
static const char *const actions[] = {
        "on",      "off",      "reboot",       "status",  "list",
        "monitor", "metadata", "validate-all", "manpage", NULL,
};

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

static const char *
type_name(enum opt_type t)
{
	static const char *const names[] = {"string", "boolean", "integer",
	                                    "second", "select"};
	return names[t];
}

static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = v ? xstrdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static char *
text_of(xmlNodePtr n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = xstrdup(v ? (const char *)v : "");

	xmlFree(v);
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

static void
param_free(struct meta_param *p)
{
	free(p->name);
	free(p->def);
	for (char **c = p->choices; c && *c; c++)
		free(*c);
	free(p->choices);
	for (size_t i = 0; i < p->ndescs; i++) {
		free(p->descs[i].lang);
		free(p->descs[i].text);
	}
	free(p->descs);
}

static struct meta_param *
find_param(struct plugin_info *info, const char *name)
{
	for (size_t i = 0; i < info->nparams; i++)
		if (strcmp(info->params[i].name, name) == 0)
			return &info->params[i];
	return NULL;
}

static struct meta_param *
add_param(struct plugin_info *info, const char *name)
{
	struct meta_param *p;

	info->params = xrealloc(info->params, (info->nparams + 1) * sizeof(*p));
	p = &info->params[info->nparams++];
	memset(p, 0, sizeof(*p));
	p->name = xstrdup(name);
	return p;
}

static void
read_param(struct plugin_info *info, xmlNodePtr n)
{
	char *name = prop(n, "name"), *req, *uniq;
	struct meta_param *p;

	if (name == NULL || !name_is_valid(name)) {
		log_warn("plugin %s: parameter %s%s%s skipped: not a valid "
		         "environment variable name",
		         info->name, name ? "'" : "",
		         name ? name : "without name", name ? "'" : "");
		free(name);
		return;
	}
	if (option_is_shim_only(name)) {
		log_warn(
		        "plugin %s: parameter '%s' is hidden by the shim's own "
		        "option of that name",
		        info->name, name);
		free(name);
		return;
	}
	if (find_param(info, name) != NULL) {
		free(name);
		return;
	}
	p = add_param(info, name);
	free(name);
	req = prop(n, "required");
	uniq = prop(n, "unique");
	p->has_required = req != NULL;
	p->required = truthy(req);
	p->unique = truthy(uniq);
	free(req);
	free(uniq);
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
		break;
	}
	collect_descs(n, p);
}

int
meta_parse_params(const char *xml, size_t len, struct plugin_info *info,
                  char **why)
{
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc;
	xmlNodePtr params;

	*why = NULL;
	if (len == 0 || strspn(xml, " \t\r\n") == len) {
		*why = xstrdup("it printed nothing");
		return -1;
	}
	/* No DTD at all: nothing to load, no entity to expand. */
	if (memmem(xml, len, "<!DOCTYPE", 9) ||
	    memmem(xml, len, "<!ENTITY", 8)) {
		*why = xstrdup("its XML declares a DTD or entities, which are "
		               "refused");
		return -1;
	}
	if (memchr(xml, '\0', len) != NULL) {
		*why = xstrdup("its output holds a NUL byte");
		return -1;
	}
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL) {
		*why = xstrdup("out of memory");
		return -1;
	}
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, "getinfo-xml", "UTF-8",
	                        XML_PARSE_NONET | XML_PARSE_NOCDATA |
	                                XML_PARSE_NOERROR |
	                                XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char *msg = xstrdup(e && e->message ? e->message : "?");

		meta_normalise_space(msg);
		*why = xasprintf("its XML is not well-formed (line %d: %s)",
		                 e ? e->line : 0, msg);
		free(msg);
		xmlFreeParserCtxt(ctxt);
		return -1;
	}
	params = find_element(xmlDocGetRootElement(doc), "parameters");
	if (params == NULL) {
		*why = xstrdup("its XML has no <parameters> element");
	} else {
		for (xmlNodePtr n = params->children; n; n = n->next)
			if (n->type == XML_ELEMENT_NODE &&
			    !xmlStrcmp(n->name, BAD_CAST "parameter"))
				read_param(info, n);
	}
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return *why ? -1 : 0;
}

void
meta_apply_confignames(struct plugin_info *info, const char *names)
{
	int xml_says = 0;
	char *copy = xstrdup(names), *save = NULL;

	for (size_t i = 0; i < info->nparams; i++)
		xml_says |= info->params[i].has_required;
	for (char *t = strtok_r(copy, " \t\r\n", &save); t;
	     t = strtok_r(NULL, " \t\r\n", &save)) {
		struct meta_param *p;

		if (!name_is_valid(t) || option_is_shim_only(t))
			continue;
		p = find_param(info, t);
		if (p == NULL) {
			p = add_param(info, t);
			p->type = OT_STRING;
			p->descs = xcalloc(1, sizeof(*p->descs));
			p->descs[0].lang = xstrdup("en");
			p->descs[0].text = xasprintf(
			        "Parameter %s, named by the plugin's "
			        "getconfignames but not described by it",
			        t);
			p->ndescs = 1;
			continue;
		}
		if (!xml_says && (p->def == NULL || *p->def == '\0'))
			p->required = 1;
	}
	free(copy);
}

/* Length of the XML character at S (valid UTF-8, and a Char of the XML
 * spec), or 0 if there is none there. */
static size_t
xml_char_len(const unsigned char *s)
{
	unsigned long cp;
	size_t n;

	if (s[0] < 0x80)
		return (s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		        s[0] == '\r')
		               ? 1
		               : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, U+FFFE/U+FFFF, beyond U+10FFFF. */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff ||
	    cp > 0x10ffff)
		return 0;
	return n;
}

void
meta_clean_text(char *s)
{
	unsigned char *r = (unsigned char *)s, *w = r;

	while (*r) {
		size_t n = xml_char_len(r);

		if (n == 0) {
			*w++ = '?';
			r++;
			continue;
		}
		memmove(w, r, n);
		w += n;
		r += n;
	}
	*w = '\0';
}

/* What a call printed, as one line of text that XML can hold. */
static char *
call_text(const struct run_call *c)
{
	char *s = xstrdup(c->out.data ? c->out.data : "");

	meta_clean_text(s);
	meta_normalise_space(s);
	return s;
}

const char *const meta_ops[MOP_COUNT] = {
        "getinfo-xml",    "getinfo-devid",  "getinfo-devdescr",
        "getinfo-devurl", "getconfignames", "getinfo-devname",
};

int
meta_from_calls(const char *name, const struct run_call *calls, size_t n,
                long timeout, struct plugin_info *info, char **why)
{
	const struct run_call *xml = &calls[MOP_XML];

	memset(info, 0, sizeof(*info));
	info->name = xstrdup(name);
	*why = NULL;
	if (!run_call_ok(xml)) {
		*why = run_call_describe(xml, timeout);
		if (xml->err.len > 0) {
			char *e = xstrndup(xml->err.data, xml->err.len), *j;

			meta_normalise_space(e);
			j = xasprintf("%s: %.200s", *why, e);
			free(e);
			free(*why);
			*why = j;
		}
		return -1;
	}
	if (meta_parse_params(xml->out.data, xml->out.len, info, why) < 0)
		return -1;
	/* The other operations are optional in cluster-glue's API. */
	info->devid = n > MOP_DEVID && run_call_ok(&calls[MOP_DEVID])
	                      ? call_text(&calls[MOP_DEVID])
	                      : xstrdup("");
	info->devdescr = n > MOP_DEVDESCR && run_call_ok(&calls[MOP_DEVDESCR])
	                         ? call_text(&calls[MOP_DEVDESCR])
	                         : xstrdup("");
	info->devurl = n > MOP_DEVURL && run_call_ok(&calls[MOP_DEVURL])
	                       ? call_text(&calls[MOP_DEVURL])
	                       : xstrdup("");
	if (n > MOP_CONFIGNAMES && run_call_ok(&calls[MOP_CONFIGNAMES]))
		meta_apply_confignames(info,
		                       calls[MOP_CONFIGNAMES].out.data
		                               ? calls[MOP_CONFIGNAMES].out.data
		                               : "");
	return 0;
}

int
meta_collect(const char *name, const char *path, char *const envp[],
             long timeout, int full, struct plugin_info *info)
{
	struct run_call calls[MOP_COUNT];
	size_t n = full ? MOP_DEVNAME : MOP_DEVID + 1;
	char *why = NULL;
	int rc = -1;

	memset(calls, 0, sizeof(calls));
	memset(info, 0, sizeof(*info));
	for (size_t i = 0; i < n; i++)
		calls[i].op = meta_ops[i];
	if (run_calls(path, envp, calls, n, timeout) < 0)
		goto out;
	rc = meta_from_calls(name, calls, n, timeout, info, &why);
	if (rc < 0)
		log_error("plugin %s: getinfo-xml %s", name, why);
out:
	free(why);
	for (size_t i = 0; i < n; i++)
		run_call_free(&calls[i]);
	return rc;
}

void
meta_info_free(struct plugin_info *info)
{
	for (size_t i = 0; i < info->nparams; i++)
		param_free(&info->params[i]);
	free(info->params);
	free(info->name);
	free(info->devid);
	free(info->devdescr);
	free(info->devurl);
	memset(info, 0, sizeof(*info));
}

/* ---- writing ---------------------------------------------------------- */

#define W(call)                                                                \
	do {                                                                   \
		if ((call) < 0)                                                \
			return -1;                                             \
	} while (0)

static int
start(xmlTextWriterPtr w, const char *el)
{
	return xmlTextWriterStartElement(w, BAD_CAST el);
}

static int
attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

static int
end(xmlTextWriterPtr w)
{
	return xmlTextWriterEndElement(w);
}

static int
write_content(xmlTextWriterPtr w, enum opt_type type, const char *def,
              const char *const *choices)
{
	W(start(w, "content"));
	W(attr(w, "type", type_name(type)));
	if (def != NULL)
		W(attr(w, "default", def));
	for (const char *const *c = choices; type == OT_SELECT && c && *c;
	     c++) {
		W(start(w, "option"));
		W(attr(w, "value", *c));
		W(end(w));
	}
	return end(w);
}

static int
write_getopt(xmlTextWriterPtr w, char letter, const char *name,
             const char *argname)
{
	char *dashed = xstrdup(name), *mixed;
	int rc;

	for (char *c = dashed; *c; c++)
		if (*c == '_')
			*c = '-';
	if (letter)
		mixed = xasprintf("-%c, --%s%s%s%s", letter, dashed,
		                  argname ? "=[" : "", argname ? argname : "",
		                  argname ? "]" : "");
	else
		mixed = xasprintf("--%s%s%s%s", dashed, argname ? "=[" : "",
		                  argname ? argname : "", argname ? "]" : "");
	free(dashed);
	rc = start(w, "getopt");
	if (rc >= 0)
		rc = attr(w, "mixed", mixed);
	if (rc >= 0)
		rc = end(w);
	free(mixed);
	return rc;
}

static int
write_shortdesc(xmlTextWriterPtr w, const char *lang, const char *text)
{
	W(start(w, "shortdesc"));
	W(attr(w, "lang", lang));
	W(xmlTextWriterWriteString(w, BAD_CAST text));
	return end(w);
}

static int
write_option(xmlTextWriterPtr w, const struct option_spec *o, int generic)
{
	W(start(w, "parameter"));
	W(attr(w, "name", o->name));
	W(attr(w, "unique", "0"));
	W(attr(w, "required",
	       (generic && (o->flags & OF_GENERIC_ONLY)) ? "1" : "0"));
	if (o->flags & OF_DEPRECATED)
		W(attr(w, "deprecated", "1"));
	if (o->obsoletes)
		W(attr(w, "obsoletes", o->obsoletes));
	W(write_getopt(w, o->letter, o->name, o->argname));
	W(write_content(w, o->type, o->def, o->choices));
	W(write_shortdesc(w, "en", o->desc));
	return end(w);
}

static int
write_options(xmlTextWriterPtr w, int generic, int first)
{
	for (size_t i = 0; i < option_count; i++) {
		const struct option_spec *o = &option_table[i];

		if (!!(o->flags & OF_FIRST) != first ||
		    (o->flags & (OF_HIDDEN | OF_CLI_ONLY)) ||
		    ((o->flags & OF_GENERIC_ONLY) && !generic))
			continue;
		W(write_option(w, o, generic));
	}
	return 0;
}

/*
 * Write parameter P. For the generic agent (USERS non-NULL) it is never
 * required and its description names the plugins that use it.
 */
static int
write_param(xmlTextWriterPtr w, const struct meta_param *p, const char *users)
{
	W(start(w, "parameter"));
	W(attr(w, "name", p->name));
	W(attr(w, "unique", p->unique && !users ? "1" : "0"));
	W(attr(w, "required", p->required && !users ? "1" : "0"));
	W(write_getopt(w, 0, p->name, "value"));
	W(write_content(w, p->type, users ? NULL : p->def,
	                (const char *const *)p->choices));
	if (p->ndescs == 0)
		W(write_shortdesc(w, "en", users ? users : p->name));
	for (size_t i = 0; i < p->ndescs; i++) {
		char *t = users ? xasprintf("%s (%s)", p->descs[i].text, users)
		                : xstrdup(p->descs[i].text);
		int rc = write_shortdesc(w, p->descs[i].lang, t);

		free(t);
		W(rc);
	}
	return end(w);
}

/* "plugins: a, b" for every info in INFOS that has a parameter NAME. */
static char *
users_of(const struct plugin_info *infos, size_t n, const char *name)
{
	char *s = xstrdup("used by plugin");
	int count = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < infos[i].nparams; k++)
			if (!strcmp(infos[i].params[k].name, name)) {
				char *t = xasprintf("%s%s %s", s,
				                    count++ ? "," : ":",
				                    infos[i].name);
				free(s);
				s = t;
				break;
			}
	return s;
}

static char *
agent_shortdesc(const struct plugin_info *info)
{
	if (info->devid && *info->devid)
		return xasprintf("Fence agent for %s (Heartbeat plugin "
		                 "external/%s)",
		                 info->devid, info->name);
	return xasprintf("Fence agent for the Heartbeat plugin external/%s",
	                 info->name);
}

static int
write_document(xmlTextWriterPtr w, const char *agent,
               const struct plugin_info *infos, size_t n, int generic)
{
	char *s;
	int rc;

	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(start(w, "resource-agent"));
	s = xstrdup(agent); /* the name we were called by: any bytes */
	meta_clean_text(s);
	rc = attr(w, "name", s);
	free(s);
	W(rc);
	if (generic)
		s = xstrdup("Fence agent that runs Heartbeat (cluster-glue "
		            "external) STONITH plugins");
	else
		s = agent_shortdesc(&infos[0]);
	rc = attr(w, "shortdesc", s);
	free(s);
	W(rc);
	if (generic) {
		for (size_t i = 0; i < n; i++) {
			char *name = xasprintf("fence_hb_%s", infos[i].name);

			s = agent_shortdesc(&infos[i]);
			rc = start(w, "symlink");
			if (rc >= 0)
				rc = attr(w, "name", name);
			if (rc >= 0)
				rc = attr(w, "shortdesc", s);
			if (rc >= 0)
				rc = end(w);
			free(name);
			free(s);
			W(rc);
		}
		s = xstrdup(
		        "fence_hbwrap runs a Heartbeat-style STONITH plugin "
		        "(a cluster-glue \"external\" script) as an RHCS fence "
		        "agent: the plugin named by the plugin parameter gets "
		        "the other parameters in its environment and is called "
		        "with reset, on, off, status and gethosts. Call it as "
		        "fence_hb_<plugin> for an agent that describes one "
		        "plugin's parameters exactly.");
	} else {
		const struct plugin_info *i = &infos[0];
		const char *d = i->devdescr && *i->devdescr ? i->devdescr
		                : i->devid && *i->devid     ? i->devid
		                                            : "";
		s = xasprintf(
		        "%s%sThis agent runs the Heartbeat STONITH "
		        "plugin external/%s through fence_hbwrap.",
		        d,
		        *d ? (strchr(".:!?", d[strlen(d) - 1]) ? " " : ". ")
		           : "",
		        i->name);
	}
	rc = start(w, "longdesc");
	if (rc >= 0)
		rc = xmlTextWriterWriteString(w, BAD_CAST s);
	if (rc >= 0)
		rc = end(w);
	free(s);
	W(rc);
	W(start(w, "vendor-url"));
	W(xmlTextWriterWriteString(
	        w, BAD_CAST(!generic && infos[0].devurl && *infos[0].devurl
	                            ? infos[0].devurl
	                            : "http://www.clusterlabs.org/")));
	W(end(w));

	W(start(w, "parameters"));
	W(write_options(w, generic, 1));
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < infos[i].nparams; k++) {
			const struct meta_param *p = &infos[i].params[k];
			int seen = 0;

			/* The generic agent lists each name once. */
			for (size_t j = 0; j < i && !seen; j++)
				for (size_t m = 0; m < infos[j].nparams; m++)
					if (!strcmp(infos[j].params[m].name,
					            p->name))
						seen = 1;
			if (seen)
				continue;
			s = generic ? users_of(infos, n, p->name) : NULL;
			rc = write_param(w, p, s);
			free(s);
			W(rc);
		}
	}
	W(write_options(w, generic, 0));
	W(end(w));

	W(start(w, "actions"));
	for (const char *const *a = actions; *a; a++) {
		W(start(w, "action"));
		W(attr(w, "name", *a));
		if (!strcmp(*a, "on"))
			W(attr(w, "automatic", "0"));
		W(end(w));
	}
	W(end(w));
	W(end(w));
	return xmlTextWriterEndDocument(w);
}

int
meta_write(const char *agent, const struct plugin_info *infos, size_t n,
           int generic, char **out, size_t *outlen)
{
	xmlBufferPtr buf;
	xmlTextWriterPtr w;
	int rc = -1;

	*out = NULL;
	buf = xmlBufferCreate();
	w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (w != NULL) {
		xmlTextWriterSetIndent(w, 1);
		xmlTextWriterSetIndentString(w, BAD_CAST "\t");
		rc = write_document(w, agent, infos, n, generic);
		xmlFreeTextWriter(w); /* flushes into buf */
	}
	if (rc >= 0) {
		*outlen = (size_t)xmlBufferLength(buf);
		*out = xstrndup((const char *)xmlBufferContent(buf), *outlen);
		rc = 0;
	} else {
		log_error("cannot write the metadata of %s", agent);
		rc = -1;
	}
	if (buf != NULL)
		xmlBufferFree(buf);
	return rc;
}

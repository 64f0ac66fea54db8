/*
 * metawrite.c - RHCS metadata from plugin_info: what fence-agents'
 * metadata.rng and pcs's ocf-1.0.rng accept.
 *
 * Written with the xmlTextWriter API, so any text the plugin gives comes
 * out escaped and well-formed; text that is not valid UTF-8 or holds
 * characters XML cannot carry is cleaned first.
 */
#define _GNU_SOURCE
#include "metadata.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xalloc.h"
#include "xml.h"

/* Actions we advertise, in fence-agents' order: always all of them,
 * whatever the plugin said (pacemaker-fenced remaps reboot to off for an
 * agent that does not advertise it). */
static const char *const actions[] = {
        "on",      "off",      "reboot",       "status",  "list",
        "monitor", "metadata", "validate-all", "manpage", NULL,
};

static const char *
type_name(enum opt_type t)
{
	static const char *const names[] = {"string", "boolean", "integer",
	                                    "second", "select"};
	return names[t];
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
 * required and its description names the plugins that use it. The
 * plugin's unique flag is read but not passed on.
 */
static int
write_param(xmlTextWriterPtr w, const struct meta_param *p, const char *users)
{
	W(start(w, "parameter"));
	W(attr(w, "name", p->name));
	/* unique="0" always, as fence-agents write it: two devices on one
	 * BMC or switch address are legitimate when the plugin serves
	 * several hosts, and crmsh warns about unique="1" collisions. */
	W(attr(w, "unique", "0"));
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

/* The symlink entries of the generic agent: one per plugin. */
static int
write_symlinks(xmlTextWriterPtr w, const struct plugin_info *infos, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *name = xasprintf("fence_hb_%s", infos[i].name);
		char *s = agent_shortdesc(&infos[i]);
		int rc = start(w, "symlink");

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
	return 0;
}

/* The agent's longdesc: the plugin's own description, or the generic
 * agent's. Caller frees. */
static char *
agent_longdesc(const struct plugin_info *infos, int generic)
{
	const struct plugin_info *i = &infos[0];
	const char *d;

	if (generic)
		return xstrdup(
		        "fence_hbwrap runs a Heartbeat-style STONITH plugin "
		        "(a cluster-glue \"external\" script) as an RHCS fence "
		        "agent: the plugin named by the plugin parameter gets "
		        "the other parameters in its environment and is called "
		        "with reset, on, off, status and gethosts. Call it as "
		        "fence_hb_<plugin> for an agent that describes one "
		        "plugin's parameters exactly.");
	d = i->devdescr && *i->devdescr ? i->devdescr
	    : i->devid && *i->devid     ? i->devid
	                                : "";
	return xasprintf(
	        "%s%sThis agent runs the Heartbeat STONITH "
	        "plugin external/%s through fence_hbwrap.",
	        d, *d ? (strchr(".:!?", d[strlen(d) - 1]) ? " " : ". ") : "",
	        i->name);
}

/* The start of the document: the resource-agent element, its symlinks,
 * longdesc and vendor-url. */
static int
write_head(xmlTextWriterPtr w, const char *agent,
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
	s = generic ? xstrdup("Fence agent that runs Heartbeat (cluster-glue "
	                      "external) STONITH plugins")
	            : agent_shortdesc(&infos[0]);
	rc = attr(w, "shortdesc", s);
	free(s);
	W(rc);
	if (generic)
		W(write_symlinks(w, infos, n));
	s = agent_longdesc(infos, generic);
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
	return end(w);
}

/* Non-zero if a plugin before INFOS[I] has a parameter NAME. */
static int
seen_before(const struct plugin_info *infos, size_t i, const char *name)
{
	for (size_t j = 0; j < i; j++)
		for (size_t m = 0; m < infos[j].nparams; m++)
			if (!strcmp(infos[j].params[m].name, name))
				return 1;
	return 0;
}

/* The parameters: the shim's first ones, the plugins', the shim's rest.
 * A plugin parameter named like a shim option is the shim's option. */
static int
write_parameters(xmlTextWriterPtr w, const struct plugin_info *infos, size_t n,
                 int generic)
{
	W(start(w, "parameters"));
	W(write_options(w, generic, 1));
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < infos[i].nparams; k++) {
			const struct meta_param *p = &infos[i].params[k];
			char *s;
			int rc;

			/* The generic agent lists each name once. */
			if (p->shim_option || seen_before(infos, i, p->name))
				continue;
			s = generic ? users_of(infos, n, p->name) : NULL;
			rc = write_param(w, p, s);
			free(s);
			W(rc);
		}
	}
	W(write_options(w, generic, 0));
	return end(w);
}

static int
write_document(xmlTextWriterPtr w, const char *agent,
               const struct plugin_info *infos, size_t n, int generic)
{
	W(write_head(w, agent, infos, n, generic));
	W(write_parameters(w, infos, n, generic));
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

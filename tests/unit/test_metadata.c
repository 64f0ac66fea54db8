/*
 * test_metadata.c - reading a plugin's getinfo-xml and writing RHCS
 * metadata from it (src/metadata.c, metaread.c, metawrite.c). The output
 * is checked by parsing it again with libxml2 and validating it against
 * the schemas of fence-agents and pcs.
 */
#define _GNU_SOURCE
#include "unit.h"

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>

#include "metadata.h"

#define FENCE_RNG "/usr/share/cluster/relaxng/metadata.rng"
#define PCS_RNG   "/usr/share/pcs/data/ocf-1.0.rng"

/* A plugin's getinfo-xml as real plugins write it: one parameter per
 * block, descriptions on their own lines, some without required=. */
static const char plugin_xml[] =
        "<parameters>\n"
        "<parameter name=\"hostname\" unique=\"1\" required=\"1\">\n"
        "<content type=\"string\" />\n"
        "<shortdesc lang=\"en\">\nHost name\n</shortdesc>\n"
        "<longdesc lang=\"en\">\nThe name of the   node this\n"
        "\tdevice powers.\n</longdesc>\n"
        "</parameter>\n"
        "\n"
        "<parameter name=\"ipaddr\" unique=\"1\" required=\"1\">\n"
        "<content type=\"string\" />\n"
        "<shortdesc lang=\"en\">Address</shortdesc>\n"
        "<longdesc lang=\"en\">IP address or DNS name of the board."
        "</longdesc>\n"
        "</parameter>\n"
        "<parameter name=\"userid\" unique=\"0\" required=\"0\">\n"
        "<content type=\"string\" default=\"admin\"/>\n"
        "<shortdesc lang=\"en\">Login</shortdesc>\n"
        "<longdesc lang=\"en\">Login used on the board.</longdesc>\n"
        "</parameter>\n"
        "<parameter name=\"outlets\" unique=\"0\">\n"
        "<content type=\"integer\" default=\"8\"/>\n"
        "<shortdesc lang=\"en\">Outlets</shortdesc>\n"
        "</parameter>\n"
        "<parameter name=\"use_tls\" unique=\"0\">\n"
        "<content type=\"boolean\" default=\"false\"/>\n"
        "<shortdesc lang=\"en\">TLS</shortdesc>\n"
        "</parameter>\n"
        "<parameter name=\"mode\" unique=\"0\">\n"
        "<content type=\"enum\" default=\"lan\"/>\n"
        "<shortdesc lang=\"en\">Mode</shortdesc>\n"
        "</parameter>\n"
        "<parameter name=\"interface\" unique=\"0\">\n"
        "<content type=\"enum\" default=\"lan\">\n"
        "<option value=\"lan\"/>\n<option value=\"lanplus\"/>\n"
        "</content>\n"
        "<shortdesc lang=\"en\">Interface</shortdesc>\n"
        "</parameter>\n"
        "<parameter name=\"privilege\" unique=\"0\">\n"
        "<content type=\"select\">"
        "<option value=\"ADMINISTRATOR\"/><option value=\"OPERATOR\"/>"
        "</content>\n"
        "<shortdesc lang=\"en\">Privilege level.</shortdesc>\n"
        "<longdesc lang=\"en\">Privilege level of the user, OPERATOR or "
        "ADMINISTRATOR.</longdesc>\n"
        "</parameter>\n"
        "</parameters>\n";

static const char *const plugin_names[] = {
        "hostname", "ipaddr", "userid",    "outlets",
        "use_tls",  "mode",   "interface", "privilege",
};
#define NPLUGIN (sizeof(plugin_names) / sizeof(plugin_names[0]))

/* Texts that must survive the trip: UTF-8, entities, CDATA. */
static const char i18n_xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<parameters>\n"
        "<parameter name=\"size\" unique=\"0\">\n"
        "<content type=\"string\" default=\"Gr&#246;&#223;e &amp; co\"/>\n"
        "<shortdesc lang=\"en\">Size &amp; power &lt;W&gt;</shortdesc>\n"
        "<longdesc lang=\"en\"><![CDATA[Use a < b && \"c\" ]]> caf&#233;."
        "</longdesc>\n"
        "<shortdesc lang=\"de\">Gr\xc3\xb6\xc3\x9f"
        "e</shortdesc>\n"
        "<longdesc lang=\"de\">Die Gr\xc3\xb6\xc3\x9f"
        "e des Ger\xc3\xa4ts."
        "</longdesc>\n"
        "<shortdesc lang=\"ja\">\xe9\x9b\xbb\xe6\xba\x90</shortdesc>\n"
        "</parameter>\n"
        "</parameters>\n";

#define SIZE_EN "Size & power <W>. Use a < b && \"c\" caf\xc3\xa9."
#define SIZE_DE                                                                \
	"Gr\xc3\xb6\xc3\x9f"                                                   \
	"e. Die Gr\xc3\xb6\xc3\x9f"                                            \
	"e des Ger\xc3\xa4ts."
#define SIZE_JA "\xe9\x9b\xbb\xe6\xba\x90"
#define SIZE_DEFAULT                                                           \
	"Gr\xc3\xb6\xc3\x9f"                                                   \
	"e & co"

/* ---- helpers ---------------------------------------------------------- */

static void
info_init(struct plugin_info *info, const char *name)
{
	memset(info, 0, sizeof(*info));
	info->name = strdup(name);
	info->devid = strdup("Test power switch");
	info->devdescr = strdup("A power switch for tests.");
	info->devurl = strdup("http://example.com/tps");
	ck_assert_ptr_nonnull(info->name);
}

/* Parse XML (a string) into a fresh INFO; it must succeed. */
static void
parse(const char *xml, struct plugin_info *info, const char *name)
{
	char *why = NULL;

	info_init(info, name);
	ck_assert_msg(meta_parse_params(xml, strlen(xml), info, &why) == 0,
	              "refused: %s", why);
	ck_assert_ptr_null(why);
}

/* Parse XML; it must be refused with a reason holding WORDS. */
static void
assert_refused(const char *xml, size_t len, const char *words)
{
	struct plugin_info info;
	struct unit_capture cap;
	char *why = NULL;
	int rc;

	info_init(&info, "bad");
	unit_capture_start(&cap);
	rc = meta_parse_params(xml, len, &info, &why);
	free(unit_capture_end(&cap));
	ck_assert_msg(rc == -1, "accepted: %.*s", (int)len, xml);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, words) != NULL, "reason '%s' lacks '%s'", why,
	              words);
	free(why);
	meta_info_free(&info);
}

static const struct meta_param *
param(const struct plugin_info *info, const char *name)
{
	for (size_t i = 0; i < info->nparams; i++)
		if (strcmp(info->params[i].name, name) == 0)
			return &info->params[i];
	ck_abort_msg("no parameter %s", name);
	return NULL;
}

static const char *
desc(const struct meta_param *p, const char *lang)
{
	for (size_t i = 0; i < p->ndescs; i++)
		if (strcmp(p->descs[i].lang, lang) == 0)
			return p->descs[i].text;
	return NULL;
}

/* meta_write() into a libxml2 document (caller frees both). */
static xmlDocPtr
write_doc(const char *agent, const struct plugin_info *infos, size_t n,
          int generic, char **text)
{
	size_t len = 0;
	xmlDocPtr doc;

	ck_assert_int_eq(meta_write(agent, infos, n, generic, text, &len), 0);
	ck_assert_ptr_nonnull(*text);
	ck_assert_uint_eq(strlen(*text), len);
	doc = xmlReadMemory(*text, (int)len, "metadata", NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR |
	                            XML_PARSE_NOWARNING);
	ck_assert_msg(doc != NULL, "meta_write output is not well-formed:\n%s",
	              *text);
	return doc;
}

static int
is_element(xmlNodePtr n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       xmlStrcmp(n->name, BAD_CAST name) == 0;
}

static xmlNodePtr
child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr c = parent->children; c; c = c->next)
		if (is_element(c, name))
			return c;
	return NULL;
}

/* Attribute NAME of N as a new string ("" if absent; caller frees). */
static char *
attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);
	char *s = strdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static int
attr_is(xmlNodePtr n, const char *name, const char *value)
{
	char *v = attr(n, name);
	int eq = strcmp(v, value) == 0;

	free(v);
	return eq;
}

/* The <parameter> named NAME in DOC, or NULL. */
static xmlNodePtr
out_param(xmlDocPtr doc, const char *name)
{
	xmlNodePtr params = child(xmlDocGetRootElement(doc), "parameters");

	ck_assert_ptr_nonnull(params);
	for (xmlNodePtr c = params->children; c; c = c->next)
		if (is_element(c, "parameter") && attr_is(c, "name", name))
			return c;
	return NULL;
}

/* Names of DOC's parameters, in order, blank-separated (caller frees). */
static char *
out_param_names(xmlDocPtr doc)
{
	xmlNodePtr params = child(xmlDocGetRootElement(doc), "parameters");
	size_t cap = 4096, o = 0;
	char *s = calloc(1, cap);

	ck_assert_ptr_nonnull(s);
	for (xmlNodePtr c = params->children; c; c = c->next) {
		if (!is_element(c, "parameter"))
			continue;
		char *name = attr(c, "name");
		o += (size_t)snprintf(s + o, cap - o, "%s%s", o ? " " : "",
		                      name);
		free(name);
	}
	return s;
}

/* Text of P's <shortdesc lang=LANG>, or NULL (caller frees). */
static char *
out_shortdesc(xmlNodePtr p, const char *lang)
{
	for (xmlNodePtr c = p->children; c; c = c->next) {
		if (is_element(c, "shortdesc") && attr_is(c, "lang", lang)) {
			xmlChar *t = xmlNodeGetContent(c);
			char *s = strdup((const char *)t);

			xmlFree(t);
			return s;
		}
	}
	return NULL;
}

static int
count_children(xmlNodePtr p, const char *name)
{
	int n = 0;

	for (xmlNodePtr c = p->children; c; c = c->next)
		n += is_element(c, name);
	return n;
}

/* Validate the document TEXT against the RelaxNG schema RNG; returns 0
 * if it is valid. */
static int
validate(const char *text, const char *rng)
{
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(rng);
	xmlRelaxNGPtr schema;
	xmlRelaxNGValidCtxtPtr vc;
	xmlDocPtr doc;
	int rc;

	ck_assert_ptr_nonnull(pc);
	schema = xmlRelaxNGParse(pc);
	ck_assert_msg(schema != NULL, "cannot load the schema %s", rng);
	vc = xmlRelaxNGNewValidCtxt(schema);
	ck_assert_ptr_nonnull(vc);
	doc = xmlReadMemory(text, (int)strlen(text), "metadata", NULL,
	                    XML_PARSE_NONET);
	ck_assert_ptr_nonnull(doc);
	rc = xmlRelaxNGValidateDoc(vc, doc);
	xmlFreeDoc(doc);
	xmlRelaxNGFreeValidCtxt(vc);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pc);
	return rc;
}

static void
assert_valid(const char *text)
{
	ck_assert_msg(validate(text, FENCE_RNG) == 0,
	              "not valid against %s:\n%s", FENCE_RNG, text);
	ck_assert_msg(validate(text, PCS_RNG) == 0, "not valid against %s:\n%s",
	              PCS_RNG, text);
}

/* Would the shim advertise option O in its metadata, in the FIRST block
 * or the last, for the GENERIC agent or a per-plugin one? */
static int
advertised(const struct option_spec *o, int generic, int first)
{
	return !!(o->flags & OF_FIRST) == first &&
	       !(o->flags & (OF_HIDDEN | OF_CLI_ONLY)) &&
	       (generic || !(o->flags & OF_GENERIC_ONLY));
}

/* Append the shim's advertised option names of one block to S. */
static void
append_shim_names(char *s, size_t cap, int generic, int first)
{
	for (size_t i = 0; i < option_count; i++)
		if (advertised(&option_table[i], generic, first)) {
			if (*s)
				strncat(s, " ", cap - strlen(s) - 1);
			strncat(s, option_table[i].name, cap - strlen(s) - 1);
		}
}

/* ---- parsing ---------------------------------------------------------- */

START_TEST(every_parameter_of_a_plugin_block_is_read)
{
	struct plugin_info info;

	parse(plugin_xml, &info, "tps");
	ck_assert_uint_eq(info.nparams, NPLUGIN);
	for (size_t i = 0; i < NPLUGIN; i++)
		ck_assert_str_eq(info.params[i].name, plugin_names[i]);
	meta_info_free(&info);
}
END_TEST

START_TEST(required_and_unique_are_kept)
{
	struct plugin_info info;

	parse(plugin_xml, &info, "tps");
	ck_assert_int_eq(param(&info, "hostname")->required, 1);
	ck_assert_int_eq(param(&info, "hostname")->unique, 1);
	ck_assert_int_eq(param(&info, "userid")->required, 0);
	ck_assert_int_eq(param(&info, "userid")->unique, 0);
	ck_assert_int_eq(param(&info, "outlets")->required, 0);
	meta_info_free(&info);
}
END_TEST

START_TEST(content_types_are_mapped)
{
	struct plugin_info info;
	const struct meta_param *p;

	parse(plugin_xml, &info, "tps");
	ck_assert_int_eq(param(&info, "hostname")->type, OT_STRING);
	ck_assert_int_eq(param(&info, "outlets")->type, OT_INTEGER);
	ck_assert_int_eq(param(&info, "use_tls")->type, OT_BOOLEAN);
	p = param(&info, "mode");
	ck_assert_int_eq(p->type, OT_STRING);
	p = param(&info, "interface");
	ck_assert_int_eq(p->type, OT_SELECT);
	ck_assert_ptr_nonnull(p->choices);
	ck_assert_str_eq(p->choices[0], "lan");
	ck_assert_str_eq(p->choices[1], "lanplus");
	ck_assert_ptr_null(p->choices[2]);
	p = param(&info, "privilege");
	ck_assert_int_eq(p->type, OT_SELECT);
	ck_assert_str_eq(p->choices[0], "ADMINISTRATOR");
	ck_assert_str_eq(p->choices[1], "OPERATOR");
	ck_assert_ptr_null(p->choices[2]);
	meta_info_free(&info);
}
END_TEST

START_TEST(unknown_or_missing_content_type_is_a_string)
{
	struct plugin_info info;

	parse("<parameters>"
	      "<parameter name=\"a\"><content type=\"ipaddress\"/></parameter>"
	      "<parameter name=\"b\"><content/></parameter>"
	      "<parameter name=\"c\"/>"
	      "<parameter name=\"d\"><content type=\"int\"/></parameter>"
	      "</parameters>",
	      &info, "t");
	ck_assert_uint_eq(info.nparams, 4);
	ck_assert_int_eq(param(&info, "a")->type, OT_STRING);
	ck_assert_int_eq(param(&info, "b")->type, OT_STRING);
	ck_assert_int_eq(param(&info, "c")->type, OT_STRING);
	ck_assert_int_eq(param(&info, "d")->type, OT_INTEGER);
	meta_info_free(&info);
}
END_TEST

START_TEST(default_is_kept)
{
	struct plugin_info info;

	parse(plugin_xml, &info, "tps");
	ck_assert_pstr_eq(param(&info, "userid")->def, "admin");
	ck_assert_pstr_eq(param(&info, "outlets")->def, "8");
	ck_assert_pstr_eq(param(&info, "interface")->def, "lan");
	ck_assert_ptr_null(param(&info, "hostname")->def);
	meta_info_free(&info);
}
END_TEST

START_TEST(whitespace_in_descriptions_is_normalised)
{
	struct plugin_info info;

	parse(plugin_xml, &info, "tps");
	ck_assert_pstr_eq(
	        desc(param(&info, "hostname"), "en"),
	        "Host name. The name of the node this device powers.");
	meta_info_free(&info);
}
END_TEST

START_TEST(normalise_space_collapses_and_trims)
{
	char a[] = "  one \n\t two\r\n three  ", b[] = " \n\t ", c[] = "x";

	meta_normalise_space(a);
	meta_normalise_space(b);
	meta_normalise_space(c);
	ck_assert_str_eq(a, "one two three");
	ck_assert_str_eq(b, "");
	ck_assert_str_eq(c, "x");
}
END_TEST

START_TEST(short_and_long_descriptions_are_folded_into_one)
{
	struct plugin_info info;
	const struct meta_param *p;

	parse(plugin_xml, &info, "tps");
	p = param(&info, "ipaddr");
	ck_assert_uint_eq(p->ndescs, 1);
	ck_assert_str_eq(p->descs[0].lang, "en");
	ck_assert_str_eq(p->descs[0].text,
	                 "Address. IP address or DNS name of the board.");
	/* Only a short one: kept as it is. */
	ck_assert_pstr_eq(desc(param(&info, "outlets"), "en"), "Outlets");
	meta_info_free(&info);
}
END_TEST

START_TEST(long_description_starting_with_the_short_one_is_not_repeated)
{
	struct plugin_info info;

	parse(plugin_xml, &info, "tps");
	ck_assert_pstr_eq(desc(param(&info, "userid"), "en"),
	                  "Login used on the board.");
	ck_assert_pstr_eq(desc(param(&info, "privilege"), "en"),
	                  "Privilege level of the user, OPERATOR or "
	                  "ADMINISTRATOR.");
	meta_info_free(&info);
}
END_TEST

START_TEST(only_a_long_description_is_kept)
{
	struct plugin_info info;

	parse("<parameters><parameter name=\"a\">"
	      "<longdesc lang=\"en\">Only long.</longdesc>"
	      "</parameter></parameters>",
	      &info, "t");
	ck_assert_pstr_eq(desc(param(&info, "a"), "en"), "Only long.");
	meta_info_free(&info);
}
END_TEST

START_TEST(description_without_lang_is_english)
{
	struct plugin_info info;

	parse("<parameters><parameter name=\"a\">"
	      "<shortdesc>Short</shortdesc>"
	      "</parameter></parameters>",
	      &info, "t");
	ck_assert_pstr_eq(desc(param(&info, "a"), "en"), "Short");
	meta_info_free(&info);
}
END_TEST

START_TEST(several_languages_are_kept)
{
	struct plugin_info info;
	const struct meta_param *p;

	parse(i18n_xml, &info, "t");
	p = param(&info, "size");
	ck_assert_uint_eq(p->ndescs, 3);
	ck_assert_pstr_eq(desc(p, "en"), SIZE_EN);
	ck_assert_pstr_eq(desc(p, "de"), SIZE_DE);
	ck_assert_pstr_eq(desc(p, "ja"), SIZE_JA);
	meta_info_free(&info);
}
END_TEST

START_TEST(utf8_cdata_and_entities_are_decoded)
{
	struct plugin_info info;

	parse(i18n_xml, &info, "t");
	ck_assert_pstr_eq(param(&info, "size")->def, SIZE_DEFAULT);
	meta_info_free(&info);
}
END_TEST

START_TEST(shim_option_names_of_a_plugin_are_marked_not_dropped)
{
	struct plugin_info info;

	parse("<parameters>"
	      "<parameter name=\"action\"/><parameter name=\"port\"/>"
	      "<parameter name=\"nodename\"/><parameter name=\"ipaddr\"/>"
	      "</parameters>",
	      &info, "t");
	ck_assert_uint_eq(info.nparams, 4);
	ck_assert_int_eq(param(&info, "action")->shim_option, 1);
	ck_assert_int_eq(param(&info, "port")->shim_option, 1);
	ck_assert_int_eq(param(&info, "nodename")->shim_option, 0);
	ck_assert_int_eq(param(&info, "ipaddr")->shim_option, 0);
	/* Declaring them is no flaw of the plugin. */
	ck_assert_uint_eq(info.nproblems, 0);
	meta_info_free(&info);
}
END_TEST

START_TEST(parameter_without_a_variable_name_is_skipped)
{
	struct plugin_info info;
	struct unit_capture cap;

	unit_capture_start(&cap);
	parse("<parameters>"
	      "<parameter name=\"a-b\"/><parameter/><parameter name=\"\"/>"
	      "<parameter name=\"ok\"/><parameter name=\"ok\"/>"
	      "</parameters>",
	      &info, "t");
	free(unit_capture_end(&cap));
	ck_assert_uint_eq(info.nparams, 1);
	ck_assert_str_eq(info.params[0].name, "ok");
	/* Three skipped (the repeated "ok" is no problem), each said. */
	ck_assert_uint_eq(info.nproblems, 3);
	ck_assert_ptr_nonnull(strstr(info.problems[0], "'a-b' skipped"));
	ck_assert_ptr_nonnull(strstr(info.problems[1], "without name"));
	meta_info_free(&info);
}
END_TEST

START_TEST(parameters_inside_a_resource_agent_are_found)
{
	struct plugin_info info;

	parse("<?xml version=\"1.0\"?>\n<resource-agent name=\"x\">"
	      "<parameters><parameter name=\"a\"/></parameters>"
	      "</resource-agent>",
	      &info, "t");
	ck_assert_uint_eq(info.nparams, 1);
	meta_info_free(&info);
}
END_TEST

START_TEST(doctype_is_refused)
{
	static const char internal[] =
	        "<!DOCTYPE parameters [<!ENTITY x \"boom\">]>"
	        "<parameters><parameter name=\"a\">"
	        "<shortdesc>&x;</shortdesc></parameter></parameters>";
	static const char external[] =
	        "<!DOCTYPE parameters SYSTEM \"http://127.0.0.1:1/x.dtd\">"
	        "<parameters><parameter name=\"a\"/></parameters>";

	assert_refused(internal, sizeof(internal) - 1, "DTD");
	assert_refused(external, sizeof(external) - 1, "DTD");
}
END_TEST

/* Parse XML that is not well-formed: libxml2's recovery must read it,
 * with a reason holding WORDS. */
static void
parse_recovered(const char *xml, struct plugin_info *info, const char *words)
{
	char *why = NULL;

	info_init(info, "t");
	ck_assert_int_eq(meta_parse_params(xml, strlen(xml), info, &why), 1);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, words) != NULL, "reason '%s' lacks '%s'", why,
	              words);
	free(why);
}

START_TEST(unescaped_ampersand_is_recovered_with_every_parameter)
{
	/* The classic flaw: "PDU & host" in a description. */
	static const char xml[] =
	        "<parameters>\n"
	        "<parameter name=\"hostlist\" required=\"1\">"
	        "<content type=\"string\"/>"
	        "<shortdesc lang=\"en\">Hosts</shortdesc></parameter>\n"
	        "<parameter name=\"outlet\">"
	        "<longdesc lang=\"en\">The PDU & the host.</longdesc>"
	        "</parameter>\n"
	        "<parameter name=\"passwd\" required=\"1\">"
	        "<content type=\"string\"/></parameter>\n"
	        "</parameters>\n";
	struct plugin_info info;

	parse_recovered(xml, &info, "not well-formed (line 3: ");
	ck_assert_uint_eq(info.nparams, 3);
	ck_assert_int_eq(param(&info, "hostlist")->required, 1);
	ck_assert_int_eq(param(&info, "passwd")->required, 1);
	ck_assert_ptr_nonnull(
	        strstr(desc(param(&info, "outlet"), "en"), "PDU"));
	meta_info_free(&info);
}
END_TEST

START_TEST(undefined_entity_is_recovered_not_expanded)
{
	static const char xml[] = "<parameters><parameter name=\"a\">"
	                          "<shortdesc>x&nbsp;y</shortdesc>"
	                          "</parameter></parameters>";
	struct plugin_info info;

	parse_recovered(xml, &info, "not well-formed");
	ck_assert_uint_eq(info.nparams, 1);
	ck_assert_ptr_null(strstr(desc(&info.params[0], "en"), "nbsp"));
	meta_info_free(&info);
}
END_TEST

START_TEST(unclosed_parameter_is_recovered_with_a_reason)
{
	static const char xml[] = "<parameters>\n<parameter name=\"a\">\n"
	                          "</parameters>\n";
	struct plugin_info info;

	parse_recovered(xml, &info, "not well-formed (line ");
	ck_assert_uint_eq(info.nparams, 1);
	meta_info_free(&info);
}
END_TEST

START_TEST(text_that_recovery_gets_nothing_from_is_refused)
{
	static const char *const texts[] = {"ipmitool: not found\n",
	                                    "usage: x {on|off}\n<parameters>"};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		assert_refused(texts[i], strlen(texts[i]), "not well-formed");
}
END_TEST

START_TEST(empty_output_is_refused)
{
	assert_refused("", 0, "printed nothing");
	assert_refused(" \n\t\r\n", 5, "printed nothing");
}
END_TEST

START_TEST(nul_byte_is_refused)
{
	static const char xml[] = "<parameters>\0</parameters>";

	assert_refused(xml, sizeof(xml) - 1, "NUL");
}
END_TEST

START_TEST(xml_without_parameters_is_refused)
{
	assert_refused("<resource-agent/>", 17, "no <parameters>");
}
END_TEST

/* ---- getconfignames --------------------------------------------------- */

START_TEST(confignames_adds_names_the_xml_lacks_as_optional)
{
	struct plugin_info info;
	const struct meta_param *p;

	parse(plugin_xml, &info, "tps");
	meta_apply_confignames(&info, "hostname\nipaddr\nextra_one\n");
	ck_assert_uint_eq(info.nparams, NPLUGIN + 1);
	p = &info.params[NPLUGIN];
	ck_assert_str_eq(p->name, "extra_one");
	ck_assert_int_eq(p->required, 0);
	ck_assert_int_eq(p->type, OT_STRING);
	ck_assert_uint_ge(p->ndescs, 1);
	ck_assert_ptr_nonnull(strstr(p->descs[0].text, "extra_one"));
	meta_info_free(&info);
}
END_TEST

START_TEST(confignames_never_makes_a_parameter_required)
{
	struct plugin_info info;

	/* sbd: the XML marks nothing required, getconfignames lists
	 * optional names. Only required="1" is required. */
	parse("<parameters>"
	      "<parameter name=\"sbd_device\"><content type=\"string\"/>"
	      "</parameter>"
	      "<parameter name=\"crashdump\"><content type=\"string\"/>"
	      "</parameter>"
	      "<parameter name=\"timeout_bypass\"/>"
	      "</parameters>",
	      &info, "t");
	meta_apply_confignames(&info, "sbd_device crashdump timeout_bypass\n");
	for (size_t i = 0; i < info.nparams; i++) {
		ck_assert_int_eq(info.params[i].required, 0);
		ck_assert_int_eq(info.params[i].listed, 1);
	}
	ck_assert_uint_eq(info.nproblems, 0);
	meta_info_free(&info);
}
END_TEST

START_TEST(confignames_leaves_required_alone_when_the_xml_says_it)
{
	struct plugin_info info;

	parse(plugin_xml, &info, "tps");
	meta_apply_confignames(&info, "hostname userid outlets");
	ck_assert_int_eq(param(&info, "userid")->required, 0);
	ck_assert_int_eq(param(&info, "outlets")->required, 0);
	ck_assert_int_eq(param(&info, "hostname")->required, 1);
	ck_assert_int_eq(param(&info, "mode")->listed, 0);
	meta_info_free(&info);
}
END_TEST

START_TEST(confignames_with_a_word_that_is_no_name_is_ignored_whole)
{
	struct plugin_info info;

	parse("<parameters><parameter name=\"a\"/></parameters>", &info, "t");
	meta_apply_confignames(&info, "b a-b $x a");
	ck_assert_uint_eq(info.nparams, 1);
	ck_assert_int_eq(info.params[0].listed, 0);
	ck_assert_uint_eq(info.nproblems, 1);
	ck_assert_ptr_nonnull(strstr(info.problems[0], "'a-b' is not a"));
	meta_info_free(&info);
}
END_TEST

START_TEST(confignames_run_together_are_reported_not_a_parameter)
{
	struct plugin_info info;

	parse("<parameters><parameter name=\"ipaddr\"/>"
	      "<parameter name=\"login\"/><parameter name=\"password\"/>"
	      "</parameters>",
	      &info, "t");
	meta_apply_confignames(&info, "ipaddrloginpassword");
	ck_assert_uint_eq(info.nparams, 3);
	ck_assert_uint_eq(info.nproblems, 1);
	ck_assert_ptr_nonnull(strstr(info.problems[0], "without a separator"));
	meta_info_free(&info);
}
END_TEST

START_TEST(confignames_marks_shim_option_names)
{
	struct plugin_info info;

	parse("<parameters><parameter name=\"a\"/></parameters>", &info, "t");
	meta_apply_confignames(&info, "port a extra");
	ck_assert_uint_eq(info.nparams, 3);
	ck_assert_int_eq(param(&info, "port")->shim_option, 1);
	ck_assert_int_eq(param(&info, "extra")->shim_option, 0);
	ck_assert_int_eq(param(&info, "extra")->listed, 1);
	ck_assert_uint_eq(info.nproblems, 0);
	meta_info_free(&info);
}
END_TEST

/* ---- writing ---------------------------------------------------------- */

START_TEST(per_plugin_output_validates_against_both_schemas)
{
	struct plugin_info info;
	char *text;

	parse(plugin_xml, &info, "tps");
	meta_apply_confignames(&info, "hostname extra");
	xmlFreeDoc(write_doc("fence_hb_tps", &info, 1, 0, &text));
	assert_valid(text);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(output_with_several_languages_validates)
{
	struct plugin_info info;
	char *text;

	parse(i18n_xml, &info, "t");
	xmlFreeDoc(write_doc("fence_hb_t", &info, 1, 0, &text));
	assert_valid(text);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(plugin_without_parameters_gives_valid_output)
{
	struct plugin_info info;
	char *text;

	parse("<parameters/>", &info, "bare");
	xmlFreeDoc(write_doc("fence_hb_bare", &info, 1, 0, &text));
	assert_valid(text);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(generic_output_validates_against_both_schemas)
{
	struct plugin_info infos[2];
	char *text;

	parse(plugin_xml, &infos[0], "tps");
	parse(i18n_xml, &infos[1], "t");
	xmlFreeDoc(write_doc("fence_hbwrap", infos, 2, 1, &text));
	assert_valid(text);
	free(text);
	meta_info_free(&infos[0]);
	meta_info_free(&infos[1]);
}
END_TEST

START_TEST(utf8_cdata_and_entities_come_out_intact)
{
	struct plugin_info info;
	xmlDocPtr doc;
	xmlNodePtr p;
	char *text, *s;

	parse(i18n_xml, &info, "t");
	doc = write_doc("fence_hb_t", &info, 1, 0, &text);
	p = out_param(doc, "size");
	ck_assert_ptr_nonnull(p);
	s = out_shortdesc(p, "en");
	ck_assert_pstr_eq(s, SIZE_EN);
	free(s);
	s = out_shortdesc(p, "de");
	ck_assert_pstr_eq(s, SIZE_DE);
	free(s);
	s = out_shortdesc(p, "ja");
	ck_assert_pstr_eq(s, SIZE_JA);
	free(s);
	s = attr(child(p, "content"), "default");
	ck_assert_str_eq(s, SIZE_DEFAULT);
	free(s);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(several_languages_come_out_as_several_shortdescs)
{
	struct plugin_info info;
	xmlDocPtr doc;
	xmlNodePtr p;
	char *text;

	parse(i18n_xml, &info, "t");
	doc = write_doc("fence_hb_t", &info, 1, 0, &text);
	p = out_param(doc, "size");
	ck_assert_int_eq(count_children(p, "shortdesc"), 3);
	ck_assert_int_eq(count_children(p, "longdesc"), 0);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(parameter_attributes_come_out_as_read)
{
	struct plugin_info info;
	xmlDocPtr doc;
	xmlNodePtr p, c;
	char *text;

	parse(plugin_xml, &info, "tps");
	doc = write_doc("fence_hb_tps", &info, 1, 0, &text);
	p = out_param(doc, "hostname");
	ck_assert(attr_is(p, "required", "1"));
	/* unique="1" in the plugin's XML: "0", as fence-agents write it (two
	 * devices may share a BMC address; crmsh warns on "1" collisions). */
	ck_assert(attr_is(p, "unique", "0"));
	ck_assert(attr_is(child(p, "content"), "type", "string"));
	p = out_param(doc, "userid");
	ck_assert(attr_is(p, "required", "0"));
	ck_assert(attr_is(child(p, "content"), "default", "admin"));
	ck_assert(attr_is(child(out_param(doc, "outlets"), "content"), "type",
	                  "integer"));
	ck_assert(attr_is(child(out_param(doc, "use_tls"), "content"), "type",
	                  "boolean"));
	ck_assert(attr_is(child(out_param(doc, "mode"), "content"), "type",
	                  "string"));
	c = child(out_param(doc, "interface"), "content");
	ck_assert(attr_is(c, "type", "select"));
	ck_assert_int_eq(count_children(c, "option"), 2);
	ck_assert(attr_is(child(c, "option"), "value", "lan"));
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(shim_params_come_before_the_plugins_and_the_rest_after)
{
	struct plugin_info info;
	char expect[4096] = "", *names, *text;
	xmlDocPtr doc;

	parse(plugin_xml, &info, "tps");
	append_shim_names(expect, sizeof(expect), 0, 1);
	for (size_t i = 0; i < NPLUGIN; i++) {
		strcat(expect, " ");
		strcat(expect, plugin_names[i]);
	}
	append_shim_names(expect, sizeof(expect), 0, 0);
	doc = write_doc("fence_hb_tps", &info, 1, 0, &text);
	names = out_param_names(doc);
	ck_assert_str_eq(names, expect);
	/* What Pacemaker needs: the target parameters and the action. */
	ck_assert_ptr_nonnull(out_param(doc, "action"));
	ck_assert_ptr_nonnull(out_param(doc, "port"));
	ck_assert_ptr_nonnull(out_param(doc, "plug"));
	ck_assert_ptr_null(out_param(doc, "plugin"));
	ck_assert_ptr_null(out_param(doc, "nodename"));
	free(names);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(per_plugin_output_describes_the_agent)
{
	struct plugin_info info;
	xmlNodePtr root;
	xmlDocPtr doc;
	char *text, *s;

	parse(plugin_xml, &info, "tps");
	doc = write_doc("fence_hb_tps", &info, 1, 0, &text);
	root = xmlDocGetRootElement(doc);
	ck_assert(is_element(root, "resource-agent"));
	ck_assert(attr_is(root, "name", "fence_hb_tps"));
	s = attr(root, "shortdesc");
	ck_assert_ptr_nonnull(strstr(s, "Test power switch"));
	ck_assert_ptr_nonnull(strstr(s, "external/tps"));
	free(s);
	ck_assert_int_eq(count_children(root, "symlink"), 0);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(advertised_actions_are_those_of_a_fence_agent)
{
	static const char *const want[] = {"on",       "off",         "reboot",
	                                   "status",   "list",        "monitor",
	                                   "metadata", "validate-all"};
	struct plugin_info info;
	xmlNodePtr acts;
	xmlDocPtr doc;
	char *text;

	parse(plugin_xml, &info, "tps");
	doc = write_doc("fence_hb_tps", &info, 1, 0, &text);
	acts = child(xmlDocGetRootElement(doc), "actions");
	ck_assert_ptr_nonnull(acts);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		int found = 0;

		for (xmlNodePtr a = acts->children; a; a = a->next)
			found |= is_element(a, "action") &&
			         attr_is(a, "name", want[i]);
		ck_assert_msg(found, "action %s not advertised", want[i]);
	}
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
}
END_TEST

START_TEST(generic_output_lists_each_parameter_once_never_required)
{
	struct plugin_info infos[2];
	xmlDocPtr doc;
	xmlNodePtr p;
	char *text, *s;

	parse(plugin_xml, &infos[0], "tps");
	parse("<parameters>"
	      "<parameter name=\"hostname\" required=\"1\"/>"
	      "<parameter name=\"community\" required=\"1\" unique=\"1\"/>"
	      "</parameters>",
	      &infos[1], "snmp");
	doc = write_doc("fence_hbwrap", infos, 2, 1, &text);
	ck_assert_int_eq(unit_count(text, "name=\"hostname\""), 1);
	ck_assert_int_eq(unit_count(text, "name=\"community\""), 1);
	for (size_t i = 0; i < NPLUGIN; i++) {
		p = out_param(doc, plugin_names[i]);
		ck_assert_msg(p != NULL, "%s missing", plugin_names[i]);
		ck_assert_msg(attr_is(p, "required", "0"), "%s required",
		              plugin_names[i]);
	}
	p = out_param(doc, "community");
	ck_assert(attr_is(p, "required", "0"));
	ck_assert(attr_is(p, "unique", "0"));
	/* The description says which plugins use a shared name. */
	s = out_shortdesc(out_param(doc, "hostname"), "en");
	ck_assert_ptr_nonnull(strstr(s, "tps"));
	ck_assert_ptr_nonnull(strstr(s, "snmp"));
	free(s);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&infos[0]);
	meta_info_free(&infos[1]);
}
END_TEST

START_TEST(generic_output_requires_plugin_and_lists_symlinks)
{
	struct plugin_info infos[2];
	xmlNodePtr root, p;
	xmlDocPtr doc;
	char *text, *names, expect[4096] = "";

	parse(plugin_xml, &infos[0], "tps");
	parse("<parameters><parameter name=\"community\"/></parameters>",
	      &infos[1], "snmp");
	doc = write_doc("fence_hbwrap", infos, 2, 1, &text);
	root = xmlDocGetRootElement(doc);
	ck_assert(attr_is(root, "name", "fence_hbwrap"));
	p = out_param(doc, "plugin");
	ck_assert_ptr_nonnull(p);
	ck_assert(attr_is(p, "required", "1"));
	ck_assert_int_eq(count_children(root, "symlink"), 2);
	for (p = root->children; p && !is_element(p, "symlink"); p = p->next)
		;
	ck_assert(attr_is(p, "name", "fence_hb_tps"));
	for (p = p->next; p && !is_element(p, "symlink"); p = p->next)
		;
	ck_assert(attr_is(p, "name", "fence_hb_snmp"));
	ck_assert(!attr_is(p, "shortdesc", ""));
	/* Order: shim (with plugin), both plugins' names, then the rest. */
	append_shim_names(expect, sizeof(expect), 1, 1);
	for (size_t i = 0; i < NPLUGIN; i++) {
		strcat(expect, " ");
		strcat(expect, plugin_names[i]);
	}
	strcat(expect, " community");
	append_shim_names(expect, sizeof(expect), 1, 0);
	names = out_param_names(doc);
	ck_assert_str_eq(names, expect);
	free(names);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&infos[0]);
	meta_info_free(&infos[1]);
}
END_TEST

START_TEST(generic_output_without_plugins_validates)
{
	char *text;

	xmlFreeDoc(write_doc("fence_hbwrap", NULL, 0, 1, &text));
	assert_valid(text);
	free(text);
}
END_TEST

START_TEST(schemas_refuse_metadata_without_parameters)
{
	/* The validation above can fail: a bare agent is not valid. */
	static const char bare[] =
	        "<resource-agent name=\"x\" "
	        "shortdesc=\"x\"><longdesc/></resource-agent>";

	ck_assert_int_ne(validate(bare, FENCE_RNG), 0);
}
END_TEST

/* ---- meta_from_calls -------------------------------------------------- */

static void
set_call(struct run_call *c, int status, const char *out, const char *err)
{
	memset(c, 0, sizeof(*c));
	c->end = RUN_EXITED;
	c->status = status;
	c->out.data = strdup(out);
	c->out.len = strlen(out);
	c->err.data = strdup(err);
	c->err.len = strlen(err);
}

/* Calls that all exited 0 with nothing printed. */
static void
quiet_calls(struct run_call *calls)
{
	for (size_t i = 0; i < MOP_COUNT; i++)
		set_call(&calls[i], 0, "", "");
}

static void
free_calls(struct run_call *calls)
{
	for (size_t i = 0; i < MOP_COUNT; i++)
		run_call_free(&calls[i]);
}

/* INFO has exactly one problem, holding every one of WORDS (NULL-ended). */
static void
assert_one_problem(const struct plugin_info *info, const char *const *words)
{
	ck_assert_uint_eq(info->nproblems, 1);
	for (; *words; words++)
		ck_assert_msg(strstr(info->problems[0], *words) != NULL,
		              "problem '%s' lacks '%s'", info->problems[0],
		              *words);
}

START_TEST(failed_getinfo_xml_falls_back_to_confignames_saying_why)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;

	quiet_calls(calls);
	run_call_free(&calls[MOP_XML]);
	set_call(&calls[MOP_XML], 2, "", "ha_log.sh:\n not found\n");
	run_call_free(&calls[MOP_CONFIGNAMES]);
	set_call(&calls[MOP_CONFIGNAMES], 0, "hostlist\npasswd\n", "");
	meta_from_calls("p", calls, MOPS_ALL, 30, &info);
	assert_one_problem(&info, (const char *const[]){
	                                  "getinfo-xml exited 2",
	                                  "ha_log.sh: not found",
	                                  "names getconfignames prints", NULL});
	ck_assert_uint_eq(info.nparams, 2);
	ck_assert_int_eq(param(&info, "hostlist")->required, 0);
	ck_assert_int_eq(param(&info, "passwd")->listed, 1);
	meta_info_free(&info);
	free_calls(calls);
}
END_TEST

START_TEST(empty_getinfo_xml_falls_back_to_confignames)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;

	quiet_calls(calls);
	run_call_free(&calls[MOP_CONFIGNAMES]);
	set_call(&calls[MOP_CONFIGNAMES], 0, "hostlist\n", "");
	meta_from_calls("p", calls, MOPS_ALL, 30, &info);
	assert_one_problem(&info,
	                   (const char *const[]){"printed nothing", NULL});
	ck_assert_uint_eq(info.nparams, 1);
	ck_assert_int_eq(info.xml_usable, 0);
	meta_info_free(&info);
	free_calls(calls);
}
END_TEST

START_TEST(timed_out_getinfo_xml_falls_back_to_confignames)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;

	quiet_calls(calls);
	calls[MOP_XML].end = RUN_TIMED_OUT;
	run_call_free(&calls[MOP_CONFIGNAMES]);
	set_call(&calls[MOP_CONFIGNAMES], 0, "hostlist\n", "");
	meta_from_calls("p", calls, MOPS_ALL, 5, &info);
	assert_one_problem(
	        &info, (const char *const[]){"getinfo-xml timed out", NULL});
	ck_assert_uint_eq(info.nparams, 1);
	meta_info_free(&info);
	free_calls(calls);
}
END_TEST

START_TEST(plugin_describing_nothing_gets_the_shim_parameters_only)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;
	xmlDocPtr doc;
	char *text;

	quiet_calls(calls);
	run_call_free(&calls[MOP_CONFIGNAMES]);
	set_call(&calls[MOP_CONFIGNAMES], 1, "", "");
	meta_from_calls("p", calls, MOPS_ALL, 30, &info);
	ck_assert_uint_eq(info.nparams, 0);
	ck_assert_uint_eq(info.nproblems, 2);
	ck_assert_ptr_nonnull(strstr(info.problems[0], "shim's own"));
	ck_assert_ptr_nonnull(
	        strstr(info.problems[1], "getconfignames exited 1"));
	doc = write_doc("fence_hb_p", &info, 1, 0, &text);
	assert_valid(text);
	xmlFreeDoc(doc);
	free(text);
	meta_info_free(&info);
	free_calls(calls);
}
END_TEST

START_TEST(failed_descriptive_operations_are_problems_not_fatal)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;

	set_call(&calls[MOP_XML], 0, plugin_xml, "");
	set_call(&calls[MOP_DEVID], 0, "  Test\n switch \n", "");
	set_call(&calls[MOP_DEVNAME], 1, "ignored", "");
	set_call(&calls[MOP_DEVDESCR], 1, "", "");
	set_call(&calls[MOP_DEVURL], 0, "http://example.com/\n", "");
	set_call(&calls[MOP_CONFIGNAMES], 0, "hostname extra\n", "");
	meta_from_calls("p", calls, MOPS_ALL, 30, &info);
	assert_one_problem(&info, (const char *const[]){"getinfo-devdescr "
	                                                "exited 1",
	                                                NULL});
	ck_assert_str_eq(info.name, "p");
	ck_assert_str_eq(info.devid, "Test switch");
	ck_assert_str_eq(info.devdescr, "");
	ck_assert_str_eq(info.devurl, "http://example.com/");
	ck_assert_uint_eq(info.nparams, NPLUGIN + 1);
	meta_info_free(&info);
	free_calls(calls);
}
END_TEST

START_TEST(operations_not_asked_for_are_not_judged)
{
	struct run_call calls[MOP_COUNT];
	struct plugin_info info;

	memset(calls, 0, sizeof(calls)); /* never ran: "exited" with -1 */
	set_call(&calls[MOP_XML], 0, plugin_xml, "");
	calls[MOP_DEVID].status = 1;
	meta_from_calls("p", calls, MOP_BIT(MOP_XML), 30, &info);
	ck_assert_uint_eq(info.nproblems, 0);
	ck_assert_str_eq(info.devid, "");
	meta_info_free(&info);
	run_call_free(&calls[MOP_XML]);
}
END_TEST

static Suite *
metadata_suite(void)
{
	Suite *s = suite_create("metadata");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, every_parameter_of_a_plugin_block_is_read);
	tcase_add_test(tc, required_and_unique_are_kept);
	tcase_add_test(tc, content_types_are_mapped);
	tcase_add_test(tc, unknown_or_missing_content_type_is_a_string);
	tcase_add_test(tc, default_is_kept);
	tcase_add_test(tc, whitespace_in_descriptions_is_normalised);
	tcase_add_test(tc, normalise_space_collapses_and_trims);
	tcase_add_test(tc, short_and_long_descriptions_are_folded_into_one);
	tcase_add_test(
	        tc,
	        long_description_starting_with_the_short_one_is_not_repeated);
	tcase_add_test(tc, only_a_long_description_is_kept);
	tcase_add_test(tc, description_without_lang_is_english);
	tcase_add_test(tc, several_languages_are_kept);
	tcase_add_test(tc, utf8_cdata_and_entities_are_decoded);
	tcase_add_test(tc,
	               shim_option_names_of_a_plugin_are_marked_not_dropped);
	tcase_add_test(tc, parameter_without_a_variable_name_is_skipped);
	tcase_add_test(tc, parameters_inside_a_resource_agent_are_found);
	tcase_add_test(tc, doctype_is_refused);
	tcase_add_test(tc,
	               unescaped_ampersand_is_recovered_with_every_parameter);
	tcase_add_test(tc, undefined_entity_is_recovered_not_expanded);
	tcase_add_test(tc, unclosed_parameter_is_recovered_with_a_reason);
	tcase_add_test(tc, text_that_recovery_gets_nothing_from_is_refused);
	tcase_add_test(tc, empty_output_is_refused);
	tcase_add_test(tc, nul_byte_is_refused);
	tcase_add_test(tc, xml_without_parameters_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("confignames");
	tcase_add_test(tc, confignames_adds_names_the_xml_lacks_as_optional);
	tcase_add_test(tc, confignames_never_makes_a_parameter_required);
	tcase_add_test(tc,
	               confignames_leaves_required_alone_when_the_xml_says_it);
	tcase_add_test(
	        tc, confignames_with_a_word_that_is_no_name_is_ignored_whole);
	tcase_add_test(tc,
	               confignames_run_together_are_reported_not_a_parameter);
	tcase_add_test(tc, confignames_marks_shim_option_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("write");
	tcase_add_test(tc, per_plugin_output_validates_against_both_schemas);
	tcase_add_test(tc, output_with_several_languages_validates);
	tcase_add_test(tc, plugin_without_parameters_gives_valid_output);
	tcase_add_test(tc, generic_output_validates_against_both_schemas);
	tcase_add_test(tc, utf8_cdata_and_entities_come_out_intact);
	tcase_add_test(tc, several_languages_come_out_as_several_shortdescs);
	tcase_add_test(tc, parameter_attributes_come_out_as_read);
	tcase_add_test(tc,
	               shim_params_come_before_the_plugins_and_the_rest_after);
	tcase_add_test(tc, per_plugin_output_describes_the_agent);
	tcase_add_test(tc, advertised_actions_are_those_of_a_fence_agent);
	tcase_add_test(tc,
	               generic_output_lists_each_parameter_once_never_required);
	tcase_add_test(tc, generic_output_requires_plugin_and_lists_symlinks);
	tcase_add_test(tc, generic_output_without_plugins_validates);
	tcase_add_test(tc, schemas_refuse_metadata_without_parameters);
	suite_add_tcase(s, tc);

	tc = tcase_create("from_calls");
	tcase_add_test(tc,
	               failed_getinfo_xml_falls_back_to_confignames_saying_why);
	tcase_add_test(tc, empty_getinfo_xml_falls_back_to_confignames);
	tcase_add_test(tc, timed_out_getinfo_xml_falls_back_to_confignames);
	tcase_add_test(tc,
	               plugin_describing_nothing_gets_the_shim_parameters_only);
	tcase_add_test(tc,
	               failed_descriptive_operations_are_problems_not_fatal);
	tcase_add_test(tc, operations_not_asked_for_are_not_judged);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return unit_run(metadata_suite(), CK_FORK_GETENV);
}

/*
 * xml.h - libxml2, loaded the first time XML is needed.
 *
 * Fencing (reboot, off, on, status, list, monitor) touches XML only to
 * learn the parameter names a plugin declares when the metadata cache
 * has no entry for it (declared.c reads its getinfo-xml): then libxml2
 * is loaded, and the action needs its memory and descriptors; with the
 * plugin's names cached, none is loaded.
 * Linking libxml2 at start-up costs about a millisecond on every call
 * (it brings ICU and libstdc++ with it on Debian), more than the rest
 * of the shim's own start, so the modules that read or write XML
 * include this header instead of libxml2's: the names below then go
 * through a table that dlopen()/dlsym() fill on first use.
 */
#ifndef HBWRAP_XML_H
#define HBWRAP_XML_H

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

#define XML_API(X)                                                             \
	X(xmlBufferContent)                                                    \
	X(xmlBufferCreate)                                                     \
	X(xmlBufferFree)                                                       \
	X(xmlBufferLength)                                                     \
	X(xmlCheckVersion)                                                     \
	X(xmlCleanupParser)                                                    \
	X(xmlCtxtGetLastError)                                                 \
	X(xmlCtxtReadMemory)                                                   \
	X(xmlDocGetRootElement)                                                \
	X(xmlFree)                                                             \
	X(xmlFreeDoc)                                                          \
	X(xmlFreeParserCtxt)                                                   \
	X(xmlFreeTextWriter)                                                   \
	X(xmlGetProp)                                                          \
	X(xmlNewParserCtxt)                                                    \
	X(xmlNewTextWriterMemory)                                              \
	X(xmlNodeGetContent)                                                   \
	X(xmlReadMemory)                                                       \
	X(xmlRelaxNGFree)                                                      \
	X(xmlRelaxNGFreeParserCtxt)                                            \
	X(xmlRelaxNGFreeValidCtxt)                                             \
	X(xmlRelaxNGNewParserCtxt)                                             \
	X(xmlRelaxNGNewValidCtxt)                                              \
	X(xmlRelaxNGParse)                                                     \
	X(xmlRelaxNGSetParserErrors)                                           \
	X(xmlRelaxNGSetValidErrors)                                            \
	X(xmlRelaxNGValidateDoc)                                               \
	X(xmlStrcmp)                                                           \
	X(xmlTextWriterEndDocument)                                            \
	X(xmlTextWriterEndElement)                                             \
	X(xmlTextWriterSetIndent)                                              \
	X(xmlTextWriterSetIndentString)                                        \
	X(xmlTextWriterStartDocument)                                          \
	X(xmlTextWriterStartElement)                                           \
	X(xmlTextWriterWriteAttribute)                                         \
	X(xmlTextWriterWriteString)

struct xml_api {
#define XML_API_FIELD(f) __typeof__(&f) f;
	XML_API(XML_API_FIELD)
#undef XML_API_FIELD
};

/*
 * Load libxml2 and fill the table (once). Returns 0, or -1 after a
 * one-line error saying why libxml2 cannot be used.
 */
int xml_load(void);

/* The table, loaded on first use; exits 1 (after xml_load()'s error)
 * if libxml2 cannot be loaded: nothing has been printed on stdout yet
 * when XML is first needed, and nothing XML-based can go on without it. */
const struct xml_api *xml_get(void);

/* The soname xml_load() opens: the one of the libxml2 built against. */
extern const char xml_soname[];

/* Release libxml2's global state, if it was loaded. */
void xml_unload(void);

#ifndef XML_API_IMPLEMENTATION
/* From here on, the libxml2 names call through the table. */
#define xmlBufferContent     (xml_get()->xmlBufferContent)
#define xmlBufferCreate      (xml_get()->xmlBufferCreate)
#define xmlBufferFree        (xml_get()->xmlBufferFree)
#define xmlBufferLength      (xml_get()->xmlBufferLength)
#define xmlCheckVersion      (xml_get()->xmlCheckVersion)
#define xmlCleanupParser     (xml_get()->xmlCleanupParser)
#define xmlCtxtGetLastError  (xml_get()->xmlCtxtGetLastError)
#define xmlCtxtReadMemory    (xml_get()->xmlCtxtReadMemory)
#define xmlDocGetRootElement (xml_get()->xmlDocGetRootElement)
/* xmlFree is a variable holding the deallocator, not a function. */
#define xmlFree                      (*xml_get()->xmlFree)
#define xmlFreeDoc                   (xml_get()->xmlFreeDoc)
#define xmlFreeParserCtxt            (xml_get()->xmlFreeParserCtxt)
#define xmlFreeTextWriter            (xml_get()->xmlFreeTextWriter)
#define xmlGetProp                   (xml_get()->xmlGetProp)
#define xmlNewParserCtxt             (xml_get()->xmlNewParserCtxt)
#define xmlNewTextWriterMemory       (xml_get()->xmlNewTextWriterMemory)
#define xmlNodeGetContent            (xml_get()->xmlNodeGetContent)
#define xmlReadMemory                (xml_get()->xmlReadMemory)
#define xmlRelaxNGFree               (xml_get()->xmlRelaxNGFree)
#define xmlRelaxNGFreeParserCtxt     (xml_get()->xmlRelaxNGFreeParserCtxt)
#define xmlRelaxNGFreeValidCtxt      (xml_get()->xmlRelaxNGFreeValidCtxt)
#define xmlRelaxNGNewParserCtxt      (xml_get()->xmlRelaxNGNewParserCtxt)
#define xmlRelaxNGNewValidCtxt       (xml_get()->xmlRelaxNGNewValidCtxt)
#define xmlRelaxNGParse              (xml_get()->xmlRelaxNGParse)
#define xmlRelaxNGSetParserErrors    (xml_get()->xmlRelaxNGSetParserErrors)
#define xmlRelaxNGSetValidErrors     (xml_get()->xmlRelaxNGSetValidErrors)
#define xmlRelaxNGValidateDoc        (xml_get()->xmlRelaxNGValidateDoc)
#define xmlStrcmp                    (xml_get()->xmlStrcmp)
#define xmlTextWriterEndDocument     (xml_get()->xmlTextWriterEndDocument)
#define xmlTextWriterEndElement      (xml_get()->xmlTextWriterEndElement)
#define xmlTextWriterSetIndent       (xml_get()->xmlTextWriterSetIndent)
#define xmlTextWriterSetIndentString (xml_get()->xmlTextWriterSetIndentString)
#define xmlTextWriterStartDocument   (xml_get()->xmlTextWriterStartDocument)
#define xmlTextWriterStartElement    (xml_get()->xmlTextWriterStartElement)
#define xmlTextWriterWriteAttribute  (xml_get()->xmlTextWriterWriteAttribute)
#define xmlTextWriterWriteString     (xml_get()->xmlTextWriterWriteString)
#endif

#endif

import { DataFactory } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';

/**
 * rdfxml-streaming-parser with entity processing disabled.
 *
 * saxes itself never reads a DTD and knows only the five predefined entities, so
 * external entities ("SYSTEM file:///etc/passwd") are never resolved. But the RDF/XML
 * parser's own onDoctype scans the internal subset and registers every
 * `<!ENTITY name "value">` with saxes, which then expands references to it. We refuse
 * any DOCTYPE that has an internal subset instead: such documents are XXE or entity
 * expansion attacks or, at best, odd. A DOCTYPE without one is harmless and ignored.
 */
export class SafeRdfXmlParser extends RdfXmlParser {
  constructor(baseIRI: string | undefined) {
    super({
      baseIRI,
      dataFactory: DataFactory,
      trackPosition: true,
      // Like raptor and rdflib, accept IRIs that Turtle could not carry ("tel:+49 40 …"):
      // harvested catalogs contain them, the mapping layer validates IRIs, our writers escape them.
      validateUri: false,
    });
  }

  protected override onDoctype(doctype: string): void {
    if (doctype.includes('[') || /<!ENTITY/i.test(doctype)) {
      throw this.newParseError('DOCTYPE with an internal subset (entity declarations) is not accepted');
    }
  }
}

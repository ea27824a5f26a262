/** XML 1.0 text/attribute escaping and NCName handling for the RDF/XML writer. */

// Characters XML 1.0 cannot carry at all, not even as character references; a document
// containing one is not well-formed, so they are dropped. Lone surrogates count as well.
const XML_FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const XML_FORBIDDEN_ALL = new RegExp(XML_FORBIDDEN.source, 'g');

// In text, CR must be a reference, or the parser's line-end normalisation turns it into LF.
const TEXT_SPECIAL = /[&<>\r]/;
const TEXT_SPECIAL_ALL = /[&<>\r]/g;
// In attributes, TAB/LF/CR must be references too, or attribute normalisation turns them into spaces.
const ATTR_SPECIAL = /[&<>"\t\n\r]/;
const ATTR_SPECIAL_ALL = /[&<>"\t\n\r]/g;

const REFERENCES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};

function escape(value: string, special: RegExp, specialAll: RegExp): string {
  let s = value;
  if (XML_FORBIDDEN.test(s)) s = s.replace(XML_FORBIDDEN_ALL, '');
  return special.test(s) ? s.replace(specialAll, (c) => REFERENCES[c]) : s;
}

/** Character data for element content. */
export function escapeText(value: string): string {
  return escape(value, TEXT_SPECIAL, TEXT_SPECIAL_ALL);
}

/** A value for a double-quoted attribute. */
export function escapeAttr(value: string): string {
  return escape(value, ATTR_SPECIAL, ATTR_SPECIAL_ALL);
}

function isNameStartChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    c === 0x5f || // _
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0xeffff)
  );
}

function isNameChar(c: number): boolean {
  return (
    isNameStartChar(c) ||
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0xb7 ||
    (c >= 0x300 && c <= 0x36f) ||
    (c >= 0x203f && c <= 0x2040)
  );
}

/** True for an XML NCName (a name without colon), e.g. a namespace prefix. */
export function isNcName(s: string): boolean {
  const cps = Array.from(s, (ch) => ch.codePointAt(0)!);
  return cps.length > 0 && isNameStartChar(cps[0]) && cps.every(isNameChar);
}

/**
 * Splits an IRI into namespace and local name so that the local name is the longest
 * NCName suffix: "…/ns/1st-prop" → ["…/ns/1", "st-prop"]. Undefined when the IRI has
 * no such suffix (it ends with "/" or "#"): it cannot be an RDF/XML element name.
 */
export function splitIri(iri: string): [namespace: string, local: string] | undefined {
  const chars = Array.from(iri);
  const cp = (i: number) => chars[i].codePointAt(0)!;
  let start = chars.length;
  while (start > 0 && isNameChar(cp(start - 1))) start--;
  // The namespace may not be empty (xmlns:p="" is not allowed), so the local name starts at 1 at the earliest.
  if (start === 0) start = 1;
  while (start < chars.length && !isNameStartChar(cp(start))) start++;
  if (start >= chars.length) return undefined;
  return [chars.slice(0, start).join(''), chars.slice(start).join('')];
}

import type * as RDF from '@rdfjs/types';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DataFactory, Parser as N3Parser, Store } from 'n3';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import SHACLValidator from 'rdf-validate-shacl';

/**
 * A SHACL engine with GovData's official DCAT-AP.de profiles
 * (../shared/reference/dcat-ap-de, loaded as its README says), for tests that
 * validate the catalog's exports.
 */

const SHAPES = fileURLToPath(new URL('../../../shared/reference/dcat-ap-de/', import.meta.url));
const { namedNode, literal, quad } = DataFactory;
const RDF_TYPE = namedNode('http://www.w3.org/1999/02/22-rdf-syntax-ns#type');
const SKOS = 'http://www.w3.org/2004/02/skos/core#';

function load(file: string): Promise<RDF.Quad[]> {
  const text = readFileSync(SHAPES + file, 'utf8');
  if (!file.endsWith('.rdf')) return Promise.resolve(new N3Parser({ baseIRI: `file:///${file}` }).parse(text));
  return new Promise((resolve, reject) => {
    const out: RDF.Quad[] = [];
    const p = new RdfXmlParser({ baseIRI: `file:///${file}` });
    p.on('data', (q: RDF.Quad) => out.push(q)).on('error', reject).on('end', () => resolve(out));
    p.end(text);
  });
}

export const PROFILES = {
  '2.0': ['v2.0/dcat-ap-de-imports.ttl', 'v2.0/dcat-ap-spec-german-messages.ttl', 'v2.0/dcat-ap-spec-german-additions.ttl', 'v2.0/dcat-ap-de-deprecated.ttl', 'v2.0/dcat-ap_2.1.1_shacl_shapes.ttl'],
  '2.0+K': [
    'v2.0/dcat-ap-de-imports.ttl',
    'v2.0/dcat-ap-spec-german-messages.ttl',
    'v2.0/dcat-ap-spec-german-additions.ttl',
    'v2.0/dcat-ap-de-deprecated.ttl',
    'v2.0/dcat-ap_2.1.1_shacl_shapes.ttl',
    'v2.0/dcat-ap-konventionen.ttl',
  ],
  '3.0': ['v3.0/dcat-ap-de-imports.ttl', 'v3.0/dcat-ap-SHACL-DE.ttl', 'v3.0/dcat-ap-de-deprecated.ttl', 'v3.0/dcat-ap-spec-german-additions.ttl', 'v3.0/dcat-ap-de-controlledvocabularies.ttl', 'v3.0/dcat-ap-SHACL.ttl'],
} as const;
export type ShapesProfile = keyof typeof PROFILES;

// What GovData's validator gets through owl:imports, here put into the data graph (README step 1-3).
const BACKGROUND = ['vocab/foaf_0_1.rdf', 'vocab/vcard.ttl', 'vocab/org.ttl', 'vocab/ADMS_SKOS_v1.00.rdf', 'mqa/dcat-ap-de-licenses-open.rdf', 'mqa/dcat-ap-de-contributors.rdf', 'vocab/eu/filetypes-skos.rdf', 'vocab/eu/data-theme-skos.rdf'];
let background: Promise<RDF.Quad[]> | undefined;
const backgroundQuads = () => (background ??= Promise.all(BACKGROUND.map(load)).then((lists) => lists.flat()));

/**
 * README step 4: code lists that are not here as SKOS get, for each IRI the
 * document uses, a concept in the list's scheme (the base without the slash).
 */
const CODE_LISTS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^(http:\/\/publications\.europa\.eu\/resource\/authority\/(?:language|frequency|planned-availability|access-right|distribution-status|dataset-type))\/[A-Z0-9_]+$/, (m) => m[1]],
  [/^(http:\/\/dcat-ap\.de\/def\/politicalGeocoding\/[A-Za-z]+)\/[A-Za-z0-9]+$/, (m) => m[1]],
  [/^(http:\/\/dcat-ap\.de\/def\/hashAlgorithms)\/[a-z]+\/\d+$/, (m) => m[1]],
];

function codeListConcepts(data: RDF.Quad[]): RDF.Quad[] {
  const out: RDF.Quad[] = [];
  const seen = new Set<string>();
  for (const q of data) {
    if (q.object.termType !== 'NamedNode' || seen.has(q.object.value)) continue;
    seen.add(q.object.value);
    for (const [re, scheme] of CODE_LISTS) {
      const m = re.exec(q.object.value);
      if (!m) continue;
      out.push(quad(q.object, RDF_TYPE, namedNode(`${SKOS}Concept`)), quad(q.object, namedNode(`${SKOS}inScheme`), namedNode(scheme(m))), quad(q.object, namedNode(`${SKOS}prefLabel`), literal(q.object.value.split('/').pop() as string)));
    }
  }
  return out;
}

const validators = new Map<ShapesProfile, Promise<SHACLValidator>>();
function validator(profile: ShapesProfile): Promise<SHACLValidator> {
  let v = validators.get(profile);
  // owl:imports are answered empty: what they import is in the data graph (above).
  if (!v) validators.set(profile, (v = Promise.all(PROFILES[profile].map(load)).then((shapes) => new SHACLValidator(new Store(shapes.flat()), { importGraph: () => new Store() }))));
  return v;
}

export interface Finding {
  severity: string;
  focus: string;
  path: string;
  message: string;
  shape: string;
}

/** Every result of validating a Turtle document under a profile. */
export async function validate(profile: ShapesProfile, turtle: string): Promise<Finding[]> {
  const data = new N3Parser().parse(turtle);
  const report = await (await validator(profile)).validate(new Store([...data, ...(await backgroundQuads()), ...codeListConcepts(data)]));
  return report.results.map((r) => ({
    severity: r.severity?.value.split('#').pop() ?? '',
    focus: r.focusNode?.value ?? '',
    path: r.path?.value ?? '',
    message: r.message.map((m) => m.value).join(' | '),
    shape: r.sourceShape?.value ?? '',
  }));
}

export const violations = (findings: Finding[]) => findings.filter((f) => f.severity === 'Violation');

import type { FastifyInstance } from 'fastify';
import { Dataset } from './domain/model.js';
import { contextDocument } from './rdf/context.js';

/**
 * The committed artefacts that are generated from code: the OpenAPI document
 * of the running routes, the JSON-LD context and the JSON Schema of a dataset.
 * `npm run generate` writes them; a test fails when the committed files drift.
 */
export function generatedFiles(app: FastifyInstance): Record<string, string> {
  return {
    'openapi.yaml': app.swagger({ yaml: true }),
    'schemas/context.jsonld': JSON.stringify(contextDocument(), null, 2) + '\n',
    'schemas/dataset.schema.json':
      JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', title: 'DCAT-AP.de dataset document', ...Dataset }, null, 2) + '\n',
  };
}

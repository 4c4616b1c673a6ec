import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const schema = JSON.parse(readFileSync(new URL('../fixtures/schemas/ninjs-schema_3.1.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
// ninjs refers to the GeoJSON schema for place geometry, which we never emit; the tests run offline,
// so an object-typed stand-in takes its place (any geometry we emitted would still have to be an object).
ajv.addSchema({ $id: 'https://geojson.org/schema/GeoJSON.json', type: 'object' });
const validate = ajv.compile(schema);

/** The schema's errors for a ninjs document ([] when it validates against ninjs 3.1). */
export function ninjsSchemaErrors(document: unknown): unknown[] {
  return validate(document) ? [] : [...(validate.errors ?? [])];
}

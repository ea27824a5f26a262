import { concatParts, isObjectList, isRecord, listParts, recordParts, type Part } from '../list-json.js';

/**
 * The bytes of an action's answer, `JSON.stringify({ help, success: true,
 * result })` in UTF-8, built from the JSON of its parts when the result is
 * a list of objects (package_search's `results`, current_package_list_with_resources);
 * ../list-json.ts says why. One dict (package_show) is sent as an object.
 */
export function listAnswerBytes(help: string, result: unknown): Buffer | undefined {
  const holder = isRecord(result) && isObjectList(result.results) ? 'results' : undefined;
  if (!holder && !isObjectList(result)) return undefined;
  const out: Part[] = [`{"help":${JSON.stringify(help)},"success":true,"result":`];
  if (holder) recordParts(result as Record<string, unknown>, holder, out);
  else listParts(result as unknown[], out);
  out.push('}');
  return concatParts(out);
}

/**
 * `GET …/search/suggestions?q=&sobject=`: typeahead over record names. As documented: quotes and
 * wildcards are dropped from q; a record matches when its name holds the query's words in order,
 * each at the start of a word, the last one as a prefix (`national u` → "First National
 * University"); q under 3 characters (1 for Chinese, Japanese, Korean, Thai) suggests nothing;
 * over 255 is an error; 5 results unless `limit` says otherwise, `hasMoreResults` when cut.
 */
import { SalesforceApiError } from '../core/errors.ts';
import type { Org } from '../org/org.ts';
import { attributesOf } from '../records/serialize.ts';
import { resolveFieldList } from './sobjects.ts';
import type { DataRequest, DataResponse } from './types.ts';

const DEFAULT_LIMIT = 5;
const MAX_QUERY_LENGTH = 255;
const MAX_OBJECTS = 10;
/** Scripts written without spaces between words: one character is already a meaningful query. */
const ONE_CHARACTER_SCRIPTS =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
}

/** Whether the name holds the terms as consecutive words, the last one as a prefix. */
function suggests(name: string, terms: string[]): boolean {
  const nameWords = words(name);
  for (let start = 0; start + terms.length <= nameWords.length; start++) {
    const fits = terms.every((term, index) => {
      const word = nameWords[start + index];
      return index === terms.length - 1 ? word.startsWith(term) : word === term;
    });
    if (fits) return true;
  }
  return false;
}

function badRequest(errorCode: string, message: string): SalesforceApiError {
  return new SalesforceApiError(400, errorCode, message);
}

export function handleSearchSuggestions(org: Org, request: DataRequest): DataResponse {
  const raw = request.query.get('q');
  const objectList = request.query.get('sobject');
  if (raw === null) throw badRequest('MISSING_ARGUMENT', 'The q parameter is required.');
  if (objectList === null || objectList.trim() === '') {
    throw badRequest('MISSING_ARGUMENT', 'The sobject parameter is required.');
  }
  if (raw.length > MAX_QUERY_LENGTH) {
    throw badRequest(
      'INVALID_SEARCH',
      `The search string can't be longer than ${MAX_QUERY_LENGTH} characters.`,
    );
  }
  const limitText = request.query.get('limit');
  const limit = limitText === null ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1)
    throw badRequest('INVALID_PARAMETER_VALUE', `Invalid limit: ${limitText}`);
  const access = org.security.forUser(request.session.userId);
  const names = objectList.split(',').map((name) => name.trim());
  if (names.length > MAX_OBJECTS) {
    throw badRequest('INVALID_PARAMETER_VALUE', `At most ${MAX_OBJECTS} objects can be searched at once.`);
  }
  const objects = names.map((name) => {
    const object = access.schema.object(name);
    if (!object?.searchable || !object.nameField) {
      throw badRequest('INVALID_TYPE', `sObject type '${name}' is not supported.`);
    }
    return object;
  });
  const query = raw.replace(/["*?]/g, '').trim();
  const minimum = ONE_CHARACTER_SCRIPTS.test(query) ? 1 : 3;
  const terms = words(query);
  if (query.length < minimum || terms.length === 0) {
    return { status: 200, body: { autoSuggestResults: [], hasMoreResults: false } };
  }
  const fieldList = request.query.get('fields');
  const results: Array<Record<string, unknown>> = [];
  let more = false;
  for (const object of objects) {
    const nameField = object.nameField!.name;
    const extra = fieldList ? resolveFieldList(access, object, fieldList) : [];
    const matches = [...org.store.table(object.name).records.values()]
      .filter((record) => record.IsDeleted !== true && typeof record[nameField] === 'string')
      .filter((record) => suggests(record[nameField] as string, terms) && access.canRead(object.name, record))
      .sort((left, right) => String(left[nameField]).localeCompare(String(right[nameField])));
    for (const record of matches) {
      if (results.length >= limit) {
        more = true;
        break;
      }
      const entry: Record<string, unknown> = {
        attributes: attributesOf(request.version, object.name, record.Id as string),
        Id: record.Id,
        [nameField]: record[nameField],
      };
      for (const name of extra) entry[name] = record[name] ?? null;
      results.push(entry);
    }
  }
  return { status: 200, body: { autoSuggestResults: results, hasMoreResults: more } };
}

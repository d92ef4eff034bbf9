const API_VERSION_SEGMENT = /^v\d+\.\d+$/;
// A 15- or 18-character Salesforce id; at least one digit keeps words like "describe" out.
const ID_SEGMENT = /^(?=[a-zA-Z]*\d)[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;
const QUERY_LOCATOR_SEGMENT = /^[a-zA-Z0-9]{15,18}-\d+$/;

/** A custom field name or `Id` after the object: the key of an external id URL. */
function isExternalIdField(segment: string): boolean {
  return segment === 'Id' || /__c$/i.test(segment);
}

/**
 * The route a request took, as a template: `GET /services/data/vXX.X/sobjects/{type}/{id}`,
 * `POST /services/oauth2/token`. Versions, object names, ids and query locators become
 * placeholders so a counter counts calls of one kind, whatever record they touched.
 */
export function routeTemplate(method: string, path: string): string {
  const segments = path.split('/');
  if (segments.length > 2 && segments[segments.length - 1] === '') segments.pop();
  const rest = segments[1] === 'services' && segments[2] === 'data';
  const identity = segments[1] === 'id';
  const template = segments.map((segment, index) => {
    const previous = segments[index - 1];
    if (rest && index === 3 && API_VERSION_SEGMENT.test(segment)) return 'vXX.X';
    if (identity && index === 2 && segment !== 'keys') return '{orgId}';
    if (identity && index === 3) return '{userId}';
    if (
      rest &&
      (previous === 'sobjects' || (previous === 'tree' && segments[index - 2] === 'composite')) &&
      index > 4
    )
      return '{type}';
    // `sobjects/{type}/{Field__c}/{value}`: an external id value, not a resource name.
    if (rest && segments[index - 3] === 'sobjects' && index > 6 && isExternalIdField(previous))
      return '{value}';
    if (rest && (previous === 'query' || previous === 'queryAll') && QUERY_LOCATOR_SEGMENT.test(segment))
      return '{locator}';
    if (ID_SEGMENT.test(segment)) return '{id}';
    return segment;
  });
  return `${method.toUpperCase()} ${template.join('/') || '/'}`;
}

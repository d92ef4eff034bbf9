/** Path segments that are Salesforce's own words, kept in route templates; anything else is a value. */
const KNOWN_SEGMENTS = new Set([
  'sobjects',
  'describe',
  'query',
  'queryAll',
  'search',
  'composite',
  'limits',
  'tooling',
  'jobs',
  'ingest',
  'batch',
  'tree',
  'userinfo',
  'ui-api',
  'versions',
]);

/**
 * A Salesforce request as a metric label: method and path without the API version, query string,
 * object names or ids (`GET /sobjects/:type/:id`), so labels stay few and never carry data.
 */
export function callRouteOf(method: string, url: string): string {
  const path = url.split('?')[0].replace(/^https?:\/\/[^/]+/, '');
  const withoutVersion = path
    .replace(/^\/services\/data\/v\d+\.\d/, '')
    .replace(/^\/services\/data\/?$/, '/versions');
  const segments = withoutVersion.split('/').filter(Boolean);
  const template = segments.map((segment, index) => {
    if (KNOWN_SEGMENTS.has(segment)) return segment;
    // The segment after `sobjects` names the object type; later ones are ids or fields.
    return segments[index - 1] === 'sobjects' ? ':type' : ':id';
  });
  return `${method.toUpperCase()} /${template.join('/')}`;
}

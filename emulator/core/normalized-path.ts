/**
 * A request path as Salesforce's front end reads it: runs of slashes count as one and a trailing
 * slash is ignored. Clients depend on this: the `sf` CLI stores instance URLs with a trailing slash
 * and so asks for `//services/data/…`, which Salesforce answers as `/services/data/…`.
 */
export function normalizedPath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, '/');
  return collapsed.length > 1 && collapsed.endsWith('/') ? collapsed.slice(0, -1) : collapsed;
}

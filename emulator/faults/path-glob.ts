/**
 * Compiles a fault rule's path glob into a matcher for URL paths (never the query string).
 *
 * - `*` matches any run of characters inside one path segment (never `/`);
 * - `**` matches any run of characters across segments (including `/`, and nothing);
 * - `?` matches one character other than `/`;
 * - everything else is literal. Matching ignores case (Salesforce does for sObject names in URLs:
 *   `/sobjects/task` works) and a trailing `/` on either side.
 */
// Examples: /services/data/*/sobjects/Task (creates and lists of Tasks, any API version),
// /services/data/** (the whole REST API), /services/oauth2/token (logins and refreshes).
export function compilePathGlob(glob: string): RegExp {
  let source = '';
  const pattern = trimTrailingSlash(glob);
  for (let index = 0; index < pattern.length; index++) {
    const character = pattern[index];
    if (character === '*' && pattern[index + 1] === '*') {
      source += '.*';
      index++;
    } else if (character === '*') {
      source += '[^/]*';
    } else if (character === '?') {
      source += '[^/]';
    } else {
      source += character.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'i');
}

export function trimTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function matchesPathGlob(matcher: RegExp, path: string): boolean {
  return matcher.test(trimTrailingSlash(path));
}

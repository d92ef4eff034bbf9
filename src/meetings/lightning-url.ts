/**
 * The link to a record in Salesforce's Lightning Experience. A My Domain instance
 * (`acme.my.salesforce.com`, and its sandbox/developer/scratch forms such as
 * `acme--uat.sandbox.my.salesforce.com`) serves Lightning pages from the matching
 * `….lightning.force.com` host, so linking there saves the person a redirect. Any other host (an
 * old pod instance such as `na1.salesforce.com`, or the emulator) gets the path on the instance
 * itself, where Salesforce redirects and the emulator answers.
 */
const MY_DOMAIN_SUFFIX = '.my.salesforce.com';
const LIGHTNING_SUFFIX = '.lightning.force.com';

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function lightningRecordUrl(instanceUrl: string, objectType: string, id: string): string {
  if (!TYPE_PATTERN.test(objectType)) throw new TypeError(`Not a Salesforce object name: ${objectType}`);
  if (!ID_PATTERN.test(id)) throw new TypeError(`Not a Salesforce id: ${id}`);
  const instance = new URL(instanceUrl);
  const host = instance.hostname.toLowerCase();
  const path = `/lightning/r/${objectType}/${id}/view`;
  if (instance.protocol === 'https:' && host.endsWith(MY_DOMAIN_SUFFIX)) {
    return `https://${host.slice(0, -MY_DOMAIN_SUFFIX.length)}${LIGHTNING_SUFFIX}${path}`;
  }
  // The origin only: an instance URL with a trailing slash or a path must not double up.
  return `${instance.origin}${path}`;
}

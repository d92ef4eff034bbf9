/**
 * Loading data into a running emulator, for the admin API: the org object stays the same (the
 * search index, query cursors and tokens are kept per Org and follow its store), only its contents
 * change.
 */
import type { Org } from '../org/org.ts';
import { type ExportedOrgData, exportOrgData } from './export-org-data.ts';
import { createOrgFromData } from './load-org-data.ts';
import { OrgDataError } from './org-data-format.ts';

// What each emulator started with, for resetOrgData. Cheap: an export shares the store's records.
const initialStates = new WeakMap<Org, ExportedOrgData>();

/** Records the org's current contents as the state resetOrgData returns to (the seed or data file). */
export function rememberInitialState(org: Org): void {
  initialStates.set(org, exportOrgData(org));
}

/**
 * Replaces the org's data (name, settings, users, apps, records) with a document's, in place.
 * The document is validated completely first: on OrgDataError the org is untouched. Sessions of
 * users who no longer exist (or are inactive) end; everyone else stays signed in.
 */
export function replaceOrgData(org: Org, input: unknown): void {
  // Users and records the document leaves without ids get ones the running org never handed out:
  // a stale token or record id must not come to mean someone or something else.
  const loaded = createOrgFromData(input, { clock: org.clock, idsInUse: org.ids });
  // The schema is shared by the store's tables, the search index and cached SOQL plans: a running
  // emulator keeps the custom objects and fields it started with.
  if (JSON.stringify(loaded.customSchema) !== JSON.stringify(org.customSchema)) {
    throw new OrgDataError('INVALID_DATA', [
      {
        path: 'customObjects',
        message:
          "custom objects and fields differ from the running emulator's: restart the emulator with this file to change them",
      },
    ]);
  }
  org.replaceContentsWith(loaded);
}

/** Puts the org back to the state it started with. New ids keep counting on: none is reused. */
export function resetOrgData(org: Org): void {
  const initial = initialStates.get(org);
  if (!initial) throw new Error('No initial state was recorded for this org (rememberInitialState)');
  replaceOrgData(org, initial);
}

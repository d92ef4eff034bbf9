import type { Hono } from 'hono';
import { exportOrgData } from '../data/export-org-data.ts';
import { OrgDataError } from '../data/org-data-format.ts';
import { replaceOrgData, resetOrgData } from '../data/replace-org-data.ts';
import type { Org } from '../org/org.ts';

const JSON_CONTENT_TYPE = 'application/json;charset=UTF-8';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': JSON_CONTENT_TYPE, 'Cache-Control': 'no-store' },
  });
}

function invalidData(error: OrgDataError): Response {
  return json(400, { error: 'invalid_data', message: error.message, issues: error.issues });
}

/**
 * The data endpoints of the admin API (emulator/data does the work): `GET /data` exports the org as
 * an org data document, `PUT /data` loads one in place (validated whole first: on error nothing
 * changes), `POST /reset` returns to the data the emulator started with.
 */
export function mountDataRoutes(admin: Hono, org: Org): void {
  admin.get('/data', () => json(200, exportOrgData(org)));
  admin.put('/data', async (context) => {
    const text = await context.req.text();
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return json(400, { error: 'invalid_json', message: `The body is not JSON: ${detail}` });
    }
    try {
      replaceOrgData(org, document);
    } catch (error) {
      if (error instanceof OrgDataError) return invalidData(error);
      throw error;
    }
    return new Response(null, { status: 204 });
  });
  admin.post('/reset', () => {
    resetOrgData(org);
    return new Response(null, { status: 204 });
  });
}

import { escapeHtml } from '../oauth/html.ts';

const STYLE = `
body{margin:0;background:#f3f3f3;font:14px/1.5 -apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#181818}
.demo{background:#fff4e5;border-bottom:1px solid #f0c77a;color:#5c3d00;padding:8px 24px;font-size:13px}
header{background:#032d60;color:#fff;padding:12px 24px;font-weight:600}
main{max-width:960px;margin:24px auto;padding:0 16px}
section{background:#fff;border:1px solid #ddd;border-radius:6px;padding:16px 20px;margin-bottom:16px}
h1{font-size:22px;margin:0}
h2{font-size:16px;margin:0 0 10px}
p.kind{margin:0 0 4px;color:#555;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
dl{display:grid;grid-template-columns:minmax(140px,220px) 1fr;gap:6px 16px;margin:0}
dt{color:#555}
dd{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:6px 8px;border-top:1px solid #eee;vertical-align:top}
th{color:#555;font-weight:600;border-top:0}
a{color:#0b5cab}
.empty{color:#555;margin:0}
label{display:block;margin:14px 0 4px;font-size:13px;color:#444}
input[type=text],input[type=password]{box-sizing:border-box;width:100%;padding:9px 10px;border:1px solid #bbb;border-radius:4px;font:inherit}
button{margin-top:20px;padding:10px 18px;border:0;border-radius:4px;background:#0176d3;color:#fff;font:inherit;cursor:pointer}
.error{background:#fde8e8;border:1px solid #c23934;color:#a61a14;border-radius:4px;padding:8px 10px;margin-bottom:12px}
`;

/**
 * Like the OAuth pages: never cached (records change), never framed, and no script at all, so
 * record text rendered here (escaped) could not run even if escaping were missed.
 */
const PAGE_HEADERS = {
  'Content-Type': 'text/html;charset=UTF-8',
  'Cache-Control': 'no-store',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
};

/** An HTML page of the demo org's Lightning pages; `title` is escaped here, `body` must be escaped HTML. */
export function lightningHtml(options: {
  status: number;
  title: string;
  orgName: string;
  body: string;
  headers?: Record<string, string>;
}): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(options.title)} | Salesforce</title><style>${STYLE}</style></head>
<body>
<div class="demo" role="note">Demo org: this is the Forcefield Salesforce emulator (${escapeHtml(options.orgName)}), not a real Salesforce org. Read-only.</div>
<header>${escapeHtml(options.orgName)}</header>
<main>
${options.body}
</main>
</body>
</html>
`;
  return new Response(html, { status: options.status, headers: { ...PAGE_HEADERS, ...options.headers } });
}

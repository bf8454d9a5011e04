import { html, type SafeHtml } from './html.js';

export interface PageOptions {
  readonly title: string;
  /** The product shown in the header ("Mailroom"). */
  readonly product: string;
  readonly body: SafeHtml;
}

/** The shell every server-rendered page shares: one stylesheet served by Gatehouse, no external requests. */
export function layout(page: PageOptions): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${page.title} · ${page.product}</title>
<link rel="stylesheet" href="/assets/gatehouse.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top"><span class="brand">${page.product}</span><span class="by">secured by Gatehouse</span></header>
<main id="main" class="card" tabindex="-1">
${page.body}
</main>
</body>
</html>`.value;
}

/** Headers for every page: no framing, no caching, nothing loaded from elsewhere. */
export function pageHeaders(formTargets: readonly string[] = []): Record<string, string> {
  const formAction = ["'self'", ...formTargets].join(' ');
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    // same-origin: browsers then send a real Origin on our own form posts (checked), and nothing to other sites.
    'referrer-policy': 'same-origin',
  };
}

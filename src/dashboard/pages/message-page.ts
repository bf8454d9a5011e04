import { html } from '../html.js';
import { layout } from '../layout.js';

/** A page that explains what happened and what to do next (errors, dead ends). */
export function messagePage(m: { product: string; title: string; message: string; next?: string; tone?: 'error' | 'info' }): string {
  return layout({
    product: m.product,
    title: m.title,
    body: html`<h1>${m.title}</h1>
<div class="alert ${m.tone ?? 'info'}" role="${m.tone === 'error' ? 'alert' : 'status'}">${m.message}</div>
${m.next === undefined ? '' : html`<p>${m.next}</p>`}`,
  });
}

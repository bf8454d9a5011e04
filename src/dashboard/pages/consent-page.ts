import { html } from '../html.js';
import { layout } from '../layout.js';

export interface ConsentPageModel {
  readonly product: string;
  readonly clientName: string;
  readonly redirectHost: string;
  readonly userEmail: string;
  readonly action: string;
  readonly csrf: string;
  /** Organizations the user can connect, with their role; a picker appears when there are several. */
  readonly organizations: readonly { readonly id: string; readonly name: string; readonly role: string }[];
  /** What the client may do, in plain words, for the first organization's role. */
  readonly scopes: readonly { readonly name: string; readonly description: string }[];
  /** Per-call tenancy: the connection acts in every organization listed, each call choosing one. */
  readonly perCall?: boolean;
  readonly error?: string;
}

export function consentPage(m: ConsentPageModel): string {
  const [only] = m.organizations;
  const picker = m.perCall === true && m.organizations.length > 0
    ? html`<p>It can work in each of your organizations, asking which one for every task: ${m.organizations.map((o, i) => html`${i === 0 ? '' : ', '}<strong>${o.name}</strong> (${o.role})`)}.</p>`
    : m.organizations.length > 1
      ? html`<fieldset><legend>Connect which organization?</legend>${m.organizations.map(
          (o, i) => html`<div class="choice"><input type="radio" id="org-${i}" name="organization" value="${o.id}"${i === 0 ? html` checked` : ''}><label for="org-${i}"><strong>${o.name}</strong> — you are ${article(o.role)} ${o.role}</label></div>`,
        )}</fieldset>`
      : only === undefined
        ? ''
        : html`<input type="hidden" name="organization" value="${only.id}"><p>Organization: <strong>${only.name}</strong> (you are ${article(only.role)} ${only.role})</p>`;
  return layout({
    product: m.product,
    title: 'Approve access',
    body: html`<h1>Allow ${m.clientName} to use ${m.product}?</h1>
<p class="lead">Signed in as <strong>${m.userEmail}</strong>.</p>
${m.error === undefined ? '' : html`<div class="alert error" role="alert">${m.error}</div>`}
<form method="post" action="${m.action}">
  <input type="hidden" name="csrf" value="${m.csrf}">
  ${picker}
  <p>It will be able to:</p>
  <ul class="scopes">${m.scopes.map((s) => html`<li>${s.description} <code>${s.name}</code></li>`)}</ul>
  <p>It acts with at most the permissions of your role, and only in the organization you choose. You can disconnect it at any time.</p>
  <div class="actions">
    <button class="primary" type="submit" name="decision" value="approve">Approve</button>
    <button class="danger" type="submit" name="decision" value="deny">Deny</button>
  </div>
</form>
<p class="meta">You will be sent back to <strong>${m.redirectHost}</strong>. Only approve if you started this connection yourself.</p>`,
  });
}

function article(role: string): string {
  return /^[aeiou]/i.test(role) ? 'an' : 'a';
}

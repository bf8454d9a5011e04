import { html, type SafeHtml } from '../html.js';
import { layout } from '../layout.js';

export interface SignInPageModel {
  readonly product: string;
  readonly clientName: string;
  readonly redirectHost: string;
  /** Where the form posts. */
  readonly action: string;
  readonly csrf: string;
  /** Whether local passwords are accepted; without them only the upstream button shows. */
  readonly passwords: boolean;
  readonly email?: string;
  readonly error?: string;
  /** Sign-in through an upstream OpenID Connect provider, when configured. */
  readonly upstream?: { readonly name: string; readonly href: string };
}

export function signInPage(m: SignInPageModel): string {
  return layout({
    product: m.product,
    title: 'Sign in',
    body: html`<h1>Sign in to continue</h1>
<p class="lead"><strong>${m.clientName}</strong> wants to connect to your ${m.product} account.</p>
${m.error === undefined ? '' : html`<div class="alert error" role="alert" id="sign-in-error">${m.error}</div>`}
${m.passwords ? passwordForm(m) : ''}
${m.upstream === undefined ? '' : html`${m.passwords ? html`<div class="divider">or</div>` : ''}<form method="post" action="${m.upstream.href}"><input type="hidden" name="csrf" value="${m.csrf}"><button class="${m.passwords ? 'secondary' : 'primary'}" type="submit">Continue with ${m.upstream.name}</button></form>`}
<p class="meta">After you sign in and approve, you will be sent back to <strong>${m.redirectHost}</strong>.</p>`,
  });
}

function passwordForm(m: SignInPageModel): SafeHtml {
  return html`<form method="post" action="${m.action}" novalidate>
  <input type="hidden" name="csrf" value="${m.csrf}">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username" required value="${m.email ?? ''}"${m.error === undefined ? '' : html` aria-describedby="sign-in-error"`} autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <div class="actions"><button class="primary" type="submit">Sign in</button></div>
</form>`;
}

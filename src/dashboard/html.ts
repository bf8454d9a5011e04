const SAFE = Symbol('gatehouse.safeHtml');

/** Markup that is already escaped; only `html` and `raw` make one. */
export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);
}

function render(value: unknown): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && SAFE in value) return (value as SafeHtml).value;
  return escapeHtml(typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value));
}

/**
 * Tagged template for server-rendered pages: every interpolated value is
 * escaped unless it is itself `SafeHtml`, so user data (client names, emails)
 * cannot inject markup.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => (out += render(v) + (strings[i + 1] ?? '')));
  return { [SAFE]: true, value: out };
}

/** Trusted markup produced by our own code (never user input). */
export function raw(markup: string): SafeHtml {
  return { [SAFE]: true, value: markup };
}

/**
 * RFC 6570 level-1 templates (`scheme://things/{id}`), compiled once to a
 * matcher. A variable matches one path segment and is URI-decoded.
 */
export interface UriTemplate {
  readonly template: string;
  readonly variables: readonly string[];
  match(uri: string): Record<string, string> | null;
}

export function compileUriTemplate(template: string): UriTemplate {
  const variables: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const m of template.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
    pattern += escape(template.slice(last, m.index)) + '([^/?#]+)';
    variables.push(m[1] as string);
    last = (m.index ?? 0) + m[0].length;
  }
  if (/[{}]/.test(template.slice(last)) || variables.length === 0) {
    throw new TypeError(`unsupported URI template ${template}: use simple {name} variables`);
  }
  const re = new RegExp(pattern + escape(template.slice(last)) + '$');
  return {
    template,
    variables,
    match(uri) {
      const m = re.exec(uri);
      if (m === null) return null;
      const out: Record<string, string> = {};
      try {
        variables.forEach((v, i) => (out[v] = decodeURIComponent(m[i + 1] as string)));
      } catch {
        return null;
      }
      return out;
    },
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

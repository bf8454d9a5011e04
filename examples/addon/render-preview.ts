/** Characters per line of each device's plain-text preview. */
export const DEVICE_COLUMNS = { phone: 36, tablet: 64 } as const;

export type Device = keyof typeof DEVICE_COLUMNS;

/** What `preview_on_device` answers (the demo tool's output schema). */
export interface DevicePreview {
  readonly device: Device;
  readonly columns: number;
  readonly lines: string[];
  readonly line_count: number;
  readonly preview: string;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'", nbsp: ' ' };

/** HTML to paragraphs of plain text: block ends become line breaks, other tags go, common entities are decoded. */
export function plainText(body: string): string {
  if (!/<[a-z!/][^>]*>/i.test(body)) return body;
  return body
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n• ')
    .replace(/<\/(p|div|h[1-6]|ul|ol|table|tr|blockquote)\s*>/gi, '\n\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|apos|nbsp);/g, (_m, name: string) => ENTITIES[name] ?? '');
}

/** Greedy word wrap; a word longer than a line is cut, so no line is ever wider than `columns`. */
export function wrap(text: string, columns: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    let line = '';
    for (let word of paragraph.split(/[ \t]+/).filter((w) => w !== '')) {
      while (word.length > columns) {
        if (line !== '') lines.push(line);
        lines.push(word.slice(0, columns));
        word = word.slice(columns);
        line = '';
      }
      if (line === '') line = word;
      else if (line.length + 1 + word.length <= columns) line += ` ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  // Runs of blank lines (from HTML block ends) collapse to one; none at the ends.
  return lines.filter((l, i) => l !== '' || (i > 0 && lines[i - 1] !== '')).join('\n').trim().split('\n');
}

/** A campaign as the device shows it: the subject, a rule, then the body, each wrapped to the device's width. */
export function renderPreview(subject: string, body: string, device: Device): DevicePreview {
  const columns = DEVICE_COLUMNS[device];
  const lines = [...wrap(subject, columns), '─'.repeat(columns), ...wrap(plainText(body), columns)];
  return { device, columns, lines, line_count: lines.length, preview: lines.join('\n') };
}

// A small markdown reader for chat messages (agents answer in markdown): fenced code, headings,
// lists, quotes, paragraphs; inline code, bold, italics and links. No markdown library is
// installed, and this one never produces HTML: it returns a tree that markdown-view.tsx turns
// into React elements, so the text is always escaped by React, and a link is kept only when its
// address is http(s), mailto or a path inside the app (javascript:, data: and the like stay text).
// Pure, unit-tested.

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] };

export type Block =
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'heading'; level: 1 | 2 | 3; children: Inline[] }
  | { kind: 'code'; language: string; text: string }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'quote'; children: Block[] };

const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([\w+-]*)\s*$/;
const HEADING = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const BULLET = /^\s{0,3}[-*+]\s+(.*)$/;
const ORDERED = /^\s{0,3}(\d{1,9})[.)]\s+(.*)$/;
const QUOTE = /^\s{0,3}>\s?(.*)$/;

/** Only these addresses become links; everything else is shown as the text it is. */
export function safeHref(raw: string): string | null {
  const href = raw.trim();
  if (/^https?:\/\/[^\s]+$/i.test(href)) return href;
  if (/^mailto:[^\s]+$/i.test(href)) return href;
  // A path in this app: one leading slash (not "//host", which leaves the site), no backslashes.
  if (/^\/(?!\/)[^\s\\]*$/.test(href)) return href;
  return null;
}

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || BULLET.test(line) || ORDERED.test(line) || QUOTE.test(line);
}

export function parseMarkdown(source: string, depth = 0): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let index = 0;
  while (index < lines.length) {
    const line = lines[index]!;
    if (line.trim() === '') {
      index += 1;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const marker = fence[1]!;
      const body: string[] = [];
      index += 1;
      while (index < lines.length && !lines[index]!.trim().startsWith(marker)) body.push(lines[index++]!);
      index += 1; // the closing fence (or the end)
      blocks.push({ kind: 'code', language: fence[2] ?? '', text: body.join('\n') });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: Math.min(3, heading[1]!.length) as 1 | 2 | 3, children: parseInline(heading[2]!) });
      index += 1;
      continue;
    }
    if (QUOTE.test(line) && depth < 4) {
      const body: string[] = [];
      while (index < lines.length && QUOTE.test(lines[index]!)) body.push(QUOTE.exec(lines[index++]!)![1]!);
      blocks.push({ kind: 'quote', children: parseMarkdown(body.join('\n'), depth + 1) });
      continue;
    }
    const bullet = BULLET.exec(line);
    const ordered = ORDERED.exec(line);
    if (bullet || ordered) {
      const pattern = bullet ? BULLET : ORDERED;
      const items: Inline[][] = [];
      while (index < lines.length) {
        const match = pattern.exec(lines[index]!);
        if (match) {
          items.push(parseInline(bullet ? match[1]! : match[2]!));
        } else if (/^\s{2,}\S/.test(lines[index]!) && items.length > 0) {
          // A continuation line of the item above.
          items[items.length - 1]!.push({ kind: 'text', text: '\n' }, ...parseInline(lines[index]!.trim()));
        } else break;
        index += 1;
      }
      blocks.push({ kind: 'list', ordered: !bullet, start: ordered ? Number(ordered[1]) : 1, items });
      continue;
    }
    const paragraph: string[] = [];
    while (index < lines.length && lines[index]!.trim() !== '' && (paragraph.length === 0 || !startsBlock(lines[index]!))) paragraph.push(lines[index++]!);
    blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join('\n')) });
  }
  return blocks;
}

/** Inline spans, left to right; an unmatched marker is just text. */
export function parseInline(text: string, depth = 0): Inline[] {
  const out: Inline[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push({ kind: 'text', text: buffer });
    buffer = '';
  };
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length && /[\\`*_[\]()#>-]/.test(text[index + 1]!)) {
      buffer += text[index + 1];
      index += 2;
      continue;
    }
    if (char === '`') {
      const code = /^(`+)([\s\S]*?[^`])\1(?!`)/.exec(rest);
      if (code) {
        flush();
        out.push({ kind: 'code', text: code[2]!.trim() === '' ? code[2]! : code[2]!.replace(/^ (.*) $/, '$1') });
        index += code[0].length;
        continue;
      }
    }
    // `_` and `__` only around whole words, so window.__name and snake_case stay as they are.
    const wordStart = index === 0 || !/[\p{L}\p{N}_.]/u.test(text[index - 1]!);
    if (depth < 4 && (rest.startsWith('**') || (rest.startsWith('__') && wordStart))) {
      const marker = rest.slice(0, 2);
      const end = rest.indexOf(marker, 2);
      if (end > 2 && (marker === '**' || !/[\p{L}\p{N}]/u.test(rest[end + 2] ?? ''))) {
        flush();
        out.push({ kind: 'strong', children: parseInline(rest.slice(2, end), depth + 1) });
        index += end + 2;
        continue;
      }
    }
    if (depth < 4 && (char === '*' || char === '_') && rest[1] && rest[1] !== ' ' && rest[1] !== char) {
      const end = rest.indexOf(char, 1);
      if (end > 1 && rest[end - 1] !== ' ' && (char === '*' || (wordStart && !/\w/.test(rest[end + 1] ?? '')))) {
        flush();
        out.push({ kind: 'em', children: parseInline(rest.slice(1, end), depth + 1) });
        index += end + 1;
        continue;
      }
    }
    if (char === '[' && depth < 4) {
      const link = /^\[([^\]\n]{1,500})\]\(\s*([^()\s]{1,2000})\s*\)/.exec(rest);
      if (link) {
        flush();
        const href = safeHref(link[2]!);
        if (href) out.push({ kind: 'link', href, children: parseInline(link[1]!, depth + 1) });
        // An address that may not be linked is shown as written, so the reader sees what it was.
        else out.push({ kind: 'text', text: link[0] });
        index += link[0].length;
        continue;
      }
    }
    buffer += char;
    index += 1;
  }
  flush();
  return out;
}

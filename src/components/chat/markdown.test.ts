// Units: the chat's markdown reader, including what hostile messages turn into (text, never links
// to script addresses; the tree has no HTML to inject).
import { describe, expect, it } from 'vitest';
import { parseInline, parseMarkdown, safeHref } from './markdown';

describe('parseMarkdown', () => {
  it('reads fenced code, headings, lists, quotes and paragraphs', () => {
    expect(parseMarkdown('## Plan\n\n- one\n- **two**\n\n1. first\n2. second\n\n> quoted\n\n```ts\nconst a = 1;\n```\nlast line\nand its next')).toEqual([
      { kind: 'heading', level: 2, children: [{ kind: 'text', text: 'Plan' }] },
      { kind: 'list', ordered: false, start: 1, items: [[{ kind: 'text', text: 'one' }], [{ kind: 'strong', children: [{ kind: 'text', text: 'two' }] }]] },
      { kind: 'list', ordered: true, start: 1, items: [[{ kind: 'text', text: 'first' }], [{ kind: 'text', text: 'second' }]] },
      { kind: 'quote', children: [{ kind: 'paragraph', children: [{ kind: 'text', text: 'quoted' }] }] },
      { kind: 'code', language: 'ts', text: 'const a = 1;' },
      { kind: 'paragraph', children: [{ kind: 'text', text: 'last line\nand its next' }] },
    ]);
  });

  it('reads inline code, emphasis and links, leaving snake_case and lone markers alone', () => {
    expect(parseInline('run `npm start` *now* or _later_; my_var_name stays; 2 * 3 * 4')).toEqual([
      { kind: 'text', text: 'run ' },
      { kind: 'code', text: 'npm start' },
      { kind: 'text', text: ' ' },
      { kind: 'em', children: [{ kind: 'text', text: 'now' }] },
      { kind: 'text', text: ' or ' },
      { kind: 'em', children: [{ kind: 'text', text: 'later' }] },
      { kind: 'text', text: '; my_var_name stays; 2 * 3 * 4' },
    ]);
    expect(parseInline('window.__xss = 1 and __init__ or __strong__')).toEqual([
      { kind: 'text', text: 'window.__xss = 1 and ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'init' }] },
      { kind: 'text', text: ' or ' },
      { kind: 'strong', children: [{ kind: 'text', text: 'strong' }] },
    ]);
    expect(parseInline('[the docs](https://example.com/a) and [a task](/tasks/1)')).toEqual([
      { kind: 'link', href: 'https://example.com/a', children: [{ kind: 'text', text: 'the docs' }] },
      { kind: 'text', text: ' and ' },
      { kind: 'link', href: '/tasks/1', children: [{ kind: 'text', text: 'a task' }] },
    ]);
  });

  it('keeps hostile input as text: HTML stays characters, script addresses are no links', () => {
    expect(parseMarkdown('<img src=x onerror="alert(1)"> <script>alert(2)</script>')).toEqual([
      { kind: 'paragraph', children: [{ kind: 'text', text: '<img src=x onerror="alert(1)"> <script>alert(2)</script>' }] },
    ]);
    for (const href of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'vbscript:msgbox', '//evil.example/x', '/\\evil.example']) {
      expect(safeHref(href)).toBeNull();
      const nodes = parseInline(`[click](${href})`);
      expect(nodes.some((node) => node.kind === 'link')).toBe(false);
    }
    expect(parseInline('[click](javascript:alert`1`)').some((node) => node.kind === 'link')).toBe(false);
    expect(safeHref('mailto:ops@example.com')).toBe('mailto:ops@example.com');
  });

  it('does not blow up on deep nesting or unclosed markers', () => {
    const deep = '> '.repeat(50) + 'deep';
    expect(() => parseMarkdown(deep)).not.toThrow();
    expect(parseInline('**unclosed and `code')).toEqual([{ kind: 'text', text: '**unclosed and `code' }]);
    expect(parseMarkdown('```\nnever closed')).toEqual([{ kind: 'code', language: '', text: 'never closed' }]);
  });
});

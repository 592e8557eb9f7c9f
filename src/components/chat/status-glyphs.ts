// The hub's answers mark statuses with emoji (they read well in iMessage and terminals); the
// page draws them as glyphs in the theme's colours instead, so they look the same on every
// device, with or without an emoji font.
export interface StatusGlyph {
  glyph: string;
  label: string;
  colour: string;
}

export const STATUS_GLYPHS: Readonly<Record<string, StatusGlyph>> = {
  '🟢': { glyph: '●', label: 'online', colour: 'var(--emerald)' },
  '🟠': { glyph: '●', label: 'busy', colour: 'var(--amber)' },
  '🔴': { glyph: '●', label: 'offline', colour: 'var(--red)' },
  '⚪': { glyph: '●', label: 'unknown', colour: 'var(--text-muted)' },
  '⏳': { glyph: '○', label: 'waiting', colour: 'var(--amber)' },
  '📌': { glyph: '◆', label: 'assigned', colour: 'var(--purple)' },
  '🔄': { glyph: '►', label: 'running', colour: 'var(--amber)' },
  '✅': { glyph: '✓', label: 'done', colour: 'var(--emerald)' },
  '❌': { glyph: '✕', label: 'failed', colour: 'var(--red)' },
  '🚫': { glyph: '⊘', label: 'cancelled', colour: 'var(--text-muted)' },
  '🔀': { glyph: '⇄', label: 'handed off', colour: 'var(--purple)' },
  '❔': { glyph: '?', label: 'unknown', colour: 'var(--text-muted)' },
  '⚠️': { glyph: '▲', label: 'warning', colour: 'var(--amber)' },
  '⚠': { glyph: '▲', label: 'warning', colour: 'var(--amber)' },
};

/** Longest first, so the warning sign with its variation selector wins over the bare one. */
export const STATUS_GLYPH_SOURCE = Object.keys(STATUS_GLYPHS)
  .sort((a, b) => b.length - a.length)
  .join('|');

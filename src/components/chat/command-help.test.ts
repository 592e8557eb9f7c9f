// Units: what tapping a command in the list puts in the composer.
import { describe, expect, it } from 'vitest';
import { CHAT_COMMAND_HELP } from '@/lib/chat-commands';
import { insertionFor } from './command-help';

describe('insertionFor', () => {
  it('inserts the words before the placeholder, or the whole bare command', () => {
    expect(insertionFor('status')).toBe('status');
    expect(insertionFor('do <text>')).toBe('do ');
    expect(insertionFor('@<agent> <text>')).toBe('@');
    expect(insertionFor('@context key=value')).toBe('@context ');
    expect(insertionFor('approve / reject')).toBe('approve');
    expect(insertionFor('# <text>')).toBe('# ');
    expect(insertionFor('anything else')).toBeNull();
  });

  it('has an insertion for every command but free chat', () => {
    expect(CHAT_COMMAND_HELP.filter((command) => insertionFor(command.usage) === null).map((command) => command.usage)).toEqual(['anything else']);
  });
});

import { describe, expect, it } from 'vitest';
import { FakeServerUsageError, parseFakeServerCommandLine } from './fake-server-cli';

describe('the fake servers’ command line', () => {
  it('takes --port N, --port=N, a bare port and --host, with a fixed default port', () => {
    expect(parseFakeServerCommandLine([], 4110)).toEqual({ port: 4110, host: '127.0.0.1' });
    expect(parseFakeServerCommandLine(['--port', '5000'], 4110)).toEqual({ port: 5000, host: '127.0.0.1' });
    expect(parseFakeServerCommandLine(['--port=0', '--host', '0.0.0.0'], 4110)).toEqual({ port: 0, host: '0.0.0.0' });
    expect(parseFakeServerCommandLine(['5001'], 4110)).toEqual({ port: 5001, host: '127.0.0.1' });
    expect(parseFakeServerCommandLine(['--help'], 4110)).toBe('help');
  });

  it.each([
    [['--port', 'abc'], '--port must be a whole number from 0 to 65535 (got "abc")'],
    [['--port', '70000'], '--port must be a whole number'],
    [['--port'], '--port needs a value'],
    [['--nope', '1'], 'unknown option --nope'],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseFakeServerCommandLine(argv, 4110)).toThrow(FakeServerUsageError);
    expect(() => parseFakeServerCommandLine(argv, 4110)).toThrow(message);
  });
});

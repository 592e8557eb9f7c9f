// The fakes run by hand as the README says: `npm run -s fake:anthropic -- --port N` serves the
// Messages API the SDK talks to on that port, `--help` names the fixed default port, and a
// signal to npm stops it.
import { spawn } from 'node:child_process';
import path from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { freePort } from './free-port';
import { FAKE_ANTHROPIC_PORT, FAKE_OPENAI_PORT } from './fake-server-cli';

const projectRoot = path.resolve(import.meta.dirname, '..', '..');

function npmRun(script: string, args: string[]) {
  const child = spawn('npm', ['run', '-s', script, '--', ...args], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const waitFor = async (text: string) => {
    for (let waited = 0; waited < 30_000 && !output.includes(text) && child.exitCode === null; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    return output;
  };
  return { child, exited, waitFor, output: () => output };
}

describe('npm run fake:anthropic / fake:openai', () => {
  it('fake:anthropic -- --port N serves the SDK on that port and stops on SIGTERM', async () => {
    const port = await freePort();
    const fake = npmRun('fake:anthropic', ['--port', String(port)]);
    const url = `http://127.0.0.1:${port}`;
    expect(await fake.waitFor('listening on')).toContain(`fake Anthropic API listening on ${url} (set ANTHROPIC_BASE_URL=${url}`);
    const client = new Anthropic({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 });
    const message = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 32, messages: [{ role: 'user', content: 'ping' }] });
    expect(message.content).toEqual([expect.objectContaining({ type: 'text', text: 'echo: ping' })]);
    fake.child.kill('SIGTERM');
    expect(await fake.exited).toBe(0);
  }, 60_000);

  it('fake:openai -- --port=N answers chat completions on that port', async () => {
    const port = await freePort();
    const fake = npmRun('fake:openai', [`--port=${port}`]);
    expect(await fake.waitFor('listening on')).toContain(`listening on http://127.0.0.1:${port} (set OPENAI_BASE_URL=http://127.0.0.1:${port}/v1)`);
    const response = await fetch(`http://127.0.0.1:${port}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ model: 'llama3.1', messages: [{ role: 'user', content: 'ping' }] }),
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content).toBe('echo: ping');
    fake.child.kill('SIGINT');
    expect(await fake.exited).toBe(0);
  }, 60_000);

  it('--help names the fixed default port; a bad port is one line and exit 2', async () => {
    const help = npmRun('fake:anthropic', ['--help']);
    expect(await help.exited).toBe(0);
    expect(help.output()).toContain(`default ${FAKE_ANTHROPIC_PORT}`);
    const openaiHelp = npmRun('fake:openai', ['--help']);
    expect(await openaiHelp.exited).toBe(0);
    expect(openaiHelp.output()).toContain(`default ${FAKE_OPENAI_PORT}`);
    const bad = npmRun('fake:anthropic', ['--port', 'http']);
    expect(await bad.exited).toBe(2);
    expect(bad.output().trim()).toBe('fake:anthropic: --port must be a whole number from 0 to 65535 (got "http")');
  }, 60_000);
});

// What the hub prints when it starts: the address it is bound to, and on the first start the
// credentials and the three next steps (sign in, the CLI, a worker that needs no model), so a
// newcomer can go from `npm start` to a finished task by copying lines from the terminal.
import type { FirstStartCredentials } from './hub';

/** The address as bound, `host:port` (IPv6 in brackets): 0.0.0.0 means every IPv4 interface. */
export function boundAddress(address: { address: string; family: string; port: number }): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `${host}:${address.port}`;
}

/** A wildcard address answers on every interface; a browser on this machine reaches it as localhost. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** The URL to open: MESH_PUBLIC_URL when set, else this machine's own address for the port. */
export function openUrl(options: { host: string; port: number; publicUrl?: string }): string {
  if (options.publicUrl) return options.publicUrl;
  const host = isWildcardHost(options.host) ? 'localhost' : options.host.includes(':') ? `[${options.host}]` : options.host;
  return `http://${host}:${options.port}`;
}

/** The one log line every start prints once the port is bound. */
export function listeningLine(options: { version: string; bound: string; pid: number; url: string; apiOnly: boolean }): string {
  const every = isWildcardHost(options.bound.replace(/:\d+$/, '')) ? `, every interface; open ${options.url}` : '';
  return `hub ${options.version} listening on http://${options.bound} (pid ${options.pid}${every})${options.apiOnly ? ' (API only: MESH_UI=off)' : ''}`;
}

const RULE = '='.repeat(93);

/** The credentials, printed once: only their hashes are kept. */
export function credentialLines(firstStart: FirstStartCredentials): string[] {
  if (!firstStart.masterToken && !firstStart.admin) return [];
  const lines = ['', '================ m3shd first start: save these now, they are not shown again ================'];
  if (firstStart.admin) lines.push(`  dashboard login   user: ${firstStart.admin.username}   password: ${firstStart.admin.password}`);
  if (firstStart.masterToken) lines.push(`  master token      ${firstStart.masterToken}`);
  lines.push(RULE, '');
  return lines;
}

/** The demo agent of the next steps: the worker command and its token name the same id. */
export const FIRST_WORKER_ID = 'echo';

/**
 * The next steps after a first start. The worker uses the command runtime with `cat` (it answers
 * each task with its prompt), so it runs on any machine without Claude or an API key; its token is
 * made by the CLI in the same line and passed in MESH_TOKEN, never as a flag (flags show in `ps`).
 */
export function nextStepsLines(options: { url: string; firstStart: FirstStartCredentials }): string[] {
  const { url, firstStart } = options;
  const token = firstStart.masterToken ?? '<the master token in MESH_MASTER_TOKEN>';
  const login = firstStart.admin ? `sign in as ${firstStart.admin.username} with the password above` : 'sign in';
  return [
    '---------------- next steps ----------------',
    `  1. Open ${url} and ${login}.`,
    '  2. Use the CLI from this folder (in a second terminal):',
    `       export MESH_HUB=${url} MESH_TOKEN=${token}`,
    '       npm run mesh -- status',
    `  3. Join a worker that answers every task with its prompt (no Claude needed), in that terminal:`,
    `       MESH_TOKEN=$(npm run -s mesh -- token create --agent ${FIRST_WORKER_ID}) npm run -s worker -- --id ${FIRST_WORKER_ID} --runtime command --command cat`,
    `     then: npm run -s mesh -- task "hello" --wait`,
    '  Stop the hub with Ctrl-C (or SIGTERM); `npm start` again restarts it on the same data, no reinstall.',
    '--------------------------------------------',
    '',
  ];
}

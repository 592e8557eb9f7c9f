// Built-in `file_summary`: summarizes a text file under MESH_FILES_ROOT, and nothing else.
// The checks, in order, each refusing without saying where anything is:
// 1. the path, resolved against the root's real path, must stay inside it (`../../etc/passwd`,
//    an absolute path elsewhere);
// 2. its real path (every symlink followed) must stay inside it (a link out of the root);
// 3. it is opened with O_NOFOLLOW (a final component swapped for a link after the check fails)
//    and O_NONBLOCK (a FIFO cannot hang the call), and the open descriptor must be a regular file
//    within the size cap (MESH_FILE_SUMMARY_MAX_BYTES; a 2 GB sparse file is refused from its
//    size alone, never read);
// 4. the bytes must be UTF-8 text without NUL bytes.
// The summary comes from the hub's model gateway when it is configured, else (or when the model
// call fails) from the file itself: line, word and byte counts and its first lines.
import fs from 'node:fs';
import path from 'node:path';
import { fileSummaryArgs } from '@/lib/plugins';
import type { ModelGateway } from '../../llm/gateway';
import { ToolError, type Plugin } from '../plugin-api';

const HEAD_LINES = 12;
const HEAD_LINE_CHARS = 200;
/** What the model gets of a long file: its beginning. */
const MODEL_INPUT_CHARS = 24_000;
const MODEL_SUMMARY_TOKENS = 400;

function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

export interface FileSummaryOptions {
  filesRoot?: string;
  maxBytes: number;
  llm: Pick<ModelGateway, 'configured' | 'complete'>;
}

export function fileSummaryPlugin(options: FileSummaryOptions): Plugin {
  return {
    name: 'file_summary',
    setup(manager) {
      // The root's own real path, once: a root that is itself a link is followed here, on purpose.
      let realRoot: string | null = null;
      if (options.filesRoot) {
        try {
          realRoot = fs.realpathSync(options.filesRoot);
        } catch {
          manager.log('MESH_FILES_ROOT does not exist; file_summary refuses every call');
        }
      }
      manager.declareCapability('files', 'reads and summarizes text files under the hub’s files root');
      manager.registerTool({
        name: 'file_summary',
        description: 'Summarizes a text file under the hub’s files root. Arguments: {"path": "relative/path.txt"}.',
        args: fileSummaryArgs,
        async run(args) {
          if (!realRoot) throw new ToolError('unavailable', 'file_summary is not configured on this hub (MESH_FILES_ROOT)');
          if (args.path.includes('\0')) throw new ToolError('bad_input', 'path: must not contain NUL bytes');
          const requested = path.resolve(realRoot, args.path);
          if (!isInside(realRoot, requested)) throw new ToolError('forbidden', 'path: outside the files root');
          let real: string;
          try {
            real = await fs.promises.realpath(requested);
          } catch {
            throw new ToolError('not_found', 'path: no such file under the files root');
          }
          if (!isInside(realRoot, real)) throw new ToolError('forbidden', 'path: leads outside the files root (a symbolic link)');

          let handle: fs.promises.FileHandle;
          try {
            handle = await fs.promises.open(real, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
          } catch {
            throw new ToolError('forbidden', 'path: cannot be opened');
          }
          let content: Buffer;
          try {
            const stat = await handle.stat();
            if (!stat.isFile()) throw new ToolError('bad_input', 'path: not a regular file');
            if (stat.size > options.maxBytes) throw new ToolError('limit_exceeded', `path: the file is larger than the ${options.maxBytes} byte limit (MESH_FILE_SUMMARY_MAX_BYTES)`);
            // Read at most the cap (+1 to notice a file that grew since the stat).
            const buffer = Buffer.alloc(Math.min(stat.size, options.maxBytes) + 1);
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
            if (bytesRead > options.maxBytes) throw new ToolError('limit_exceeded', `path: the file is larger than the ${options.maxBytes} byte limit (MESH_FILE_SUMMARY_MAX_BYTES)`);
            content = buffer.subarray(0, bytesRead);
          } finally {
            await handle.close();
          }
          if (content.includes(0)) throw new ToolError('bad_input', 'path: not a text file');
          let text: string;
          try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(content);
          } catch {
            throw new ToolError('bad_input', 'path: not a text file (not UTF-8)');
          }

          const shown = path.relative(realRoot, real).split(path.sep).join('/');
          const lines = text.length === 0 ? 0 : text.split(/\r\n|\r|\n/).length - (/(\r\n|\r|\n)$/.test(text) ? 1 : 0);
          const words = (text.match(/\S+/g) ?? []).length;
          const counts = { path: shown, bytes: content.length, lines, words };
          if (options.llm.configured) {
            try {
              const completion = await options.llm.complete({
                system: 'Summarize the file the user sends in at most five sentences. Say what it is and what matters in it. Plain text.',
                prompt: `File ${shown}:\n\n${text.slice(0, MODEL_INPUT_CHARS)}`,
                maxTokens: MODEL_SUMMARY_TOKENS,
              });
              return { text: `${shown} (${lines} lines, ${words} words, ${content.length} bytes):\n${completion.text.trim()}`, data: { ...counts, summarizedBy: 'model' } };
            } catch {
              // The file's own head lines are still a summary.
            }
          }
          const head = text
            .split(/\r\n|\r|\n/)
            .slice(0, HEAD_LINES)
            .map((line) => (line.length > HEAD_LINE_CHARS ? `${line.slice(0, HEAD_LINE_CHARS)}…` : line));
          return {
            text: `${shown}: ${lines} lines, ${words} words, ${content.length} bytes. First lines:\n${head.join('\n')}`,
            data: { ...counts, summarizedBy: 'head' },
          };
        },
      });
    },
  };
}

/**
 * The built CLI (dist/src/cli.js) as a child process, the way users and CI run it. Needs
 * `npm run build` first (`npm test` does it). No API key and no colour unless `env` says so.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = path.join(ROOT, 'dist/src/cli.js');

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

export function eti(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: ROOT, env: { ...process.env, ANTHROPIC_API_KEY: '', NO_COLOR: '1', ...env }, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (err as { code?: number }).code : 0;
        resolve({ code: typeof code === 'number' ? code : 1, stdout, stderr });
      },
    );
  });
}

/** The JSON objects of `--json` output, one per line (other lines skipped). */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever fields each JSON line has, and assert them
export function jsonLines(text: string): Record<string, any>[] {
  return (
    text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      // biome-ignore lint/suspicious/noExplicitAny: as above
      .map((l) => JSON.parse(l) as Record<string, any>)
  );
}

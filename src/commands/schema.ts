import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { z } from 'zod';
import { configJsonSchema } from '../config/schema.js';
import { BUNDLE_SCHEMA_URL, bundleSchema } from '../pipeline/publish/index.js';
import { stableJson } from '../stable-json.js';
import { changesSchema, historySchema, indexSchema, SCHEMA_BASE } from '../pipeline/channels/index.js';
import { packageRoot } from '../demo/server.js';
import type { Context } from '../steps/context.js';
import { examples } from '../steps/shared.js';

/** The JSON Schemas eti publishes, by file name. */
export function schemas(): Record<string, unknown> {
  return {
    'sources.schema.json': configJsonSchema(),
    'bundle.schema.json': { ...z.toJSONSchema(bundleSchema), title: 'eti bundle.json', $id: BUNDLE_SCHEMA_URL },
    'changes.schema.json': { ...z.toJSONSchema(changesSchema), title: 'eti changes.json', $id: `${SCHEMA_BASE}/changes.schema.json` },
    'history.schema.json': { ...z.toJSONSchema(historySchema), title: 'eti history.json', $id: `${SCHEMA_BASE}/history.schema.json` },
    'index.schema.json': { ...z.toJSONSchema(indexSchema), title: 'eti index.json', $id: `${SCHEMA_BASE}/index.schema.json` },
  };
}

export function schemaCommand(ctx: () => Context, done: (code: number) => void): Command {
  return new Command('schema')
    .description(
      'Print the JSON Schemas for sources.yaml, bundle.json, changes.json, history.json and index.json, or write them to schema/.',
    )
    .option('--write', "write them into the eti package's schema/ folder")
    .addHelpText('after', examples(['eti schema', 'eti schema --write']))
    .action(async (flags: { write?: boolean }) => {
      const c = ctx();
      const all = schemas();
      if (flags.write) {
        const dir = path.join(packageRoot(), 'schema');
        await mkdir(dir, { recursive: true });
        for (const [name, s] of Object.entries(all)) await writeFile(path.join(dir, name), stableJson(s));
        c.info(`Wrote ${Object.keys(all).join(', ')} to ${dir}`);
      } else {
        c.io.stdout(stableJson(all));
      }
      done(0);
    });
}

/** What `eti init` sets up: the real sources, a minimal one, or the demo's. */
export type InitKind = 'real' | 'minimal' | 'demo';

/** One section of the README: its heading and its lines, which may depend on what was set up. */
interface Section {
  heading: string;
  lines: (kind: InitKind) => string[];
}

const sh = (...commands: string[]): string[] => ['```sh', ...commands, '```'];

const INTRO = [
  '# eti workspace',
  '',
  'Made by `eti init`. This folder holds `sources.yaml` (what to crawl), `prompts/` (the Norwegian',
  'prompt templates, hashed into every summary cache key), `schema/` (for autocomplete in your',
  'editor), and, once you crawl, the store `.eti/` (git-ignored) and published bundles in `output/`.',
  'Run every command from this folder, or pass `--workspace DIR`.',
];

const CHECK: Section = {
  heading: '## 1. Check the machine',
  lines: () => [
    ...sh('eti doctor'),
    '',
    "One line per check (Node, browser, API key, workspace, store, each source's host and robots.txt),",
    'each with the fix when it fails. No browser? Install Chrome, Chromium or Edge, or run',
    '`eti browser install`, or set `ETI_CHROMIUM` to one.',
  ],
};

const CRAWL: Section = {
  heading: '## 2. Crawl',
  lines: (kind) =>
    kind === 'demo'
      ? [
          'This workspace crawls the embedded demo site. Start it in another terminal and leave it running:',
          '',
          ...sh('eti demo --serve v1      # later: stop it and run "eti demo --serve v2" to see changes'),
          '',
          'then:',
          '',
          ...sh('eti crawl'),
        ]
      : [
          ...sh('eti crawl'),
          '',
          'This fetches the sources in `sources.yaml` from the internet: robots.txt is honoured, about one',
          'request a second per host (`delay_ms`), so a few hundred pages take some minutes. Put your',
          "team's e-mail in `contact:` first: it goes into the User-Agent so site owners can reach you.",
          'Pages that only render with JavaScript need a browser: `eti doctor` says whether one was found.',
        ],
};

/** Cost figures: the built-in list price of the default model (src/llm/cost.ts), tokens per page from `npm run bench:summaries`. */
const SUMMARISE: Section = {
  heading: '## 3. Summarise',
  lines: () => [
    ...sh('eti summarize'),
    '',
    'Without any setting this uses the **offline** provider: free, no network, no key. It copies the',
    'sentences that carry the facts (figures, who qualifies, how to apply, deadlines); it cannot',
    'rewrite them in plainer words.',
    '',
    '### With an Anthropic API key (optional, paid)',
    '',
    "The key lets eti send each new or changed page's text to Anthropic's Messages API, which writes",
    'a plain-language Norwegian summary; every figure and quote in it is then checked against the page.',
    'Setting the key alone changes nothing: choose the provider explicitly, per run or in `sources.yaml`',
    '(`summarize.provider: anthropic`):',
    '',
    ...sh('export ANTHROPIC_API_KEY=sk-ant-...', 'eti summarize --provider anthropic --max-cost 2'),
    '',
    'What it costs: the default model `claude-sonnet-5-5` is billed at 2 USD per million input tokens and',
    '10 USD per million output tokens (list price built into eti). A page takes about 1,200 tokens, about',
    '0.004 USD, so 300 pages cost about 1 USD the first time. Unchanged pages are never sent again;',
    '`--max-cost USD` stops before a run would go past that amount, and `--batch` halves the price.',
    'The key is never printed, logged or written to the store.',
  ],
};

const PUBLISH: Section = {
  heading: '## 4. Review and publish',
  lines: () =>
    sh(
      'eti review --serve        # the review page in your browser; or eti review list / show / approve',
      'eti publish               # only what an editor approved, into output/',
      'eti audit --pages         # what is stale, broken or waiting for review',
    ),
};

/** The path from here to published summaries, in order. */
const SECTIONS: readonly Section[] = [CHECK, CRAWL, SUMMARISE, PUBLISH];

/**
 * The README `eti init` writes: the path from here to published summaries, and exactly what the
 * Anthropic key is for and what it costs.
 */
export function workspaceReadme(kind: InitKind): string {
  return [...INTRO, ...SECTIONS.flatMap((s) => ['', s.heading, '', ...s.lines(kind)]), ''].join('\n');
}

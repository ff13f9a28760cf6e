/** Child-process entry: serve a generated bench site and print its origin as one JSON line. */
import { startBenchSite } from './site.js';

const pages = Number(process.argv[2] ?? '2000');
const site = await startBenchSite(pages);
process.stdout.write(`${JSON.stringify({ origin: site.origin, pages: site.pages, meanBytes: site.meanBytes })}\n`);
process.on('message', (m) => {
  if (m === 'requests') process.send?.({ requests: site.requests() });
});
process.on('disconnect', () => void site.close().then(() => process.exit(0)));

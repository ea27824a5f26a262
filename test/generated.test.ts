import { readFileSync } from 'node:fs';
import t from 'tap';
import { generatedFiles } from '../src/generated.js';
import { projectPath } from '../src/util/paths.js';
import { testApp } from './helpers/app.js';

const ctx = await testApp();
t.teardown(() => ctx.close());

// The committed files are what clients and reviewers read: they must match the code.
for (const [file, expected] of Object.entries(generatedFiles(ctx.app))) {
  t.test(`${file} is up to date (run npm run generate)`, async (t) => {
    const committed = readFileSync(projectPath(file), 'utf8');
    t.equal(committed, expected);
  });
}

t.test('every route is documented with a summary', async (t) => {
  const doc = ctx.app.swagger() as { paths: Record<string, Record<string, { summary?: string }>> };
  const missing = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([, op]) => !op.summary)
      .map(([m]) => `${m.toUpperCase()} ${path}`),
  );
  t.same(missing, []);
});

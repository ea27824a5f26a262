import { writeFileSync } from 'node:fs';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config/index.js';
import { connect } from '../src/db/client.js';
import { generatedFiles } from '../src/generated.js';
import { projectPath } from '../src/util/paths.js';

// Builds the app on a throw-away in-memory database and writes the generated artefacts.
const database = await connect({ memory: true });
const app = await buildApp(loadConfig({ LOG_LEVEL: 'silent' }), { database });
await app.ready();
for (const [file, content] of Object.entries(generatedFiles(app))) {
  writeFileSync(projectPath(file), content);
  process.stdout.write(`wrote ${file}\n`);
}
await app.close();
await database.close();

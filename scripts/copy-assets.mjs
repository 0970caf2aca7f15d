// Copies the non-TypeScript assets the built CLI reads at run time (report templates) into dist/.
import { cpSync, existsSync } from 'node:fs';

const assets = [['src/report/templates', 'dist/report/templates']];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}

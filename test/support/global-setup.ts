// Builds the CLI once before the suite, so that end-to-end tests run what `make run` runs, never a stale dist/.
import { execa } from 'execa';

export default async function setup(): Promise<void> {
  await execa('npm', ['run', '--silent', 'build'], { stdio: 'inherit', env: { npm_config_loglevel: 'error' } });
}

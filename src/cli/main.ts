import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseScript, runScript } from '../script/script';
import { Session } from '../script/session';
import { HOME } from '../shell/vfs';
import {
  DEFAULT_SCENARIO,
  DEFAULT_SEED,
  isScenarioName,
  SCENARIO_NAMES,
  type ScenarioName,
} from '../sim/topology/scenarios';

const USAGE = `Usage: cplab run FILE [--seed N] [--scenario NAME]

Runs a scenario script on the headless core and prints its transcript: each command as
"$ COMMAND", then its output. Same seed, same transcript.

Options:
  --seed N         seed for the simulation's random choices (default ${DEFAULT_SEED})
  --scenario NAME  preset cluster: ${SCENARIO_NAMES.join(', ')} (default ${DEFAULT_SCENARIO})
`;

/** Exit codes: 0 ran, 1 usage or I/O error, 2 malformed script (nothing was run). */
function main(argv: readonly string[]): number {
  const [verb, ...rest] = argv;
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (verb !== 'run') {
    process.stderr.write(verb === undefined ? USAGE : `cplab: unknown command "${verb}"\n${USAGE}`);
    return 1;
  }
  let file: string | undefined;
  let seed = DEFAULT_SEED;
  let scenario: ScenarioName = DEFAULT_SCENARIO;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (flag === '--seed' || flag === '--scenario') {
      const value = inline ?? rest[++i];
      if (value === undefined) return usageError(`${flag} needs a value`);
      if (flag === '--seed') {
        if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)))
          return usageError(`--seed must be a non-negative integer, not "${value}"`);
        seed = Number(value);
      } else {
        if (!isScenarioName(value))
          return usageError(`unknown scenario "${value}" (choose one of: ${SCENARIO_NAMES.join(', ')})`);
        scenario = value;
      }
    } else if (a.startsWith('-')) return usageError(`unknown flag: ${a}`);
    else if (file === undefined) file = a;
    else return usageError(`unexpected argument "${a}"`);
  }
  if (file === undefined) return usageError('run needs a script FILE');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    process.stderr.write(`cplab: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}\n`);
    return 1;
  }
  const parsed = parseScript(text);
  if (!parsed.ok) {
    for (const err of parsed.errors) process.stderr.write(`cplab: ${file}:${err.lineNo}: ${err.message}\n`);
    return 2;
  }
  // `-f PATH` and `cat PATH` in a script read files beside the script (the lab's home is its folder).
  const scriptDir = dirname(resolve(file));
  const externalFiles = (abs: string): string | undefined => {
    if (!abs.startsWith(`${HOME}/`)) return undefined;
    try {
      return readFileSync(join(scriptDir, abs.slice(HOME.length + 1)), 'utf8');
    } catch {
      return undefined;
    }
  };
  const session = new Session({ scenario, seed, externalFiles });
  runScript(session, parsed.commands, (t) => process.stdout.write(t));
  return 0;
}

function usageError(message: string): number {
  process.stderr.write(`cplab: ${message}\n${USAGE}`);
  return 1;
}

process.exitCode = main(process.argv.slice(2));

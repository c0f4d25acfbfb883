import {
  DEFAULT_SCENARIO,
  DEFAULT_SEED,
  isScenarioName,
  SCENARIO_NAMES,
  type ScenarioName,
} from '../sim/topology/scenarios';

export interface PageParams {
  readonly scenario: ScenarioName;
  readonly seed: number;
  /** Parameters that were present but invalid, explained; they were ignored. */
  readonly warnings: readonly string[];
}

const MAX_SHOWN = 40;
/** Shows a hostile value safely: bounded and with control characters escaped. */
const shown = (v: string): string => JSON.stringify(v.length > MAX_SHOWN ? `${v.slice(0, MAX_SHOWN)}…` : v);

/** Reads `?scenario=ha5&seed=7`; anything invalid is ignored with a warning, never trusted. */
export function parsePageParams(search: string): PageParams {
  const q = new URLSearchParams(search);
  const warnings: string[] = [];
  let scenario = DEFAULT_SCENARIO;
  let seed = DEFAULT_SEED;
  const s = q.get('scenario');
  if (s !== null) {
    if (isScenarioName(s)) scenario = s;
    else warnings.push(`ignored scenario=${shown(s)}: choose one of ${SCENARIO_NAMES.join(', ')}`);
  }
  const seedText = q.get('seed');
  if (seedText !== null) {
    if (/^\d{1,9}$/.test(seedText)) seed = Number(seedText);
    else warnings.push(`ignored seed=${shown(seedText)}: a seed is a whole number below 1000000000`);
  }
  return { scenario, seed, warnings };
}

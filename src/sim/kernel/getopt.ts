/** Splits `-abc` / `-k2` style arguments: flags that take a value read the rest or the next word. */
export function getopt(
  argv: readonly string[],
  withValue: string,
  bools: string,
): { opts: Map<string, string | true>; files: string[] } | { bad: string; missing?: boolean } {
  const opts = new Map<string, string | true>();
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      files.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      files.push(a);
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const f = a[j] as string;
      if (withValue.includes(f)) {
        const rest = a.slice(j + 1);
        const value = rest !== '' ? rest : argv[++i];
        if (value === undefined) return { bad: f, missing: true };
        opts.set(f, value);
        break;
      }
      if (!bools.includes(f)) return { bad: f };
      opts.set(f, true);
    }
  }
  return { opts, files };
}

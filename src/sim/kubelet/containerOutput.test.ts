import { describe, expect, it } from 'vitest';
import {
  type ContainerRun,
  containerExit,
  containerKey,
  containerOutput,
  exitsAtStart,
  type LogLine,
  runsNetworkTool,
} from './containerOutput';
import { lookupImage } from './images';

/**
 * What containers print: generated lazily and deterministically from what defines the container
 * instance, so nothing is stored per pod.
 */

const BASE: ContainerRun = {
  image: 'nginx:1.27',
  podName: 'web-1',
  podIp: '10.244.1.5',
  nodeCpus: 4,
  key: containerKey(1, 'uid-1', 'web', 0),
  startMs: 31_234.5,
};

/** Every line (ticks dropped) logged up to `untilMs`. */
function linesUntil(run: ContainerRun, untilMs: number, opts: { skipBeforeMs?: number } = {}): LogLine[] {
  const out: LogLine[] = [];
  const gen = containerOutput(run, opts);
  for (let r = gen.next(); !r.done; r = gen.next()) {
    if (r.value.atMs > untilMs) break;
    if (r.value.text !== '') out.push(r.value);
  }
  return out;
}

const texts = (lines: readonly LogLine[]): string => lines.map((l) => l.text).join('');

const COUNTER = ['sh', '-c', 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done'];

describe('container output', () => {
  it('nginx prints its entrypoint lines, then its notices stamped with the start time and one worker per CPU', () => {
    const text = texts(linesUntil(BASE, 1e9));
    expect(text.split('\n')[0]).toBe(
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
    );
    expect(text).toContain('/docker-entrypoint.sh: Configuration complete; ready for start up\n');
    expect(text).toContain('2026/11/25 09:00:31 [notice] 1#1: nginx/1.27.3\n');
    expect(text).toContain('[notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) \n');
    expect(text.match(/start worker process \d+/g)).toHaveLength(4);
    expect(texts(linesUntil({ ...BASE, image: 'nginx:1.25' }, 1e9))).toContain('nginx/1.25.5');
    expect(texts(linesUntil({ ...BASE, nodeCpus: 2 }, 1e9)).match(/start worker process \d+/g)).toHaveLength(
      2,
    );
  });

  it('is the same every time it is generated, and depends on the start time and the restart count', () => {
    const a = linesUntil(BASE, 1e9);
    expect(linesUntil(BASE, 1e9)).toEqual(a);
    const later = linesUntil({ ...BASE, startMs: BASE.startMs + 3_600_000 }, 1e10);
    expect(texts(later)).toContain('2026/11/25 10:00:31 [notice] 1#1: nginx/1.27.3');
    const restarted = linesUntil({ ...BASE, key: containerKey(1, 'uid-1', 'web', 1) }, 1e9);
    expect(restarted.map((l) => l.atMs)).not.toEqual(a.map((l) => l.atMs));
    // Lines come in time order.
    for (let i = 1; i < a.length; i++) expect(a[i]!.atMs).toBeGreaterThanOrEqual(a[i - 1]!.atMs);
  });

  it('a busybox loop echoes once a second, with the date of each round', () => {
    const run = { ...BASE, image: 'busybox', args: COUNTER };
    const lines = linesUntil(run, BASE.startMs + 3_500);
    expect(texts(lines)).toBe(
      '0: Wed Nov 25 09:00:31 UTC 2026\n1: Wed Nov 25 09:00:32 UTC 2026\n2: Wed Nov 25 09:00:33 UTC 2026\n3: Wed Nov 25 09:00:34 UTC 2026\n',
    );
    expect(lines[1]!.atMs - lines[0]!.atMs).toBeGreaterThan(1000);
    expect(lines[1]!.atMs - lines[0]!.atMs).toBeLessThan(1010);
  });

  it('skipping the rounds of an endless loop gives the same lines as running them all', () => {
    const run = { ...BASE, image: 'busybox', args: COUNTER };
    const from = BASE.startMs + 2 * 3_600_000;
    const until = from + 10_000;
    const all = linesUntil(run, until).filter((l) => l.atMs >= from);
    const skipped = linesUntil(run, until, { skipBeforeMs: from }).filter((l) => l.atMs >= from);
    expect(skipped).toEqual(all);
    expect(all[0]!.text).toMatch(/^7\d{3}: Wed Nov 25 11:00:/);
  });

  it('runs the shell constructs scripts use', () => {
    const script = [
      'for i in 1 2 3; do echo "n=$i"; done',
      'if [ 2 -gt 1 ]; then echo yes; else echo no; fi',
      'x=5; echo $((x * 2 + 1))',
      'printf "%s-%d\\n" a 3 b 4',
      'echo -n part; echo ial',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, not a template
      'echo "${UNSET:-fallback}" $HOSTNAME',
      'j=0; while [ $j -lt 2 ]; do j=$((j+1)); echo "j=$j"; done',
      'nope',
      'printenv GREETING',
      'sleep 3600',
    ].join('\n');
    const run = {
      ...BASE,
      image: 'alpine',
      command: ['sh', '-c', script],
      env: [{ name: 'GREETING', value: 'hi' }],
    };
    expect(texts(linesUntil(run, 1e12))).toBe(
      'n=1\nn=2\nn=3\nyes\n11\na-3\nb-4\npartial\nfallback web-1\nj=1\nj=2\nsh: nope: not found\nhi\n',
    );
    expect(texts(linesUntil({ ...run, command: ['sh', '-c', 'echo "open'] }, 1e12))).toBe(
      'sh: syntax error: unterminated quoted string\n',
    );
  });

  it('databases without a password print their entrypoint error and exit at once', () => {
    const pg = lookupImage('postgres:17')!;
    expect(exitsAtStart(pg, { image: 'postgres:17' })).toBe(true);
    expect(
      exitsAtStart(pg, { image: 'postgres:17', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] } as never),
    ).toBe(false);
    expect(texts(linesUntil({ ...BASE, image: 'postgres:17' }, 1e9)).split('\n')[0]).toBe(
      'Error: Database is uninitialized and superuser password is not specified.',
    );
    const ok = texts(
      linesUntil({ ...BASE, image: 'postgres:17', env: [{ name: 'POSTGRES_PASSWORD', value: 'x' }] }, 1e9),
    );
    expect(ok).toContain('PostgreSQL init process complete; ready for start up.');
    expect(ok.trimEnd().split('\n').at(-1)).toMatch(
      /\[1\] LOG: {2}database system is ready to accept connections$/,
    );
    expect(texts(linesUntil({ ...BASE, image: 'mysql:8.4' }, 1e9))).toContain(
      '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
    );
  });

  it('tool images with nothing to run exit at once and print nothing; servers keep running', () => {
    const busybox = lookupImage('busybox')!;
    expect(exitsAtStart(busybox, { image: 'busybox' })).toBe(true);
    expect(exitsAtStart(busybox, { image: 'busybox', args: COUNTER })).toBe(false);
    expect(exitsAtStart(lookupImage('nginx')!, { image: 'nginx' })).toBe(false);
    expect(linesUntil({ ...BASE, image: 'busybox' }, 1e9)).toEqual([]);
    expect(linesUntil({ ...BASE, image: 'memcached' }, 1e9)).toEqual([]);
  });

  it('prints what the image prints on its stop signal, when it is stopped', () => {
    const stopMs = BASE.startMs + 60_000;
    const lines = linesUntil({ ...BASE, stopMs }, 1e9);
    const stop = lines.filter((l) => l.atMs >= stopMs);
    expect(stop[0]!.text).toBe(
      '2026/11/25 09:01:31 [notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n',
    );
    expect(stop.at(-1)!.text).toBe('2026/11/25 09:01:31 [notice] 1#1: exit\n');
    const redis = texts(linesUntil({ ...BASE, image: 'redis:7.4', stopMs }, 1e9));
    expect(redis).toContain('Received SIGTERM scheduling shutdown...');
    expect(redis).toContain('# Redis is now ready to exit, bye bye...');
  });
});

describe('a one-shot network command', () => {
  it('is recognised by its program, wherever the binary lives, and not inside a script', () => {
    expect(runsNetworkTool({ args: ['nslookup', 'web'] })).toBe(true);
    expect(runsNetworkTool({ command: ['/usr/bin/wget', '-qO-', 'http://web'] })).toBe(true);
    // A short script around one is captured too; one that loops or sleeps keeps its own clock.
    expect(runsNetworkTool({ command: ['sh', '-c', 'nslookup web; echo done'] })).toBe(true);
    expect(runsNetworkTool({ args: ['sh', '-c', 'wget -qO- http://web | head -4'] })).toBe(true);
    expect(
      runsNetworkTool({ args: ['sh', '-c', 'while true; do wget -qO- http://web; sleep 5; done'] }),
    ).toBe(false);
    expect(runsNetworkTool({ args: ['sh', '-c', 'echo hi; sleep 3600'] })).toBe(false);
    expect(runsNetworkTool({ args: ['sh', '-c', 'echo wgetting'] })).toBe(false);
    expect(runsNetworkTool({})).toBe(false);
  });

  it('logs what it printed when it ran, by its end, and exits as it did', () => {
    const run: ContainerRun = {
      ...BASE,
      image: 'busybox:1.36',
      args: ['nslookup', 'nope'],
      captured: {
        text: 'Server:\t\t10.96.0.10\n\n** server can’t find nope: NXDOMAIN\n',
        exitCode: 1,
        afterMs: 20,
      },
    };
    const lines = linesUntil(run, BASE.startMs + 1000);
    expect(lines.map((l) => l.text).join('')).toBe(run.captured!.text);
    for (const l of lines) {
      expect(l.atMs).toBeGreaterThan(BASE.startMs);
      expect(l.atMs).toBeLessThanOrEqual(BASE.startMs + 20);
    }
    expect(containerExit(run)).toEqual({ exitCode: 1, afterMs: 20 });
  });
});

describe("a script's grep and its network tools' streams", () => {
  const script = (s: string, network?: ContainerRun['network']): ContainerRun => ({
    ...BASE,
    image: 'busybox:1.36',
    command: ['sh', '-c', s],
    ...(network ? { network } : {}),
  });

  it('greps what a pipe feeds it (busybox options), and says so on the log when it cannot', () => {
    expect(texts(linesUntil(script('printf "alpha\\nbeta\\ngamma\\n" | grep -n a'), 1e9))).toBe(
      '1:alpha\n2:beta\n3:gamma\n',
    );
    expect(texts(linesUntil(script('printf "alpha\\nbeta\\n" | grep -vc beta'), 1e9))).toBe('1\n');
    expect(texts(linesUntil(script('grep x /etc/missing'), 1e9))).toBe(
      'grep: /etc/missing: No such file or directory\n',
    );
    expect(texts(linesUntil(script('grep x /etc/missing 2>/dev/null; echo $?'), 1e9))).toBe('2\n');
  });

  it("a network tool's stderr reaches the log past a pipe; 2>&1 sends it down the pipe", () => {
    const network: ContainerRun['network'] = () => ({
      stdout: '',
      stderr: "wget: bad address 'web'\n",
      exitCode: 1,
    });
    expect(texts(linesUntil(script('wget -qO- http://web | grep title', network), 1e9))).toBe(
      "wget: bad address 'web'\n",
    );
    expect(texts(linesUntil(script('wget -qO- http://web 2>&1 | grep -c bad', network), 1e9))).toBe('1\n');
    expect(texts(linesUntil(script('wget -qO- http://web >/dev/null 2>&1 || echo down', network), 1e9))).toBe(
      'down\n',
    );
  });
});

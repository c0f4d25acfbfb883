import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';
import { type ExecTarget, execInContainer, execShellLine, newShellState } from '../sim/kubelet/containerExec';
import { imageProfile } from '../sim/kubelet/containerImage';

/**
 * kubectl exec through the API server's pods/exec and the kubelet's runtime: what the image ships
 * decides what runs, the cluster network decides what answers. Usage errors were checked against
 * the real kubectl v1.32.4.
 */

function session(): Session {
  return new Session({ scenario: 'ha', seed: 1 });
}

function ok(s: Session, line: string): string {
  const r = s.run(line);
  expect(r.code, r.output).toBe(0);
  return r.stdout;
}

function withWebAndBusybox(): Session {
  const s = session();
  ok(s, 'kubectl create deployment web --image=nginx:1.27 --replicas=2');
  ok(s, 'kubectl expose deployment web --port=80');
  ok(s, 'kubectl run bb --image=busybox --command -- sleep 3600');
  ok(s, 'kubectl rollout status deployment/web');
  ok(s, 'kubectl wait --for=condition=Ready pod/bb');
  return s;
}

describe('kubectl exec', () => {
  it('refuses what kubectl refuses, before asking the server', () => {
    const s = session();
    expect(s.run('kubectl exec').output).toBe('error: pod, type/name or --filename must be specified\n');
    expect(s.run('kubectl exec web').output).toBe(
      'error: you must specify at least one command for the container\n',
    );
    const legacy = s.run('kubectl exec web ls');
    expect(legacy.code).toBe(1);
    expect(legacy.output).toBe(
      "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n",
    );
    expect(s.run('kubectl exec nothere -- ls').output).toBe(
      'Error from server (NotFound): pods "nothere" not found\n',
    );
  });

  it('runs what the image ships, and fails as containerd does for what it does not', () => {
    const s = withWebAndBusybox();
    const env = ok(s, 'kubectl exec deploy/web -- env');
    expect(env.split('\n')[0]).toBe('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(env).toMatch(/^HOSTNAME=web-[a-z0-9]+-[a-z0-9]{5}$/m);
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(env).toMatch(/^WEB_SERVICE_PORT=80$/m);
    expect(env.trimEnd().split('\n').pop()).toBe('HOME=/root');
    const ps = s.run('kubectl exec deploy/web -- ps aux');
    expect(ps.code).toBe(1);
    expect(ps.output).toMatch(
      /^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec failed: unable to start container process: exec: "ps": executable file not found in \$PATH: unknown\n$/,
    );
    expect(s.run('kubectl exec bb -- /bin/bash').output).toContain(
      'exec: "/bin/bash": stat /bin/bash: no such file or directory: unknown',
    );
    const coredns = s.run('kubectl exec -n kube-system deploy/coredns -- sh');
    expect(coredns.output).toContain('exec: "sh": executable file not found in $PATH');
  });

  it('reports the exit code of the command as kubectl does', () => {
    const s = withWebAndBusybox();
    const r = s.run("kubectl exec bb -- sh -c 'echo oops >&2; exit 3'");
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command terminated with exit code 3\n');
    expect(s.run('kubectl exec bb -- cat /nope').output).toBe(
      "cat: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n",
    );
  });

  it('reaches Services by name through CoreDNS and kube-proxy', () => {
    const s = withWebAndBusybox();
    expect(ok(s, 'kubectl exec bb -- wget -qO- web')).toContain('<h1>Welcome to nginx!</h1>');
    expect(ok(s, 'kubectl exec deploy/web -- curl -s web.default.svc.cluster.local')).toContain(
      'Welcome to nginx!',
    );
    const lookup = ok(s, 'kubectl exec bb -- nslookup web');
    const ip = ok(s, "kubectl get svc web -o jsonpath='{.spec.clusterIP}'");
    expect(lookup).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${ip}\n`);
    const missing = s.run('kubectl exec deploy/web -- curl nothere');
    expect(missing.code).toBe(6);
    expect(missing.stderr).toContain('curl: (6) Could not resolve host: nothere\n');
    // -s keeps curl quiet about a failure too: only kubectl's exit line is left.
    const quiet = s.run('kubectl exec deploy/web -- curl -s web:8080');
    expect([quiet.code, quiet.stderr]).toEqual([28, 'command terminated with exit code 28\n']);
    // No ready endpoint: kube-proxy rejects the connection.
    ok(s, 'kubectl scale deployment web --replicas=0');
    ok(s, 'kubectl wait --for=delete pod -l app=web --timeout=2m');
    const refused = s.run('kubectl exec bb -- wget -qO- web');
    expect(refused.stderr).toContain(`wget: can't connect to remote host (${ip}): Connection refused\n`);
  });

  it('keeps what a shell writes in the container until it is replaced', () => {
    const s = withWebAndBusybox();
    const pod = ok(s, "kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}'");
    ok(s, `kubectl exec ${pod} -- sh -c 'echo Hello shell demo > /usr/share/nginx/html/index.html'`);
    expect(ok(s, `kubectl exec ${pod} -- curl -s localhost`)).toBe('Hello shell demo\n');
    ok(s, `kubectl delete pod ${pod}`);
    ok(s, 'kubectl rollout status deployment/web');
    const other = ok(s, "kubectl get pods -l app=web -o jsonpath='{.items[*].metadata.name}'").split(' ');
    for (const p of other)
      expect(ok(s, `kubectl exec ${p} -- cat /usr/share/nginx/html/index.html`)).toContain('nginx');
  });

  it('opens an interactive shell that reads the next lines until exit', () => {
    const s = withWebAndBusybox();
    const r = s.run('kubectl exec -it bb -- sh');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    expect(s.prompt).toBe('/ # ');
    expect(ok(s, 'cd /etc && pwd')).toBe('/etc\n');
    expect(s.prompt).toBe('/etc # ');
    expect(ok(s, 'hostname')).toBe('bb\n');
    expect(s.run('kubectl get pods').output).toBe('sh: kubectl: not found\n');
    const exit = s.run('exit 4');
    expect(exit.code).toBe(4);
    expect(exit.stderr).toBe('command terminated with exit code 4\n');
    expect(s.prompt).toBeUndefined();
    expect(ok(s, 'echo back')).toBe('back\n');
  });

  it('says why when the container cannot be reached', () => {
    const s = session();
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: stuck\nspec:\n  nodeSelector:\n    nope: x\n  containers:\n  - name: c\n    image: nginx\n';
    expect(s.run('kubectl apply -f - <<EOF', pod).code).toBe(0);
    const r = s.run('kubectl exec stuck -- ls');
    expect(r.output).toBe('error: unable to upgrade connection: pod does not have a host assigned\n');
  });
});

describe('the container userland', () => {
  const target = (image: string): ExecTarget => ({
    podName: 'p',
    namespace: 'default',
    podIp: '10.244.1.2',
    profile: imageProfile(image),
    mainCommand: 'sleep 3600',
    env: [['PATH', '/bin']],
    nowMs: 0,
    layer: new Map(),
    mounts: {},
    network: { resolve: () => undefined, httpGet: () => ({ ok: false, error: 'refused' }) },
  });

  it('echoes any words back unchanged', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 6 }), (words) => {
        const r = execInContainer(target('busybox'), ['echo', ...words]);
        expect(r).toEqual({ stdout: `${words.join(' ')}\n`, stderr: '', exitCode: 0 });
      }),
    );
  });

  it('a file written through the shell reads back, and an unknown command is 127', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,10}$/), fc.stringMatching(/^[a-z ]{0,20}$/), (name, text) => {
        const t = target('busybox');
        const state = newShellState(t.profile);
        expect(execShellLine(t, state, 'sh', `echo "${text}" > /tmp/${name}`).exitCode).toBe(0);
        expect(execShellLine(t, state, 'sh', `cat /tmp/${name}`).stdout).toBe(`${text}\n`);
      }),
    );
    const t = target('nginx');
    const r = execShellLine(t, newShellState(t.profile), 'bash', 'ps');
    expect(r).toEqual({ stdout: '', stderr: 'bash: ps: command not found\n', exitCode: 127 });
  });
  it("grep takes busybox's options: context lines, counts, line numbers, only the match, quiet", () => {
    const t = target('busybox');
    const sh = (line: string) => execShellLine(t, newShellState(t.profile), 'sh', line);
    const input = "printf '%s\\n' 1 2 3 4 5 6";
    expect(sh(`${input} | grep -A1 2`).stdout).toBe('2\n3\n');
    expect(sh(`${input} | grep -B 1 -e 3`).stdout).toBe('2\n3\n');
    // Groups that do not touch are split by "--".
    expect(sh(`${input} | grep -C1 -E '1|6'`).stdout).toBe('1\n2\n--\n5\n6\n');
    expect(sh(`${input} | grep -n 3`).stdout).toBe('3:3\n');
    expect(sh(`${input} | grep -cv 1`).stdout).toBe('5\n');
    expect(sh('seq 8 12 | grep -o 1').stdout).toBe('1\n1\n1\n1\n');
    expect(sh(`${input} | grep -q 9`)).toEqual({ stdout: '', stderr: '', exitCode: 1 });
    const bad = sh(`${input} | grep -Z a`);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/^grep: invalid option -- 'Z'\nUsage: grep /);
  });
});

describe('kubectl run -i/-t/--rm', () => {
  it('attaches a shell to a new pod, and deletes the pod when the shell ends', () => {
    const s = session();
    const r = s.run('kubectl run -it --rm debug --image=busybox --restart=Never -- sh');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(s.prompt).toBe('/ # ');
    expect(ok(s, 'hostname')).toBe('debug\n');
    const end = s.run('exit');
    expect(end.stdout).toBe('pod "debug" deleted\n');
    expect(s.prompt).toBeUndefined();
    expect(ok(s, "kubectl get pod debug -o jsonpath='{.metadata.deletionTimestamp}'")).not.toBe('');
  });

  it('without --rm, says how to attach again; without a terminal, prints what the command wrote', () => {
    const s = session();
    s.run('kubectl run -it bb --image=busybox');
    expect(s.run('exit').stdout).toBe(
      "Session ended, resume using 'kubectl attach bb -c bb -i -t' command when the pod is running\n",
    );
    expect(ok(s, "kubectl get pod bb -o jsonpath='{.status.phase}'")).toBe('Running');
    const once = s.run(
      "kubectl run once -i --rm --image=busybox --restart=Never -- sh -c 'echo hello; exit 3'",
    );
    expect(once.stdout).toBe('hello\npod "once" deleted\n');
    expect(once.stderr).toBe('command terminated with exit code 3\n');
    expect(once.code).toBe(3);
  });

  it('a one-shot network tool sees the cluster: DNS names, Services, and the answer of the pods behind one', () => {
    const s = withWebAndBusybox();
    const dns = s.run(
      'kubectl run dns -i --rm --image=busybox --restart=Never -- nslookup kubernetes.default',
    );
    expect(dns.code, dns.output).toBe(0);
    expect(dns.stdout).toContain('Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n');
    const web = s.run('kubectl run get -i --rm --image=busybox --restart=Never -- wget -qO- http://web');
    expect(web.stdout).toContain('<title>Welcome to nginx!</title>');
    // A name nobody serves fails the pod, and its log keeps what the command said.
    ok(s, 'kubectl run miss --image=busybox --restart=Never -- nslookup nope');
    ok(s, 'advance 10s');
    expect(ok(s, 'kubectl get pod miss')).toMatch(/miss +0\/1 +Error +0 /);
    expect(ok(s, 'kubectl logs miss')).toContain("** server can't find nope");
    expect(
      ok(s, "kubectl get pod miss -o jsonpath='{.status.containerStatuses[0].state.terminated.exitCode}'"),
    ).toBe('1');
  });

  it('a short shell script around network tools runs on the cluster network too', () => {
    const s = withWebAndBusybox();
    const r = s.run(
      'kubectl run probe -i --rm --image=busybox --restart=Never -- sh -c "nslookup web | grep Name; wget -qO- http://web | grep title; echo done"',
    );
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(
      /^Name:\tweb\.default\.svc\.cluster\.local\n<title>Welcome to nginx!<\/title>\ndone\n/,
    );
    // busybox has no curl: the script says so, and its exit code is the script's.
    ok(s, 'kubectl run nocurl --image=busybox --restart=Never -- sh -c "curl -s http://web"');
    ok(s, 'advance 10s');
    expect(ok(s, 'kubectl logs nocurl')).toContain('curl: not found');
    expect(ok(s, 'kubectl get pod nocurl --no-headers')).toMatch(/^nocurl +0\/1 +Error +0 /);
  });

  it('refuses the combinations kubectl refuses', () => {
    const s = session();
    expect(s.run('kubectl run x --image=busybox -t').output).toBe(
      "error: -i/--stdin is required for containers with -t/--tty=true\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(s.run('kubectl run x --image=busybox --rm').output).toBe(
      "error: --rm should only be used for attached containers\nSee 'kubectl run -h' for help and examples\n",
    );
    expect(s.run('kubectl run x --image=busybox -i --dry-run=client').output).toBe(
      "error: --dry-run=[server|client] can't be used with attached containers options (--attach, --stdin, or --tty)\nSee 'kubectl run -h' for help and examples\n",
    );
  });
});

describe('kubectl attach', () => {
  it('gives the terminal back to a shell started with -it, and follows other containers', () => {
    const s = session();
    s.run('kubectl run -it bb --image=busybox');
    s.run('exit');
    const again = s.run('kubectl attach bb -it');
    expect(again.stderr).toBe("If you don't see a command prompt, try pressing enter.\n");
    expect(ok(s, 'hostname')).toBe('bb\n');
    s.run('exit');
    expect(s.prompt).toBeUndefined();
    expect(s.run('kubectl attach').output).toBe('error: at least 1 argument is required for attach\n');
    ok(s, 'kubectl run web --image=nginx:1.27');
    ok(s, 'kubectl wait --for=condition=Ready pod/web');
    expect(s.run('kubectl attach web -it &').stderr).toBe('[1] 4242\n');
    // The job prints into the command in the foreground by then.
    expect(s.run('sleep 1').stderr).toContain('Unable to use a TTY - container web did not allocate one\n');
    expect(s.run('jobs').stdout).toBe('[1]+  Running                 kubectl attach web -it &\n');
  });
});

describe('kubectl cp', () => {
  it("copies through the container's tar, both ways, and fails where there is no tar", () => {
    const s = session();
    ok(s, 'kubectl run web --image=nginx:1.27');
    ok(s, 'kubectl wait --for=condition=Ready pod/web');
    ok(s, "echo '<h1>copied in</h1>' > page.html");
    ok(s, 'kubectl cp page.html web:/usr/share/nginx/html/index.html');
    expect(ok(s, 'kubectl exec web -- curl -s localhost')).toBe('<h1>copied in</h1>\n');
    const back = s.run('kubectl cp web:/etc/nginx/conf.d/default.conf default.conf');
    expect(back.stderr).toBe("tar: Removing leading `/' from member names\n");
    expect(ok(s, 'head -1 default.conf')).toBe('server {\n');
    expect(s.run('kubectl cp a b').output).toBe(
      'error: one of src or dest must be a remote file specification\n',
    );
    expect(s.run('kubectl cp web:/a bb:/b').output).toBe(
      'error: one of src or dest must be a local file specification\n',
    );
    const dns = ok(
      s,
      "kubectl get pods -n kube-system -l k8s-app=kube-dns -o jsonpath='{.items[0].metadata.name}'",
    );
    const noTar = s.run(`kubectl cp page.html kube-system/${dns}:/tmp/page.html`);
    expect(noTar.code).toBe(1);
    expect(noTar.output).toContain('exec: "tar": executable file not found in $PATH');
  });
});

describe('containers that end under restartPolicy Always', () => {
  it('are started again with back-off, whether they failed or finished: CrashLoopBackOff, as kubelet does', () => {
    const s = session();
    ok(s, 'kubectl run hi --image=busybox -- echo hi');
    ok(s, 'kubectl run nap --image=busybox -- sleep 5');
    ok(s, 'kubectl run long --image=busybox -- sleep 3600');
    ok(s, 'advance 30s');
    const restarts = (name: string) =>
      Number(ok(s, `kubectl get pod ${name} -o jsonpath='{.status.containerStatuses[0].restartCount}'`));
    // Restarted once at once, then with back-off (10 s, 20 s…); RESTARTS says when it last ended.
    expect(ok(s, 'kubectl get pod hi --no-headers')).toMatch(/^hi +0\/1 +CrashLoopBackOff +2 \(1\ds ago\) /);
    expect(
      ok(s, "kubectl get pod hi -o jsonpath='{.status.containerStatuses[0].lastState.terminated.reason}'"),
    ).toBe('Completed');
    expect(restarts('nap')).toBeGreaterThanOrEqual(1);
    // Still within its hour.
    expect(ok(s, 'kubectl get pod long --no-headers')).toMatch(/^long +1\/1 +Running +0 /);
    expect(ok(s, 'kubectl logs hi')).toBe('hi\n');
    // A server keeps running.
    ok(s, 'kubectl run web --image=nginx:1.27');
    ok(s, 'advance 30s');
    expect(ok(s, 'kubectl get pod web --no-headers')).toMatch(/^web +1\/1 +Running +0 /);
  });

  it('are started again as they started first: describe counts the Pulled, Created and Started of each restart', () => {
    const s = session();
    // A tagged image is pulled once (IfNotPresent); ":latest" would be pulled again each time.
    ok(s, 'kubectl run hi --image=busybox:1.36 -- echo hi');
    ok(s, 'advance 60s');
    const restarts = Number(
      ok(s, "kubectl get pod hi -o jsonpath='{.status.containerStatuses[0].restartCount}'"),
    );
    expect(restarts).toBeGreaterThanOrEqual(2);
    const events = ok(s, 'kubectl describe pod hi').split('Events:')[1] ?? '';
    const count = (reason: string): number => {
      const line = events.split('\n').find((l) => l.trim().startsWith(`Normal   ${reason} `)) ?? '';
      return Number(/\(x(\d+) over/.exec(line)?.[1] ?? (line ? 1 : 0));
    };
    // The first start and every restart: one Started each.
    expect(count('Started')).toBe(restarts + 1);
    expect(count('Created')).toBe(restarts + 1);
    expect(events).toMatch(
      /Pulled +\S+ \(x\d+ over \S+\) +kubelet +Container image "busybox:1.36" already present on machine/,
    );
  });
});

describe("the service account volume and the container's text tools on files", () => {
  it('mounts the token, the CA and the namespace; head, tail and wc read files', () => {
    const s = new Session({ scenario: 'ha', seed: 15 });
    const run = (line: string): string => {
      const r = s.run(line);
      expect(r.code, r.output).toBe(0);
      return r.stdout;
    };
    run('kubectl run bb --image=busybox:1.36 -- sleep 3600');
    run('advance 10s');
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(run(`kubectl exec bb -- ls ${dir}`)).toBe('ca.crt\nnamespace\ntoken\n');
    expect(run(`kubectl exec bb -- cat ${dir}/namespace`)).toBe('default');
    const token = run(`kubectl exec bb -- cat ${dir}/token`);
    const [header, payload, signature] = token.split('.');
    expect(JSON.parse(atob(header!.replace(/-/g, '+').replace(/_/g, '/')))).toMatchObject({ alg: 'RS256' });
    const claims = JSON.parse(atob((payload ?? '').replace(/-/g, '+').replace(/_/g, '/')));
    expect(claims.sub).toBe('system:serviceaccount:default:default');
    expect(claims['kubernetes.io'].pod.name).toBe('bb');
    expect(claims.exp - claims.iat).toBe(3607);
    expect(signature).toMatch(/^[A-Za-z0-9_-]{342}$/);
    expect(run(`kubectl exec bb -- head -1 ${dir}/ca.crt`)).toBe('-----BEGIN CERTIFICATE-----\n');
    expect(run('kubectl exec bb -- wc -l /etc/hosts')).toBe('8 /etc/hosts\n');
    expect(s.run('kubectl exec bb -- tail /nope').output).toBe(
      "tail: can't open '/nope': No such file or directory\ncommand terminated with exit code 1\n",
    );
  });
});

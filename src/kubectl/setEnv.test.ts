import { describe, expect, it } from 'vitest';
import { Session } from '../script/session';

describe('kubectl set env', () => {
  it('sets, updates and removes variables in the pod template, and leaves an unchanged one alone', () => {
    const s = new Session({ scenario: 'single', seed: 18 });
    const run = (line: string) => s.run(line);
    expect(run('kubectl create deployment web --image=nginx:1.27').code).toBe(0);
    expect(run('kubectl set env deployment/web GREETING=hello MODE=dev').stdout).toBe(
      'deployment.apps/web env updated\n',
    );
    expect(run('kubectl set env deployment/web MODE=prod').stdout).toBe('deployment.apps/web env updated\n');
    expect(
      run("kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].env[*].value}'").stdout,
    ).toBe('hello prod');
    expect(run('kubectl set env deployment/web MODE-').stdout).toBe('deployment.apps/web env updated\n');
    expect(run('kubectl set env deployment/web GREETING=hello').output).toBe('');
    expect(
      run("kubectl get deploy web -o jsonpath='{.spec.template.spec.containers[0].env[*].name}'").stdout,
    ).toBe('GREETING');
    expect(run('kubectl set env deployment/web -c nope A=1').stderr).toBe(
      'error: unable to find container named "nope"\n',
    );
    expect(run('kubectl set env deployment/web').stderr).toBe(
      'error: at least one environment variable must be provided\n',
    );
    // The new template rolls the pods, which see the variable.
    run('advance 20s');
    expect(run('kubectl exec deploy/web -- printenv GREETING').stdout).toBe('hello\n');
  });
});

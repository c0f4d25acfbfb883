import { describe, expect, it } from 'vitest';
import { Session } from '../../src/script/session';

describe('kube-controller-manager root-ca-cert-publisher and kubeadm ConfigMaps', () => {
  it('every namespace gets kube-root-ca.crt, and gets it back when it is deleted', () => {
    const s = new Session({ scenario: 'ha', seed: 9 });
    expect(s.run('kubectl get cm kube-root-ca.crt -n kube-public -o name').stdout).toBe(
      'configmap/kube-root-ca.crt\n',
    );
    expect(s.run('kubectl create namespace demo').code).toBe(0);
    s.run('advance 2s');
    const cert = s.run("kubectl get cm kube-root-ca.crt -n demo -o jsonpath='{.data.ca\\.crt}'").stdout;
    expect(cert.startsWith('-----BEGIN CERTIFICATE-----\n')).toBe(true);
    expect(s.run('kubectl delete cm kube-root-ca.crt -n demo').code).toBe(0);
    s.run('advance 2s');
    expect(s.run("kubectl get cm kube-root-ca.crt -n demo -o jsonpath='{.data.ca\\.crt}'").stdout).toBe(cert);
  });

  it('kube-system holds the ConfigMaps kubeadm writes', () => {
    const s = new Session({ scenario: 'single', seed: 9 });
    const names = s.run('kubectl get cm -n kube-system -o name').stdout.trim().split('\n');
    expect(names).toEqual(
      expect.arrayContaining([
        'configmap/coredns',
        'configmap/kube-proxy',
        'configmap/kubeadm-config',
        'configmap/kubelet-config',
        'configmap/kube-root-ca.crt',
      ]),
    );
  });
});

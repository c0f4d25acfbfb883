import { etcdctl } from '../etcdctl/etcdctl';
import { kubectl } from '../kubectl/kubectl';
import { curl } from '../lab/curl';
import { LAB_COMMANDS, LAB_HELP } from '../lab/lab';
import { nano, vi, vim } from '../shell/editorTools';
import { env, falseProgram, printenv, trueProgram } from '../shell/envTools';
import { cat, cd, ls, mkdir, pwd, rm } from '../shell/fileTools';
import { fg, jobs, sleep, wait, withJobKill } from '../shell/jobControl';
import { watch, xargs } from '../shell/jobTools';
import { awk, base64, column, cut, sort, tr, uniq } from '../shell/moreTools';
import type { Program } from '../shell/program';
import type { ProgramTable } from '../shell/shell';
import { echo, grep, head, tail, wc } from '../shell/textTools';

export const HELP_TEXT = `Control Plane Lab: a simulated Kubernetes cluster. Try:
  kubectl get nodes                   the control plane and the workers
  etcdctl endpoint status --cluster -w table
                                      who leads etcd, at which term
  kill node cp-1                      crash a control-plane node and watch etcd react

Commands:
  kubectl ...                         kubectl v1.32 (get, describe, create namespace, label, ...)
  etcdctl ...                         etcdctl v3.5 (member list, endpoint status|health, get [--rev],
                                      put, del, watch, alarm list, compaction)
${LAB_HELP.replace('Lab commands:\n', '')}
Shell: pipes into grep, head, tail, wc, sort, uniq, cut, tr, awk, column, base64, xargs; echo;
       watch -n N CMD; CMD & (jobs, fg, wait, kill %1); sleep N; VAR=value, VAR=value CMD, export, env, $VAR, \${VAR:-default}, \${#VAR},
       \${VAR%suffix}, \${VAR/a/b}, $(command), $((1+2)), *.yaml; && || ;; heredocs (<<EOF); > and >>;
       ls, cat, rm, mkdir, cd, pwd (examples in ~/examples); curl (localhost ports of kubectl proxy
       and port-forward, NodePorts on node IPs); clear; help.
Editor: vi FILE (or vim, nano) and kubectl edit TYPE NAME open the editor pane: Ctrl-S saves,
       Esc cancels.
Keys: Up/Down history, Ctrl-C cancels, Ctrl-L clears, Ctrl-A/Ctrl-E/Ctrl-U/Ctrl-W edit the line.
`;

const help: Program = function* (_argv, ctx) {
  ctx.stdout(HELP_TEXT);
  return 0;
};

/** ANSI "cursor home, erase screen and scrollback", what `clear` writes to a terminal. */
export const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

const clear: Program = function* (_argv, ctx) {
  ctx.stdout(CLEAR_SCREEN);
  return 0;
};

/** Every command the terminal and scripts know, by name. */
export const PROGRAMS: ProgramTable = new Map<string, Program>([
  ['kubectl', kubectl],
  ['etcdctl', etcdctl],
  ...Object.entries(LAB_COMMANDS).map(([name, p]): [string, Program] =>
    name === 'kill' ? [name, withJobKill(p)] : [name, p],
  ),
  ['jobs', jobs],
  ['fg', fg],
  ['wait', wait],
  ['sleep', sleep],
  ['curl', curl],
  ['echo', echo],
  ['cat', cat],
  ['ls', ls],
  ['rm', rm],
  ['mkdir', mkdir],
  ['pwd', pwd],
  ['cd', cd],
  ['grep', grep],
  ['head', head],
  ['tail', tail],
  ['wc', wc],
  ['sort', sort],
  ['uniq', uniq],
  ['cut', cut],
  ['tr', tr],
  ['awk', awk],
  ['column', column],
  ['base64', base64],
  ['xargs', xargs],
  ['watch', watch],
  ['vi', vi],
  ['vim', vim],
  ['nano', nano],
  ['env', env],
  ['printenv', printenv],
  ['true', trueProgram],
  ['false', falseProgram],
  ['help', help],
  ['clear', clear],
]);

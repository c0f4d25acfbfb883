import type { CommandSpec } from '../cli/command';
import { notImplemented } from '../cli/common';
import { annotateCommand } from './annotate';
import { apiResourcesCommand } from './apiResources';
import { apiVersionsCommand } from './apiVersions';
import { applyCommand } from './apply';
import { attachCommand } from './attach';
import { authCommand } from './auth';
import { clusterInfoCommand } from './clusterInfo';
import { configCommand } from './config';
import { cpCommand } from './cp';
import { createCommand } from './create';
import { deleteCommand } from './delete';
import { describeCommand } from './describe';
import { diffCommand } from './diff';
import { cordonCommand, drainCommand, uncordonCommand } from './drain';
import { editCommand } from './edit';
import { eventsCommand } from './events';
import { execCommand } from './exec';
import { explainCommand } from './explain';
import { exposeCommand } from './expose';
import { getCommand } from './get';
import { labelCommand } from './label';
import { logsCommand } from './logs';
import { patchCommand } from './patch';
import { portForwardCommand } from './portForward';
import { proxyCommand } from './proxy';
import { replaceCommand } from './replace';
import { rolloutCommand } from './rollout';
import { runCommand } from './run';
import { scaleCommand } from './scale';
import { setCommand } from './set';
import { taintCommand } from './taint';
import { topCommand } from './top';
import { versionCommand } from './version';
import { waitCommand } from './wait';

/**
 * Every top-level kubectl v1.32 command, in the order kubectl adds them (which is also the order
 * of "Did you mean this?" suggestions), grouped as `kubectl --help` lists them. Commands the
 * simulator does not implement yet answer with a clear error. Adding a verb: one file exporting a
 * CommandSpec, one line here.
 */
export interface CommandGroup {
  readonly title: string;
  readonly commands: readonly CommandSpec[];
}

const todo = (name: string, short: string): CommandSpec => ({
  name,
  short,
  lenientFlags: true,
  run: notImplemented(`kubectl ${name}`),
});

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    title: 'Basic Commands (Beginner)',
    commands: [createCommand, exposeCommand, runCommand, setCommand],
  },
  {
    title: 'Basic Commands (Intermediate)',
    commands: [explainCommand, getCommand, editCommand, deleteCommand],
  },
  {
    title: 'Deploy Commands',
    commands: [
      rolloutCommand,
      scaleCommand,
      todo('autoscale', 'Auto-scale a deployment, replica set, stateful set, or replication controller'),
    ],
  },
  {
    title: 'Cluster Management Commands',
    commands: [
      todo('certificate', 'Modify certificate resources'),
      clusterInfoCommand,
      topCommand,
      cordonCommand,
      uncordonCommand,
      drainCommand,
      taintCommand,
    ],
  },
  {
    title: 'Troubleshooting and Debugging Commands',
    commands: [
      describeCommand,
      logsCommand,
      attachCommand,
      execCommand,
      portForwardCommand,
      proxyCommand,
      cpCommand,
      authCommand,
      todo('debug', 'Create debugging sessions for troubleshooting workloads and nodes'),
      eventsCommand,
    ],
  },
  {
    title: 'Advanced Commands',
    commands: [
      diffCommand,
      applyCommand,
      patchCommand,
      replaceCommand,
      waitCommand,
      todo('kustomize', 'Build a kustomization target from a directory or URL'),
    ],
  },
  {
    title: 'Settings Commands',
    commands: [
      labelCommand,
      annotateCommand,
      todo(
        'completion',
        'Output shell completion code for the specified shell (bash, zsh, fish, or powershell)',
      ),
    ],
  },
  /** Plugins found on the PATH would be listed here; kubectl prints the heading even when empty. */
  { title: 'Subcommands provided by plugins', commands: [] },
];

/** Commands outside the groups, in the order kubectl adds them after the groups. */
export const OTHER_COMMANDS: readonly CommandSpec[] = [
  configCommand,
  todo('plugin', 'Provides utilities for interacting with plugins'),
  versionCommand,
  apiVersionsCommand,
  apiResourcesCommand,
];

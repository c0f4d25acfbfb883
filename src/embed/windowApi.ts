import type { ClusterSnapshot } from '../sim/snapshot';
import { useLabStore } from '../store/labStore';
import type { CommandResult } from '../views/terminal/terminalController';

/** What embedding pages and end-to-end tests call: `window.cplab.run('kubectl get nodes')`. */
export interface CplabApi {
  run(command: string): Promise<CommandResult>;
  state(): ClusterSnapshot | undefined;
}

declare global {
  interface Window {
    cplab?: CplabApi;
  }
}

export const MAX_COMMAND_LENGTH = 10_000;

export function installWindowApi(run: (command: string) => Promise<CommandResult>): void {
  window.cplab = {
    run(command: string) {
      if (typeof command !== 'string' || command.length > MAX_COMMAND_LENGTH) {
        return Promise.resolve({
          output: 'error: run(command) takes one command line as a string\n',
          exitCode: 2,
        });
      }
      return run(command);
    },
    state() {
      return useLabStore.getState().snapshot;
    },
  };
}

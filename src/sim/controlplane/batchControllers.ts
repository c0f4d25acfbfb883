import type { CronJobObject, JobObject } from '../api/batchTypes';
import type { KubeObject, PodObject } from '../api/types';
import type { ApiClient } from '../client/apiClient';
import { Informer } from '../client/informer';
import { hash32 } from '../kernel/hash';
import { Rng } from '../kernel/rng';
import type { Sim } from '../kernel/sim';
import { CronJobController } from './cronJobController';
import { JobController } from './jobController';
import { TtlAfterFinishedController } from './ttlAfterFinishedController';

/**
 * The batch controllers of kube-controller-manager (job, cronjob, ttl-after-finished), over their
 * own Job and CronJob informers and the shared pod informer; `gcKinds` lets the garbage collector cascade deletions
 * from CronJobs to Jobs to pods.
 */
export function startBatchControllers(client: ApiClient, sim: Sim, rng: Rng, pods: Informer<PodObject>) {
  const jobs = new Informer<JobObject>(client, sim, { resource: 'jobs' });
  const cronJobs = new Informer<CronJobObject>(client, sim, { resource: 'cronjobs' });
  // Its own stream, seeded without drawing from `rng` (which would shift every ReplicaSet pod name).
  const jobRng = new Rng(hash32(rng.seed, 'job-controller', sim.nowMs));
  const jobController = new JobController(client, sim, jobRng, jobs, pods);
  const cronJobController = new CronJobController(client, sim, cronJobs, jobs);
  const ttlController = new TtlAfterFinishedController(client, sim, jobs);
  return {
    gcKinds: [
      { resource: 'cronjobs', informer: cronJobs as unknown as Informer<KubeObject> },
      { resource: 'jobs', informer: jobs as unknown as Informer<KubeObject> },
    ],
    start(): void {
      jobs.start();
      cronJobs.start();
    },
    stop(): void {
      jobs.stop();
      cronJobs.stop();
      jobController.stop();
      cronJobController.stop();
      ttlController.stop();
    },
  };
}

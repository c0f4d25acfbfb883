/**
 * The default profile (pkg/scheduler/apis/config/v1/default_plugins.go), restricted to the plugins
 * this simulation models: Filter in kube-scheduler's order, Score with the default weights.
 * Omitted because the simulation has no such objects: SchedulingGates, NodePorts (no hostPort),
 * the volume plugins, DynamicResources. DefaultPreemption is modelled only for its message.
 */
import type { FilterPlugin, ScorePlugin } from '../framework';
import { ImageLocality } from './imageLocality';
import { InterPodAffinity } from './interPodAffinity';
import { NodeAffinity } from './nodeAffinity';
import { NodeName } from './nodeName';
import { NodeResourcesBalancedAllocation } from './nodeResourcesBalancedAllocation';
import { NodeResourcesFit } from './nodeResourcesFit';
import { NodeUnschedulable } from './nodeUnschedulable';
import { PodTopologySpread } from './podTopologySpread';
import { TaintToleration } from './taintToleration';

export interface Profile {
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];
}

/** A fresh default profile (plugins keep per-cycle state, so each scheduler gets its own). */
export function defaultProfile(): Profile {
  const taintToleration = new TaintToleration(3);
  const nodeAffinity = new NodeAffinity(2);
  const fit = new NodeResourcesFit(1);
  const spread = new PodTopologySpread(2);
  const interPod = new InterPodAffinity(2);
  return {
    filters: [new NodeUnschedulable(), new NodeName(), taintToleration, nodeAffinity, fit, spread, interPod],
    scores: [
      taintToleration,
      nodeAffinity,
      spread,
      interPod,
      fit,
      new NodeResourcesBalancedAllocation(1),
      new ImageLocality(1),
    ],
  };
}

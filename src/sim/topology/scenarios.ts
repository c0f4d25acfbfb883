/** A machine in the simulated data centre: a control-plane node or a worker node. */
export interface HostSpec {
  readonly name: string;
  readonly zone: string;
  readonly role: 'control-plane' | 'worker';
  readonly ip: string;
  readonly cpuCores: number;
  readonly memoryMi: number;
  /** Extra node labels and taints the kubelet registers with (`add node --labels/--taints`). */
  readonly labels?: Readonly<Record<string, string>>;
  readonly taints?: readonly {
    readonly key: string;
    readonly value?: string;
    readonly effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  }[];
}

/** A preset cluster layout (`scenario NAME`). */
export interface ScenarioSpec {
  readonly name: ScenarioName;
  readonly description: string;
  readonly zones: readonly string[];
  readonly hosts: readonly HostSpec[];
}

export const SCENARIO_NAMES = ['single', 'ha', 'ha5', 'even', 'large', 'huge'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
export const DEFAULT_SCENARIO: ScenarioName = 'ha';
/** The seed a session uses unless told otherwise. */
export const DEFAULT_SEED = 1;

export function isScenarioName(name: string): name is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(name);
}

const ZONE_NAMES = ['zone-a', 'zone-b', 'zone-c', 'zone-d', 'zone-e'];

interface Layout {
  description: string;
  zoneCount: number;
  controlPlanes: number;
  workers: number;
}

const LAYOUTS: Record<ScenarioName, Layout> = {
  single: {
    description: '1 control-plane node and 3 workers in one zone',
    zoneCount: 1,
    controlPlanes: 1,
    workers: 3,
  },
  ha: {
    description: '3 control-plane nodes in zones a/b/c, 2 workers per zone',
    zoneCount: 3,
    controlPlanes: 3,
    workers: 6,
  },
  ha5: {
    description: '5 control-plane nodes over 3 zones, 2 workers per zone',
    zoneCount: 3,
    controlPlanes: 5,
    workers: 6,
  },
  even: {
    description: '4 control-plane nodes over 2 zones (split brain waiting to happen)',
    zoneCount: 2,
    controlPlanes: 4,
    workers: 4,
  },
  large: {
    description: '3 control-plane nodes, 100 workers over 3 zones',
    zoneCount: 3,
    controlPlanes: 3,
    workers: 100,
  },
  huge: {
    description: '3 control-plane nodes, 5,000 workers over 3 zones',
    zoneCount: 3,
    controlPlanes: 3,
    workers: 5000,
  },
};

/** Hosts are spread round-robin over the zones, control planes first: cp-1 in zone-a, cp-2 in zone-b… */
export function scenario(name: ScenarioName): ScenarioSpec {
  const layout = LAYOUTS[name];
  const zones = ZONE_NAMES.slice(0, layout.zoneCount);
  const perZone = new Array<number>(zones.length).fill(0);
  const hosts: HostSpec[] = [];
  const place = (hostName: string, role: HostSpec['role'], i: number): void => {
    const z = i % zones.length;
    const k = perZone[z]!++;
    hosts.push({
      name: hostName,
      zone: zones[z]!,
      role,
      ip: `10.0.${z * 32 + Math.floor(k / 250)}.${(k % 250) + 2}`,
      cpuCores: role === 'control-plane' ? 2 : 4,
      memoryMi: role === 'control-plane' ? 4096 : 8192,
    });
  };
  for (let i = 0; i < layout.controlPlanes; i++) place(`cp-${i + 1}`, 'control-plane', i);
  for (let i = 0; i < layout.workers; i++) place(`worker-${i + 1}`, 'worker', i);
  return { name, description: layout.description, zones, hosts };
}

import type { KubeObject } from '../api/types';
import type { ApiOutcome, ApiRequest, ApiWatchEvent } from '../apiserver/request';
import type { Sim } from '../kernel/sim';
import type { ApiClient } from './apiClient';

export type InformerEvent = 'added' | 'updated' | 'deleted';
export type InformerHandler<T> = (event: InformerEvent, obj: T, old: T | undefined) => void;

/** Wait before re-listing after the watch broke (client-go's reflector backs off similarly). */
export const RELIST_BACKOFF_MS = 1000;

/**
 * The `namespace/name` key of an object in an informer's cache. Every informer that sees an object
 * (four or five per pod on a big cluster) would build and keep its own copy of the same key: the
 * keys built lately are kept by namespace and name, so they share one. Bounded as intern() is (two
 * generations), so it changes memory only, never a result.
 */
export function objectKey(o: KubeObject): string {
  const { namespace, name } = o.metadata;
  if (!namespace) return name;
  let byName = recentKeys.get(namespace);
  let key = byName?.get(name);
  if (key !== undefined) return key;
  key = olderKeys.get(namespace)?.get(name) ?? `${namespace}/${name}`;
  if (recentCount >= RECENT_KEYS) {
    olderKeys = recentKeys;
    recentKeys = new Map();
    recentCount = 0;
    byName = undefined;
  }
  if (!byName) recentKeys.set(namespace, (byName = new Map()));
  byName.set(name, key);
  recentCount++;
  return key;
}

const RECENT_KEYS = 4096;
let recentKeys = new Map<string, Map<string, string>>();
let olderKeys = new Map<string, Map<string, string>>();
let recentCount = 0;

const rv = (o: KubeObject): number => Number(o.metadata.resourceVersion ?? 0);

/**
 * client-go's informer, reduced: a local cache of one resource kept current by a watch, plus a
 * list to fill it. The watch is opened before the list, so nothing that happens in between is
 * missed; an event older than what the cache holds is ignored. When the stream breaks (the API
 * server died), it re-lists after a short backoff. Controllers read the cache, never the API.
 */
export class Informer<T extends KubeObject> {
  readonly items = new Map<string, T>();
  private readonly handlers: InformerHandler<T>[] = [];
  private abort: { aborted: boolean } | undefined;
  private running = false;
  synced = false;

  constructor(
    private readonly client: ApiClient,
    private readonly sim: Sim,
    private readonly request: Pick<ApiRequest, 'resource' | 'namespace' | 'labelSelector' | 'fieldSelector'>,
  ) {}

  onChange(handler: InformerHandler<T>): this {
    this.handlers.push(handler);
    return this;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    if (this.abort) this.abort.aborted = true;
  }

  /** Records a write this process just made, before its watch event arrives (the "assume" step). */
  assume(obj: T): void {
    this.apply(obj);
  }

  private connect(): void {
    if (!this.running) return;
    const abort = { aborted: false };
    this.abort = abort;
    this.client.request(
      {
        verb: 'watch',
        ...this.request,
        abort,
        onWatchEvent: (e: ApiWatchEvent) => {
          if (!abort.aborted) this.event(e);
        },
      },
      () => {
        // The stream ended: the server went away, or we stopped. Start over unless stopped.
        if (abort.aborted || !this.running) return;
        abort.aborted = true;
        this.sim.schedule(RELIST_BACKOFF_MS, () => this.connect());
      },
    );
    this.client.request({ verb: 'list', ...this.request, cached: true }, (res: ApiOutcome) => {
      if (abort.aborted || !this.running) return;
      if ('transport' in res || res.code !== 200) {
        abort.aborted = true;
        this.sim.schedule(RELIST_BACKOFF_MS, () => this.connect());
        return;
      }
      const listed = (res.body as { items: T[] }).items;
      const seen = new Set<string>();
      for (const obj of listed) {
        seen.add(objectKey(obj));
        this.apply(obj);
      }
      // Whatever the cache holds that the list no longer has was deleted while we were away.
      const listRv = Number(
        (res.body as { metadata: { resourceVersion?: string } }).metadata.resourceVersion ?? 0,
      );
      for (const [key, old] of [...this.items]) {
        if (!seen.has(key) && rv(old) <= listRv) this.remove(old);
      }
      this.synced = true;
    });
  }

  private event(e: ApiWatchEvent): void {
    const obj = e.object as T;
    if (e.type === 'DELETED') this.remove(obj);
    else this.apply(obj);
  }

  private apply(obj: T): void {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (old && rv(old) > rv(obj)) return;
    if (old && old.metadata.uid !== obj.metadata.uid && rv(obj) === 0) return;
    this.items.set(key, obj);
    for (const h of this.handlers) h(old ? 'updated' : 'added', obj, old);
  }

  private remove(obj: T): void {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (!old) return;
    if (old.metadata.uid !== obj.metadata.uid && obj.metadata.uid !== undefined) return;
    this.items.delete(key);
    for (const h of this.handlers) h('deleted', old, old);
  }
}

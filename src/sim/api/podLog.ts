/**
 * The `pods/log` subresource's options (core/v1 PodLogOptions) and the kubelet URL the API server
 * proxies them to, as pkg/registry/core/pod's LogLocation builds it.
 */
export interface PodLogOptions {
  /** Which container; the API server fills it in when the pod has exactly one. */
  readonly container?: string;
  readonly follow?: boolean;
  readonly previous?: boolean;
  readonly timestamps?: boolean;
  readonly sinceSeconds?: number;
  /** RFC 3339. */
  readonly sinceTime?: string;
  readonly tailLines?: number;
  readonly limitBytes?: number;
}

/** The kubelet's port (status.daemonEndpoints.kubeletEndpoint.Port). */
export const KUBELET_PORT = 10250;

/**
 * `https://IP:10250/containerLogs/NS/POD/CONTAINER?…`: the query as url.Values.Encode writes it
 * (keys sorted).
 */
export function kubeletLogUrl(
  address: string,
  namespace: string,
  pod: string,
  container: string,
  opts: PodLogOptions,
): string {
  const params: [string, string][] = [];
  if (opts.follow) params.push(['follow', 'true']);
  if (opts.limitBytes !== undefined) params.push(['limitBytes', String(opts.limitBytes)]);
  if (opts.previous) params.push(['previous', 'true']);
  if (opts.sinceSeconds !== undefined) params.push(['sinceSeconds', String(opts.sinceSeconds)]);
  if (opts.sinceTime !== undefined) params.push(['sinceTime', encodeURIComponent(opts.sinceTime)]);
  if (opts.tailLines !== undefined) params.push(['tailLines', String(opts.tailLines)]);
  if (opts.timestamps) params.push(['timestamps', 'true']);
  params.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  const query = params.map(([k, v]) => `${k}=${v}`).join('&');
  return `https://${address}:${KUBELET_PORT}/containerLogs/${namespace}/${pod}/${container}${query ? `?${query}` : ''}`;
}

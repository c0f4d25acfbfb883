/**
 * The documentation `kubectl explain` reads: a model of the OpenAPI v3 schemas a v1.32 API server
 * publishes, limited to the kinds this lab serves and the fields a CKAD-level learner meets (a type
 * that is documented lists its v1.32 fields; the Volume sources are limited to the common ones).
 * Names, types, required fields and enums follow the Kubernetes API; every description is written
 * for this lab (short and plain), not taken from the upstream documentation.
 *
 * The table is written compactly, as OpenAPI does it: each type once, referenced by name. A field
 * is one string, `TYPE[!][=ENUM,...]|description`: TYPE is spelled as explain prints it (`string`,
 * `integer`, `boolean`, `[]Container`, `map[string]Quantity`, or a type's name), `!` marks a
 * required field, and `=` lists the enum values. `TYPES` expands it once, at load.
 */

/** A field's type, as the OpenAPI schema spells it: a primitive, a `$ref`, an array or a map. */
export type FieldType =
  | { readonly prim: 'string' | 'integer' | 'boolean' | 'number' }
  | { readonly ref: string }
  | { readonly array: FieldType }
  | { readonly map: FieldType };

export interface FieldDoc {
  readonly type: FieldType;
  readonly description: string;
  readonly required?: boolean;
  readonly enum?: readonly string[];
}

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** One component schema (`io.k8s.api.core.v1.PodSpec`). */
export interface TypeDoc {
  readonly description: string;
  /**
   * A type with no properties: `string` on the wire (Time, MicroTime), which explain names
   * `string`, or a free-form `object` (FieldsV1).
   */
  readonly primitive?: 'string' | 'object';
  readonly fields?: Readonly<Record<string, FieldDoc>>;
  /** Set on the top-level kinds (x-kubernetes-group-version-kind). */
  readonly gvk?: GroupVersionKind;
}

/** A type of the compact table: description, fields, and a kind's or a primitive's marker. */
interface Src {
  readonly d: string;
  readonly f?: Readonly<Record<string, string>>;
  /** A kind of the package's group version. */
  readonly k?: true;
  readonly p?: 'string' | 'object';
}

/** apiVersion, kind and metadata: the fields every object starts with. */
const header = (kind: string): Record<string, string> => ({
  apiVersion:
    'string|The API group and version this object is written in, such as v1 or apps/v1. The server uses it to decode the object.',
  kind: `string|The type of the object, here ${kind}. It is written in CamelCase and cannot change.`,
  metadata:
    'ObjectMeta|Identity and bookkeeping of the object: its name, namespace, labels, annotations and the values the server fills in.',
});

/** The fields of the status conditions of controllers (type, status, reason, message, times). */
const condition = (what: string, more: Record<string, string> = {}): Record<string, string> => ({
  lastTransitionTime: 'Time|The last time the status of the condition changed.',
  message: 'string|A human-readable explanation of the last change.',
  reason: 'string|A short CamelCase word for the last change.',
  status: 'string!|True, False or Unknown.',
  type: `string!|Which aspect of the ${what} the condition is about.`,
  ...more,
});

const PROTOCOL = '=SCTP,TCP,UDP';
const EFFECT = '=NoExecute,NoSchedule,PreferNoSchedule';
const PROFILE = '=Localhost,RuntimeDefault,Unconfined';
const HONOR = '=Honor,Ignore';

const META: Record<string, Src> = {
  ObjectMeta: {
    d: 'The metadata every stored object carries: what it is called, where it lives, how it is labelled, and what the server has recorded about it.',
    f: {
      annotations:
        'map[string]string|Free-form key/value notes for tools and people. Unlike labels they cannot be used to select objects.',
      creationTimestamp: 'Time|When the server created the object, in UTC. Set by the server and read-only.',
      deletionGracePeriodSeconds:
        'integer|The seconds the object was given to shut down when its deletion was asked for. Read-only.',
      deletionTimestamp:
        'Time|Set by the server when a deletion was asked for; the object goes away once its finalizers are done.',
      finalizers:
        '[]string|Names of cleanup steps that must finish before the object is removed from storage.',
      generateName:
        'string|A prefix for a name the server makes up when no name is given; it appends a few random characters.',
      generation:
        'integer|A counter of changes to the desired state, raised by the server on every spec update.',
      labels:
        'map[string]string|Key/value tags used to group and select objects, for example by Services and ReplicaSets.',
      managedFields:
        '[]ManagedFieldsEntry|Which client (field manager) last set which fields. Kept by the server; rarely read by people.',
      name: 'string|The name of the object, unique among objects of this kind in its namespace. It cannot change.',
      namespace:
        'string|The namespace the object belongs to. Empty for cluster-wide kinds; defaults to "default" for the others.',
      ownerReferences:
        '[]OwnerReference|The objects this one belongs to. When every owner is deleted, the garbage collector removes this object too.',
      resourceVersion:
        'string|An opaque version of the object that changes on every write. Clients send it back to detect conflicting updates.',
      selfLink: 'string|A legacy link to the object. The server no longer fills it in.',
      uid: 'string|A unique id the server gives the object when it is created. It is never reused.',
    },
  },
  ManagedFieldsEntry: {
    d: 'The set of fields one field manager owns, and how it last wrote them.',
    f: {
      apiVersion: 'string|The API version the fields are described in.',
      fieldsType: 'string|The format of fieldsV1. The only one is FieldsV1.',
      fieldsV1: 'FieldsV1|The fields owned, as a tree of field names.',
      manager: 'string|The name of the client that manages these fields, such as kubectl-client-side-apply.',
      operation: 'string|How the fields were written: Apply or Update.',
      subresource: 'string|The subresource the write went through, such as status, if any.',
      time: 'Time|When the manager last changed these fields.',
    },
  },
  FieldsV1: { d: 'A set of field paths, encoded as a JSON tree.', p: 'object' },
  OwnerReference: {
    d: 'Points at an object that owns this one.',
    f: {
      apiVersion: 'string!|The API version of the owner.',
      blockOwnerDeletion: 'boolean|When true, the owner is not fully deleted until this object is gone.',
      controller: 'boolean|True when the owner is the controller that manages this object.',
      kind: 'string!|The kind of the owner.',
      name: 'string!|The name of the owner.',
      uid: 'string!|The uid of the owner.',
    },
  },
  Time: { d: 'A point in time, written as an RFC 3339 string with a precision of one second.', p: 'string' },
  MicroTime: { d: 'A point in time, written as an RFC 3339 string with microseconds.', p: 'string' },
  LabelSelector: {
    d: 'Selects objects by their labels. All conditions must hold; an empty selector matches every object.',
    f: {
      matchExpressions:
        '[]LabelSelectorRequirement|Conditions on labels, such as "tier In (web, api)". All of them must hold.',
      matchLabels: 'map[string]string|Labels an object must have, each with exactly this value.',
    },
  },
  LabelSelectorRequirement: {
    d: 'One condition of a label selector: a key, an operator and possibly some values.',
    f: {
      key: 'string!|The label key the condition is about.',
      operator: 'string!|How the label is compared: In, NotIn, Exists or DoesNotExist.',
      values: '[]string|The values for In and NotIn. Must be empty for Exists and DoesNotExist.',
    },
  },
  Condition: {
    d: 'One aspect of the state of an object, in the shape shared by most APIs.',
    f: {
      ...condition('object'),
      lastTransitionTime: 'Time!|The last time the status of the condition changed.',
      message: 'string!|A human-readable explanation of the last change. May be empty.',
      observedGeneration: 'integer|The generation of the object the condition was computed from.',
      reason: 'string!|A short CamelCase word for the last change.',
    },
  },
};

const CONTAINER: Record<string, string> = {
  args: "[]string|Arguments given to the command. When empty, the image's own default arguments are used. $(VAR) expands an environment variable.",
  command:
    "[]string|The program to run, replacing the image's entrypoint. It is not run in a shell unless you run one.",
  env: '[]EnvVar|Environment variables set in the container.',
  envFrom:
    '[]EnvFromSource|Sets one environment variable per key of a ConfigMap or Secret. Variables in env win over these.',
  image: 'string|The container image to run, such as nginx:1.27 or busybox.',
  imagePullPolicy:
    'string=Always,IfNotPresent,Never|When the kubelet pulls the image. Defaults to Always for the :latest tag and IfNotPresent otherwise.',
  lifecycle: 'Lifecycle|Actions the kubelet runs right after the container starts and just before it stops.',
  livenessProbe:
    'Probe|A periodic check that the container still works. When it fails often enough, the kubelet restarts the container.',
  name: 'string!|The name of the container, unique within the pod.',
  ports:
    '[]ContainerPort|Ports the container listens on. The list is informational: an unlisted port can still be reached.',
  readinessProbe:
    'Probe|A periodic check that the container can serve. While it fails, the pod is taken out of Service endpoints.',
  resizePolicy: '[]ContainerResizePolicy|Whether changing the resources of the container needs a restart.',
  resources:
    'ResourceRequirements|CPU and memory the container asks for (requests) and may not exceed (limits).',
  restartPolicy:
    'string|Only for init containers: Always makes it a sidecar that keeps running beside the main containers.',
  securityContext:
    "SecurityContext|Security settings of this container. They win over the pod's securityContext.",
  startupProbe:
    'Probe|A check that runs until the container has started. Liveness and readiness probes wait for it to succeed.',
  stdin: 'boolean|When true, the container keeps a stdin open that clients can attach to.',
  stdinOnce: 'boolean|When true, stdin is closed after the first attached client goes away.',
  terminationMessagePath:
    'string|The file the container may write a last message to when it ends. Defaults to /dev/termination-log.',
  terminationMessagePolicy:
    'string=FallbackToLogsOnError,File|Where the termination message comes from: the file only (File, the default), or the end of the logs when the file is empty and the container failed.',
  tty: 'boolean|When true, the container gets a terminal. Needs stdin as well.',
  volumeDevices: '[]VolumeDevice|Raw block devices from volumes, given to the container as device files.',
  volumeMounts: "[]VolumeMount|Where the pod's volumes appear in the container's filesystem.",
  workingDir: "string|The folder the command starts in. Defaults to the image's own setting.",
};

const PROBE_HANDLER: Record<string, string> = {
  exec: 'ExecAction|Runs a command in the container; exit status 0 means success.',
  httpGet: 'HTTPGetAction|Sends an HTTP GET; a status from 200 to 399 means success.',
  tcpSocket: 'TCPSocketAction|Opens a TCP connection; success when it connects.',
};

const STATUS_CONTAINERS = (which: string): string =>
  `[]ContainerStatus|The state of each ${which}, as the kubelet last saw it.`;

const CORE: Record<string, Src> = {
  Pod: {
    k: true,
    d: 'A group of one or more containers that run together on one node and share its network. Pods are usually created by a controller such as a Deployment.',
    f: {
      ...header('Pod'),
      spec: 'PodSpec|What the pod should run and how: its containers, volumes and scheduling wishes.',
      status:
        'PodStatus|What the kubelet last reported about the pod. It is read-only and may lag behind reality.',
    },
  },
  PodTemplateSpec: {
    d: 'The blueprint a controller copies each time it creates a pod.',
    f: {
      metadata: 'ObjectMeta|Labels and annotations given to every pod made from this template.',
      spec: 'PodSpec|The spec of every pod made from this template.',
    },
  },
  PodSpec: {
    d: 'The desired state of a pod.',
    f: {
      activeDeadlineSeconds:
        'integer|How many seconds the pod may run in total before the kubelet stops it and marks it failed.',
      affinity: 'Affinity|Rules that attract the pod to, or keep it away from, some nodes and other pods.',
      automountServiceAccountToken:
        'boolean|Whether the token of the service account is mounted into the containers. Defaults to true.',
      containers:
        '[]Container!|The containers of the pod. There must be at least one, and the list cannot change once the pod exists.',
      dnsConfig: 'PodDNSConfig|Extra DNS settings, merged with the ones dnsPolicy produces.',
      dnsPolicy:
        "string=ClusterFirst,ClusterFirstWithHostNet,Default,None|How the pod resolves names. ClusterFirst (the default) asks the cluster DNS first; Default uses the node's settings; None uses dnsConfig only.",
      enableServiceLinks:
        'boolean|Whether the variables of the Services of the namespace are set in the containers, Docker-links style. Defaults to true.',
      ephemeralContainers:
        '[]EphemeralContainer|Containers added to a running pod for debugging, with kubectl debug. They cannot be removed.',
      hostAliases: '[]HostAlias|Extra entries for the /etc/hosts file of the pod.',
      hostIPC: "boolean|When true, the pod shares the node's IPC namespace.",
      hostNetwork:
        "boolean|When true, the pod uses the node's network directly instead of its own IP address.",
      hostPID: "boolean|When true, the pod shares the node's process namespace.",
      hostUsers:
        "boolean|When false, the pod runs in its own user namespace instead of the node's. Defaults to true.",
      hostname: 'string|The host name the containers see. Defaults to the name of the pod.',
      imagePullSecrets:
        '[]LocalObjectReference|Secrets in the same namespace holding the registry credentials used to pull the images.',
      initContainers:
        '[]Container|Containers that run one after the other, each to completion, before the main containers start.',
      nodeName:
        'string|The node the pod runs on. The scheduler sets it; setting it yourself skips the scheduler.',
      nodeSelector:
        'map[string]string|Node labels the pod requires: it is only scheduled onto nodes that have all of them.',
      os: 'PodOS|The operating system the containers need.',
      overhead:
        'map[string]Quantity|Resources the pod costs beyond its containers, set from its RuntimeClass.',
      preemptionPolicy:
        'string=Never,PreemptLowerPriority|Whether the pod may evict lower-priority pods to make room. Defaults to PreemptLowerPriority.',
      priority: 'integer|The priority of the pod, filled in from its priority class. Higher goes first.',
      priorityClassName: 'string|The PriorityClass that gives the pod its priority.',
      readinessGates: '[]PodReadinessGate|Extra conditions that must be True for the pod to count as ready.',
      resourceClaims: '[]PodResourceClaim|Dynamically allocated resources, such as devices, the pod needs.',
      resources:
        'ResourceRequirements|Requests and limits for the pod as a whole, shared by its containers. Alpha in v1.32.',
      restartPolicy:
        'string=Always,Never,OnFailure|What the kubelet does when a container exits. Defaults to Always; Jobs use OnFailure or Never.',
      runtimeClassName: 'string|The RuntimeClass that chooses the container runtime handler for the pod.',
      schedulerName: 'string|The scheduler that places this pod. Defaults to default-scheduler.',
      schedulingGates: '[]PodSchedulingGate|While any gate is listed, the pod is not scheduled.',
      securityContext:
        'PodSecurityContext|Security settings for every container of the pod, such as the user they run as.',
      serviceAccount: 'string|An older name of serviceAccountName.',
      serviceAccountName: 'string|The service account whose identity the pod runs with. Defaults to default.',
      setHostnameAsFQDN: 'boolean|When true, the host name of the pod is its fully qualified domain name.',
      shareProcessNamespace:
        "boolean|When true, the containers of the pod see and can signal each other's processes.",
      subdomain:
        'string|With a headless Service of this name, gives the pod the DNS name <hostname>.<subdomain>.<namespace>.svc.',
      terminationGracePeriodSeconds:
        'integer|How many seconds the containers get to stop after being asked to, before they are killed. Defaults to 30.',
      tolerations:
        '[]Toleration|Node taints this pod accepts, so it can be scheduled onto (or keep running on) tainted nodes.',
      topologySpreadConstraints:
        '[]TopologySpreadConstraint|How to spread matching pods evenly over zones, nodes or other topology domains.',
      volumes: '[]Volume|Storage the containers of the pod can mount.',
    },
  },
  Container: { d: 'One container of a pod: the image it runs and how it is started.', f: CONTAINER },
  EphemeralContainer: {
    d: 'A temporary container added to a running pod to debug it. It is never restarted and gets no ports or probes that work.',
    f: {
      ...CONTAINER,
      targetContainerName: 'string|The container whose process namespace the debugging container joins.',
    },
  },
  ContainerPort: {
    d: 'A network port of a container.',
    f: {
      containerPort: 'integer!|The port number the container listens on, between 1 and 65535.',
      hostIP: 'string|The address of the node the host port is bound to.',
      hostPort: 'integer|A port of the node forwarded to this one. Rarely needed; most pods leave it unset.',
      name: 'string|A name for the port, which Services can refer to instead of its number.',
      protocol: `string${PROTOCOL}|The protocol of the port. Defaults to TCP.`,
    },
  },
  ContainerResizePolicy: {
    d: 'How one resource of a container is resized.',
    f: {
      resourceName: 'string!|The resource, cpu or memory.',
      restartPolicy:
        'string!|NotRequired (the default) resizes in place; RestartContainer restarts the container.',
    },
  },
  EnvVar: {
    d: 'One environment variable of a container.',
    f: {
      name: 'string!|The name of the variable.',
      value: 'string|The value of the variable. $(OTHER) refers to a variable defined earlier in the list.',
      valueFrom:
        'EnvVarSource|Takes the value from a ConfigMap, a Secret, a field of the pod or a resource of the container instead.',
    },
  },
  EnvVarSource: {
    d: 'Where the value of an environment variable comes from. Set exactly one.',
    f: {
      configMapKeyRef: 'ConfigMapKeySelector|A key of a ConfigMap in the same namespace.',
      fieldRef:
        'ObjectFieldSelector|A field of the pod, such as metadata.name, metadata.namespace, spec.nodeName or status.podIP.',
      resourceFieldRef: 'ResourceFieldSelector|A request or limit of a container, such as limits.memory.',
      secretKeyRef: 'SecretKeySelector|A key of a Secret in the same namespace.',
    },
  },
  EnvFromSource: {
    d: 'A ConfigMap or Secret whose keys all become environment variables.',
    f: {
      configMapRef: 'ConfigMapEnvSource|The ConfigMap to read.',
      prefix: 'string|Text put before every key to make the variable name.',
      secretRef: 'SecretEnvSource|The Secret to read.',
    },
  },
  ConfigMapEnvSource: {
    d: 'A ConfigMap whose keys become environment variables.',
    f: {
      name: 'string|The name of the ConfigMap.',
      optional: 'boolean|When true, a missing ConfigMap is not an error.',
    },
  },
  SecretEnvSource: {
    d: 'A Secret whose keys become environment variables.',
    f: {
      name: 'string|The name of the Secret.',
      optional: 'boolean|When true, a missing Secret is not an error.',
    },
  },
  ConfigMapKeySelector: {
    d: 'Picks one key of a ConfigMap.',
    f: {
      key: 'string!|The key to read.',
      name: 'string|The name of the ConfigMap.',
      optional: 'boolean|When true, a missing ConfigMap or key is not an error.',
    },
  },
  SecretKeySelector: {
    d: 'Picks one key of a Secret.',
    f: {
      key: 'string!|The key to read.',
      name: 'string|The name of the Secret.',
      optional: 'boolean|When true, a missing Secret or key is not an error.',
    },
  },
  ObjectFieldSelector: {
    d: 'Picks one field of the pod.',
    f: {
      apiVersion: 'string|The API version the path is written in. Defaults to v1.',
      fieldPath: "string!|The path of the field, such as metadata.labels['app'] or status.hostIP.",
    },
  },
  ResourceFieldSelector: {
    d: 'Picks a request or limit of a container.',
    f: {
      containerName:
        'string|The container to read. Optional for environment variables, which read their own.',
      divisor: 'Quantity|The unit the value is given in, such as 1Mi. Defaults to 1.',
      resource: 'string!|The resource, such as requests.cpu or limits.memory.',
    },
  },
  Probe: {
    d: 'A health check the kubelet runs against a container. Set exactly one way of checking.',
    f: {
      ...PROBE_HANDLER,
      failureThreshold: 'integer|How many failures in a row count as failed. Defaults to 3.',
      grpc: 'GRPCAction|Calls the gRPC health service of the container.',
      initialDelaySeconds: 'integer|How long to wait after the container starts before the first check.',
      periodSeconds: 'integer|How often to check, in seconds. Defaults to 10.',
      successThreshold:
        'integer|How many successes in a row count as success after a failure. Defaults to 1, which liveness and startup probes require.',
      terminationGracePeriodSeconds:
        "integer|The grace period given to the container when a failed probe kills it, instead of the pod's.",
      timeoutSeconds: 'integer|How long one check may take before it counts as failed. Defaults to 1.',
    },
  },
  ExecAction: {
    d: 'A command run inside the container.',
    f: {
      command:
        '[]string|The command and its arguments. It is not run in a shell; run one yourself to use pipes or variables.',
    },
  },
  HTTPGetAction: {
    d: 'An HTTP GET request sent to the container.',
    f: {
      host: 'string|The host to connect to. Defaults to the IP address of the pod.',
      httpHeaders: '[]HTTPHeader|Extra headers sent with the request.',
      path: 'string|The path to request, such as /healthz.',
      port: 'IntOrString!|The port to connect to: a number or the name of a container port.',
      scheme: 'string=HTTP,HTTPS|HTTP (the default) or HTTPS.',
    },
  },
  HTTPHeader: {
    d: 'One HTTP header.',
    f: {
      name: 'string!|The name of the header.',
      value: 'string!|The value of the header.',
    },
  },
  TCPSocketAction: {
    d: 'A TCP connection opened to the container.',
    f: {
      host: 'string|The host to connect to. Defaults to the IP address of the pod.',
      port: 'IntOrString!|The port to connect to: a number or the name of a container port.',
    },
  },
  GRPCAction: {
    d: 'A call to the standard gRPC health service.',
    f: {
      port: 'integer!|The port of the gRPC server.',
      service: 'string|The service name sent in the health request. Empty asks about the server as a whole.',
    },
  },
  Lifecycle: {
    d: 'Hooks the kubelet runs at points of the life of a container.',
    f: {
      postStart:
        'LifecycleHandler|Runs right after the container is created. The container is not Running until it finishes; a failure restarts it.',
      preStop:
        'LifecycleHandler|Runs before the container is stopped, within its termination grace period, before the stop signal is sent.',
    },
  },
  LifecycleHandler: {
    d: 'What a lifecycle hook does. Set exactly one.',
    f: {
      ...PROBE_HANDLER,
      sleep: 'SleepAction|Waits for some seconds.',
      tcpSocket: 'TCPSocketAction|Kept for compatibility; a TCP hook is not run.',
    },
  },
  SleepAction: {
    d: 'A pause.',
    f: { seconds: 'integer!|How many seconds to wait.' },
  },
  ResourceRequirements: {
    d: 'The compute resources a container asks for and the most it may use.',
    f: {
      claims: '[]ResourceClaim|Which resource claims of the pod this container uses.',
      limits:
        'map[string]Quantity|The most the container may use, such as cpu: 500m or memory: 256Mi. Going over the memory limit kills the container.',
      requests:
        'map[string]Quantity|What the container is guaranteed. The scheduler only places the pod on a node with this much room left. Defaults to the limits.',
    },
  },
  ResourceClaim: {
    d: 'A reference to one resource claim of the pod.',
    f: {
      name: 'string!|The name of the claim in the resourceClaims of the pod.',
      request: 'string|One request of the claim, when only that one is needed.',
    },
  },
  VolumeMount: {
    d: 'Mounts one volume of the pod into a container.',
    f: {
      mountPath: 'string!|The path in the container where the volume appears.',
      mountPropagation:
        'string=Bidirectional,HostToContainer,None|Whether mounts made later on either side show up on the other. Defaults to None.',
      name: 'string!|The name of the volume, as listed in the pod spec.',
      readOnly: 'boolean|When true, the volume is mounted read-only.',
      recursiveReadOnly:
        'string|Whether a read-only mount is also read-only for the mounts beneath it: Disabled, IfPossible or Enabled.',
      subPath: 'string|A path inside the volume to mount instead of its root.',
      subPathExpr: 'string|Like subPath, with $(VAR) expanded from the environment of the container.',
    },
  },
  VolumeDevice: {
    d: 'A raw block volume given to a container as a device.',
    f: {
      devicePath: 'string!|The path of the device in the container.',
      name: 'string!|The name of a persistentVolumeClaim volume of the pod.',
    },
  },
  Volume: {
    d: 'A named piece of storage the containers of a pod can mount. Set exactly one source.',
    f: {
      configMap: 'ConfigMapVolumeSource|Shows the keys of a ConfigMap as files.',
      downwardAPI: 'DownwardAPIVolumeSource|Shows fields of the pod, such as its labels, as files.',
      emptyDir: 'EmptyDirVolumeSource|An empty folder that lives as long as the pod.',
      hostPath:
        'HostPathVolumeSource|A file or folder of the node. Pods that use it depend on the node they land on.',
      name: 'string!|The name of the volume, used by volume mounts.',
      persistentVolumeClaim:
        'PersistentVolumeClaimVolumeSource|The storage bound to a PersistentVolumeClaim.',
      projected:
        'ProjectedVolumeSource|Several ConfigMaps, Secrets and other sources merged into one folder.',
      secret: 'SecretVolumeSource|Shows the keys of a Secret as files.',
    },
  },
  ConfigMapVolumeSource: {
    d: 'A volume filled from a ConfigMap, one file per key.',
    f: {
      defaultMode:
        'integer|The permission bits of the files, such as 0644 (420 in decimal). Defaults to 0644.',
      items: '[]KeyToPath|The keys to show and their file names. Without it, every key becomes a file.',
      name: 'string|The name of the ConfigMap.',
      optional: 'boolean|When true, a missing ConfigMap gives an empty volume instead of an error.',
    },
  },
  SecretVolumeSource: {
    d: 'A volume filled from a Secret, one file per key.',
    f: {
      defaultMode:
        'integer|The permission bits of the files, such as 0644 (420 in decimal). Defaults to 0644.',
      items: '[]KeyToPath|The keys to show and their file names. Without it, every key becomes a file.',
      optional: 'boolean|When true, a missing Secret gives an empty volume instead of an error.',
      secretName: 'string|The name of the Secret.',
    },
  },
  KeyToPath: {
    d: 'Maps one key to a file.',
    f: {
      key: 'string!|The key to show.',
      mode: 'integer|The permission bits of this file, instead of the defaultMode.',
      path: 'string!|The relative path of the file in the volume.',
    },
  },
  EmptyDirVolumeSource: {
    d: 'A scratch folder, created empty when the pod starts and deleted with it.',
    f: {
      medium: 'string|Where the folder is kept: empty for the node\'s disk, or "Memory" for RAM.',
      sizeLimit: 'Quantity|The most data the folder may hold.',
    },
  },
  HostPathVolumeSource: {
    d: 'A file or folder of the node, mounted into the pod.',
    f: {
      path: 'string!|The path on the node.',
      type: 'string=,BlockDevice,CharDevice,Directory,DirectoryOrCreate,File,FileOrCreate,Socket|What must be at the path, and whether to create it. Empty checks nothing.',
    },
  },
  PersistentVolumeClaimVolumeSource: {
    d: 'Mounts the volume bound to a PersistentVolumeClaim of the namespace.',
    f: {
      claimName: 'string!|The name of the PersistentVolumeClaim.',
      readOnly: 'boolean|When true, the volume is mounted read-only.',
    },
  },
  ProjectedVolumeSource: {
    d: 'One folder filled from several sources.',
    f: {
      defaultMode: 'integer|The permission bits of the files, unless a source says otherwise.',
      sources: '[]VolumeProjection|The sources, each set to exactly one kind.',
    },
  },
  VolumeProjection: {
    d: 'One source of a projected volume. Set exactly one.',
    f: {
      clusterTrustBundle:
        'ClusterTrustBundleProjection|Certificates of ClusterTrustBundle objects, in one file.',
      configMap: 'ConfigMapProjection|Keys of a ConfigMap.',
      downwardAPI: 'DownwardAPIProjection|Fields of the pod.',
      secret: 'SecretProjection|Keys of a Secret.',
      serviceAccountToken: 'ServiceAccountTokenProjection|A token of the service account of the pod.',
    },
  },
  ConfigMapProjection: {
    d: 'The keys of a ConfigMap, in a projected volume.',
    f: {
      items: '[]KeyToPath|The keys to show and their file names. Without it, every key becomes a file.',
      name: 'string|The name of the ConfigMap.',
      optional: 'boolean|When true, a missing ConfigMap is not an error.',
    },
  },
  SecretProjection: {
    d: 'The keys of a Secret, in a projected volume.',
    f: {
      items: '[]KeyToPath|The keys to show and their file names. Without it, every key becomes a file.',
      name: 'string|The name of the Secret.',
      optional: 'boolean|When true, a missing Secret is not an error.',
    },
  },
  DownwardAPIProjection: {
    d: 'Fields of the pod, in a projected volume.',
    f: { items: '[]DownwardAPIVolumeFile|The files to write and the field each holds.' },
  },
  ServiceAccountTokenProjection: {
    d: 'A token of the service account of the pod, renewed by the kubelet before it expires.',
    f: {
      audience: 'string|Who the token is meant for. Defaults to the API server.',
      expirationSeconds: 'integer|How long the token is valid. Defaults to one hour; at least ten minutes.',
      path: 'string!|The relative path of the token file.',
    },
  },
  ClusterTrustBundleProjection: {
    d: 'Certificates from ClusterTrustBundle objects, picked by name or by signer and labels.',
    f: {
      labelSelector: 'LabelSelector|Picks bundles of the signer by their labels.',
      name: 'string|The name of one bundle.',
      optional: 'boolean|When true, nothing missing is an error.',
      path: 'string!|The relative path of the file.',
      signerName: 'string|Picks the bundles of this signer.',
    },
  },
  DownwardAPIVolumeSource: {
    d: 'A volume whose files hold fields of the pod.',
    f: {
      defaultMode: 'integer|The permission bits of the files. Defaults to 0644.',
      items: '[]DownwardAPIVolumeFile|The files to write and the field each holds.',
    },
  },
  DownwardAPIVolumeFile: {
    d: 'One file of a downward API volume.',
    f: {
      fieldRef: 'ObjectFieldSelector|A field of the pod: its name, namespace, uid, labels or annotations.',
      mode: 'integer|The permission bits of this file.',
      path: 'string!|The relative path of the file.',
      resourceFieldRef: 'ResourceFieldSelector|A request or limit of a container.',
    },
  },
  PodSecurityContext: {
    d: 'Security settings for all the containers of a pod. A container can override most of them.',
    f: {
      appArmorProfile: 'AppArmorProfile|The AppArmor profile of the containers.',
      fsGroup:
        'integer|A group that owns the files of the volumes and is added to the groups of every container process.',
      fsGroupChangePolicy:
        'string=Always,OnRootMismatch|When to change the ownership of the volumes to fsGroup: every time (Always) or only when the root of the volume differs.',
      runAsGroup: 'integer|The group id the container processes run as.',
      runAsNonRoot: 'boolean|When true, the kubelet refuses to start a container that would run as root.',
      runAsUser: "integer|The user id the container processes run as. Defaults to the image's user.",
      seLinuxChangePolicy: 'string|How SELinux labels are applied to the volumes: Recursive or MountOption.',
      seLinuxOptions: 'SELinuxOptions|The SELinux label of the containers.',
      seccompProfile: 'SeccompProfile|The seccomp profile that filters the system calls of the containers.',
      supplementalGroups: '[]integer|More group ids added to the processes of every container.',
      supplementalGroupsPolicy:
        'string=Merge,Strict|Whether the groups of the image are kept alongside the ones given here (Merge) or not (Strict).',
      sysctls: '[]Sysctl|Kernel parameters set for the pod.',
      windowsOptions: 'WindowsSecurityContextOptions|Settings for Windows containers.',
    },
  },
  SecurityContext: {
    d: "Security settings of one container. They win over the pod's securityContext.",
    f: {
      allowPrivilegeEscalation:
        'boolean|Whether a process can gain more privileges than its parent, for example through setuid files.',
      appArmorProfile: 'AppArmorProfile|The AppArmor profile of the container.',
      capabilities: 'Capabilities|Linux capabilities to add to or drop from the defaults.',
      privileged:
        'boolean|When true, the container runs with almost every power of the node. Defaults to false.',
      procMount: 'string=Default,Unmasked|How /proc is mounted. Unmasked needs hostUsers set to false.',
      readOnlyRootFilesystem: 'boolean|When true, the root filesystem of the container is read-only.',
      runAsGroup: 'integer|The group id the processes run as.',
      runAsNonRoot: 'boolean|When true, the kubelet refuses to start the container if it would run as root.',
      runAsUser: "integer|The user id the processes run as. Defaults to the image's user.",
      seLinuxOptions: 'SELinuxOptions|The SELinux label of the container.',
      seccompProfile: 'SeccompProfile|The seccomp profile that filters the system calls of the container.',
      windowsOptions: 'WindowsSecurityContextOptions|Settings for Windows containers.',
    },
  },
  Capabilities: {
    d: 'Linux capabilities to add or drop.',
    f: {
      add: '[]string|Capabilities to add, such as NET_ADMIN.',
      drop: '[]string|Capabilities to drop, such as ALL.',
    },
  },
  SELinuxOptions: {
    d: 'An SELinux label.',
    f: {
      level: 'string|The level part of the label.',
      role: 'string|The role part of the label.',
      type: 'string|The type part of the label.',
      user: 'string|The user part of the label.',
    },
  },
  SeccompProfile: {
    d: 'Which seccomp profile applies.',
    f: {
      localhostProfile:
        "string|For Localhost: the path of the profile file under the kubelet's seccomp folder.",
      type: `string!${PROFILE}|RuntimeDefault (the runtime's profile), Localhost (a file on the node) or Unconfined.`,
    },
  },
  AppArmorProfile: {
    d: 'Which AppArmor profile applies.',
    f: {
      localhostProfile: 'string|For Localhost: the name of a profile loaded on the node.',
      type: `string!${PROFILE}|RuntimeDefault (the runtime's profile), Localhost (one loaded on the node) or Unconfined.`,
    },
  },
  WindowsSecurityContextOptions: {
    d: 'Security settings that only apply to Windows containers.',
    f: {
      gmsaCredentialSpec: 'string|The content of the GMSA credential spec to use.',
      gmsaCredentialSpecName: 'string|The name of the GMSA credential spec to use.',
      hostProcess: 'boolean|When true, the container runs as a process of the Windows host.',
      runAsUserName: 'string|The Windows user name the processes run as.',
    },
  },
  Sysctl: {
    d: 'One kernel parameter.',
    f: {
      name: 'string!|The name of the parameter, such as net.ipv4.ip_local_port_range.',
      value: 'string!|Its value.',
    },
  },
  Affinity: {
    d: 'Scheduling rules about nodes and about other pods.',
    f: {
      nodeAffinity: 'NodeAffinity|Which nodes the pod must or should run on, by their labels.',
      podAffinity: 'PodAffinity|Pods this pod must or should run near, in the same topology domain.',
      podAntiAffinity: 'PodAntiAffinity|Pods this pod must or should stay away from.',
    },
  },
  NodeAffinity: {
    d: 'Rules on the labels of the nodes a pod may run on.',
    f: {
      preferredDuringSchedulingIgnoredDuringExecution:
        '[]PreferredSchedulingTerm|Soft rules: nodes that match get a higher score, by the weight of each term.',
      requiredDuringSchedulingIgnoredDuringExecution:
        'NodeSelector|Hard rules: the pod is only scheduled onto a node that matches. Later label changes do not evict it.',
    },
  },
  NodeSelector: {
    d: 'A choice of nodes: a node matches when it matches any of the terms.',
    f: { nodeSelectorTerms: '[]NodeSelectorTerm!|The terms, ORed together.' },
  },
  NodeSelectorTerm: {
    d: 'Conditions on one node, all of which must hold.',
    f: {
      matchExpressions: '[]NodeSelectorRequirement|Conditions on the labels of the node.',
      matchFields:
        '[]NodeSelectorRequirement|Conditions on fields of the node; only metadata.name is supported.',
    },
  },
  NodeSelectorRequirement: {
    d: 'One condition on a node label or field.',
    f: {
      key: 'string!|The label key (or field) the condition is about.',
      operator:
        'string!=DoesNotExist,Exists,Gt,In,Lt,NotIn|How the value is compared. Gt and Lt compare one value as an integer.',
      values: '[]string|The values for In, NotIn, Gt and Lt. Empty for Exists and DoesNotExist.',
    },
  },
  PreferredSchedulingTerm: {
    d: 'A soft node rule with a weight.',
    f: {
      preference: 'NodeSelectorTerm!|The conditions a node should meet.',
      weight: 'integer!|How much a matching node gains, from 1 to 100.',
    },
  },
  PodAffinity: {
    d: 'Rules that bring a pod close to other pods.',
    f: {
      preferredDuringSchedulingIgnoredDuringExecution:
        '[]WeightedPodAffinityTerm|Soft rules: nodes near matching pods get a higher score.',
      requiredDuringSchedulingIgnoredDuringExecution:
        '[]PodAffinityTerm|Hard rules: the pod only goes to a topology domain that already runs matching pods.',
    },
  },
  PodAntiAffinity: {
    d: 'Rules that keep a pod away from other pods.',
    f: {
      preferredDuringSchedulingIgnoredDuringExecution:
        '[]WeightedPodAffinityTerm|Soft rules: nodes near matching pods get a lower score.',
      requiredDuringSchedulingIgnoredDuringExecution:
        '[]PodAffinityTerm|Hard rules: the pod never goes to a topology domain that runs matching pods.',
    },
  },
  PodAffinityTerm: {
    d: 'A set of pods and the topology domain (node, zone, ...) the rule is measured in.',
    f: {
      labelSelector: 'LabelSelector|Which pods the term is about.',
      matchLabelKeys:
        '[]string|Label keys whose values are copied from this pod into the selector, such as pod-template-hash.',
      mismatchLabelKeys: '[]string|Label keys whose values must differ from those of this pod.',
      namespaceSelector:
        'LabelSelector|The namespaces to look in, by their labels. Empty means every namespace.',
      namespaces: "[]string|The namespaces to look in. With no namespaceSelector either, the pod's own.",
      topologyKey:
        'string!|The node label that defines a domain, such as kubernetes.io/hostname or topology.kubernetes.io/zone.',
    },
  },
  WeightedPodAffinityTerm: {
    d: 'A soft pod rule with a weight.',
    f: {
      podAffinityTerm: 'PodAffinityTerm!|The pods and the topology domain.',
      weight: 'integer!|How much the rule counts, from 1 to 100.',
    },
  },
  Toleration: {
    d: 'Lets a pod be scheduled onto, or stay on, nodes with a matching taint.',
    f: {
      effect: `string${EFFECT}|The taint effect to match. Empty matches every effect.`,
      key: 'string|The taint key to match. Empty, with the Exists operator, matches every taint.',
      operator:
        'string=Equal,Exists|How the value is compared. Equal (the default) needs the same value; Exists ignores it.',
      tolerationSeconds:
        'integer|For NoExecute taints: how long the pod may stay on the node once the taint appears. Unset means forever.',
      value: 'string|The taint value to match, for the Equal operator.',
    },
  },
  TopologySpreadConstraint: {
    d: 'How evenly matching pods must be spread over topology domains.',
    f: {
      labelSelector: 'LabelSelector|The pods that are counted in each domain.',
      matchLabelKeys: '[]string|Label keys whose values are copied from this pod into the selector.',
      maxSkew:
        'integer!|The largest allowed difference between the number of matching pods in any two domains.',
      minDomains: 'integer|The fewest domains to count, for DoNotSchedule; missing ones count as empty.',
      nodeAffinityPolicy: `string${HONOR}|Whether the pod's nodeAffinity and nodeSelector limit the nodes counted. Defaults to Honor.`,
      nodeTaintsPolicy: `string${HONOR}|Whether nodes with taints the pod does not tolerate are counted. Defaults to Ignore.`,
      topologyKey: 'string!|The node label that defines a domain, such as topology.kubernetes.io/zone.',
      whenUnsatisfiable:
        'string!=DoNotSchedule,ScheduleAnyway|What to do when the pod cannot be placed within maxSkew: keep it pending, or place it and favor the least skew.',
    },
  },
  LocalObjectReference: {
    d: 'Names an object in the same namespace.',
    f: { name: 'string|The name of the object.' },
  },
  PodDNSConfig: {
    d: 'DNS settings written into the resolv.conf of the pod.',
    f: {
      nameservers: '[]string|DNS server addresses, added to those of the policy.',
      options: '[]PodDNSConfigOption|Resolver options, such as ndots.',
      searches: '[]string|Search domains, added to those of the policy.',
    },
  },
  PodDNSConfigOption: {
    d: 'One resolver option.',
    f: {
      name: 'string|The name of the option, such as ndots.',
      value: 'string|Its value, if it takes one.',
    },
  },
  HostAlias: {
    d: 'One entry of the /etc/hosts file of a pod.',
    f: {
      hostnames: '[]string|Host names for the address.',
      ip: 'string!|The IP address.',
    },
  },
  PodOS: {
    d: 'The operating system of a pod.',
    f: { name: 'string!|linux or windows.' },
  },
  PodReadinessGate: {
    d: 'An extra condition a pod needs to be ready.',
    f: { conditionType: 'string!|The type of a condition in the status of the pod.' },
  },
  PodResourceClaim: {
    d: 'A resource claim the pod uses, by name or through a template.',
    f: {
      name: 'string!|The name of the claim inside the pod, as containers refer to it.',
      resourceClaimName: 'string|An existing ResourceClaim in the namespace of the pod.',
      resourceClaimTemplateName: 'string|A ResourceClaimTemplate from which a claim is made for this pod.',
    },
  },
  PodSchedulingGate: {
    d: 'One reason to hold a pod back from scheduling.',
    f: { name: 'string!|The name of the gate. Removing it from the list lets scheduling go ahead.' },
  },
  PodStatus: {
    d: 'The observed state of a pod, as its kubelet reports it.',
    f: {
      conditions:
        '[]PodCondition|Where the pod is on its way to serving: PodScheduled, Initialized, ContainersReady, Ready.',
      containerStatuses: STATUS_CONTAINERS('container'),
      ephemeralContainerStatuses: STATUS_CONTAINERS('ephemeral container'),
      hostIP: 'string|The IP address of the node the pod runs on.',
      hostIPs: '[]HostIP|The IP addresses of the node, one per IP family.',
      initContainerStatuses: STATUS_CONTAINERS('init container'),
      message: 'string|A human-readable note on why the pod is in its current state.',
      nominatedNodeName:
        'string|The node the scheduler made room on by preempting other pods. The pod may still go elsewhere.',
      phase:
        'string=Failed,Pending,Running,Succeeded,Unknown|Where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.',
      podIP: 'string|The IP address given to the pod. Empty until it is assigned.',
      podIPs: '[]PodIP|The IP addresses of the pod, one per IP family.',
      qosClass:
        'string=BestEffort,Burstable,Guaranteed|The quality of service class the requests and limits put the pod in.',
      reason: 'string|A short CamelCase word saying why the pod is in its current state, such as Evicted.',
      resize: 'string|Where a change of container resources stands, when one is pending.',
      resourceClaimStatuses: '[]PodResourceClaimStatus|The ResourceClaims made for the pod from templates.',
      startTime: 'Time|When the kubelet accepted the pod, before its images were pulled.',
    },
  },
  PodCondition: {
    d: 'One aspect of the state of a pod.',
    f: condition('pod', { lastProbeTime: 'Time|The last time the condition was checked.' }),
  },
  HostIP: { d: 'An IP address of the node.', f: { ip: 'string!|The address.' } },
  PodIP: { d: 'An IP address of the pod.', f: { ip: 'string!|The address.' } },
  PodResourceClaimStatus: {
    d: 'The ResourceClaim made for one claim of the pod.',
    f: {
      name: 'string!|The name of the claim in the pod spec.',
      resourceClaimName: 'string|The name of the ResourceClaim made for it.',
    },
  },
  ContainerStatus: {
    d: 'The state of one container of a pod.',
    f: {
      allocatedResources: 'map[string]Quantity|The resources the node set aside for the container.',
      allocatedResourcesStatus: '[]ResourceStatus|The health of the devices allocated to the container.',
      containerID: 'string|The id of the container in the runtime, as runtime://id.',
      image: 'string!|The image the container runs, as the runtime names it.',
      imageID: 'string!|The digest of the image the container runs.',
      lastState:
        'ContainerState|The state of the previous run, such as why it was terminated. Useful after a restart.',
      name: 'string!|The name of the container, as in the pod spec.',
      ready: 'boolean!|Whether the container passes its readiness probe.',
      resources: 'ResourceRequirements|The requests and limits the container runs with now.',
      restartCount: 'integer!|How many times the container has been restarted.',
      started: 'boolean|Whether the container has started and passed its startup probe.',
      state: 'ContainerState|The current state of the container.',
      user: 'ContainerUser|The user and groups the first process of the container runs as.',
      volumeMounts: '[]VolumeMountStatus|The volumes mounted in the container.',
    },
  },
  ContainerState: {
    d: 'The state of a container: exactly one of waiting, running or terminated. Waiting when none is set.',
    f: {
      running: 'ContainerStateRunning|Set while the container runs.',
      terminated: 'ContainerStateTerminated|Set once the container has ended.',
      waiting:
        'ContainerStateWaiting|Set while the container is not running yet, such as during an image pull.',
    },
  },
  ContainerStateRunning: {
    d: 'A running container.',
    f: { startedAt: 'Time|When the container last started.' },
  },
  ContainerStateTerminated: {
    d: 'A container that has ended.',
    f: {
      containerID: 'string|The id of the container in the runtime.',
      exitCode: 'integer!|The exit status of its last run. 137 means it was killed by SIGKILL.',
      finishedAt: 'Time|When it ended.',
      message: 'string|A message about the end, such as the termination message.',
      reason: 'string|Why it ended, such as Completed, Error or OOMKilled.',
      signal: 'integer|The signal that ended it, if any.',
      startedAt: 'Time|When its last run started.',
    },
  },
  ContainerStateWaiting: {
    d: 'A container that is not running yet.',
    f: {
      message: 'string|Details of why it waits.',
      reason: 'string|Why it waits, such as ContainerCreating, ImagePullBackOff or CrashLoopBackOff.',
    },
  },
  ContainerUser: {
    d: 'The identity of the first process of a container.',
    f: { linux: 'LinuxContainerUser|The Linux user and groups.' },
  },
  LinuxContainerUser: {
    d: 'A Linux user id and groups.',
    f: {
      gid: 'integer!|The primary group id.',
      supplementalGroups: '[]integer|The other group ids.',
      uid: 'integer!|The user id.',
    },
  },
  VolumeMountStatus: {
    d: 'A volume mounted in a container.',
    f: {
      mountPath: 'string!|The path of the mount, as in the volume mount.',
      name: 'string!|The name of the volume mount.',
      readOnly: 'boolean|Whether it is mounted read-only.',
      recursiveReadOnly: 'string|Whether the read-only mount is recursive: Disabled or Enabled.',
    },
  },
  ResourceStatus: {
    d: 'The health of the devices of one resource allocated to a container.',
    f: {
      name: 'string!|The name of the resource.',
      resources: '[]ResourceHealth|The health of each device.',
    },
  },
  ResourceHealth: {
    d: 'The health of one device.',
    f: {
      health: 'string|Healthy, Unhealthy or Unknown.',
      resourceID: 'string!|The id of the device.',
    },
  },
  Service: {
    k: true,
    d: 'A stable name and virtual IP address in front of a set of pods, chosen by a label selector. Traffic sent to it is spread over the ready pods.',
    f: {
      ...header('Service'),
      spec: 'ServiceSpec|How the service is exposed and which pods it sends traffic to.',
      status: 'ServiceStatus|The state of the service, such as the address of its load balancer.',
    },
  },
  ServiceSpec: {
    d: 'The desired state of a service.',
    f: {
      allocateLoadBalancerNodePorts:
        'boolean|For LoadBalancer services: whether node ports are opened as well. Defaults to true.',
      clusterIP:
        'string|The virtual IP address of the service inside the cluster. Usually assigned by the server; "None" makes a headless service.',
      clusterIPs: '[]string|The cluster IP addresses, one per IP family. The first is clusterIP.',
      externalIPs:
        '[]string|Addresses outside the cluster that nodes also accept traffic for, to this service.',
      externalName: 'string|For type ExternalName: the DNS name the service points to.',
      externalTrafficPolicy:
        'string=Cluster,Local|For traffic from outside: Cluster (the default) spreads it over all pods; Local keeps it on the node it reached and keeps the client address.',
      healthCheckNodePort:
        'integer|For LoadBalancer services with the Local policy: the node port load balancers check.',
      internalTrafficPolicy:
        'string=Cluster,Local|For traffic from inside the cluster: Cluster (the default) or only pods on the same node (Local).',
      ipFamilies: '[]string|The IP families of the service, IPv4 and/or IPv6.',
      ipFamilyPolicy:
        'string=PreferDualStack,RequireDualStack,SingleStack|How many IP families the service gets. Defaults to SingleStack.',
      loadBalancerClass: 'string|Which load balancer implementation handles the service.',
      loadBalancerIP:
        'string|An address asked of the load balancer. Deprecated; not every provider honors it.',
      loadBalancerSourceRanges: '[]string|The client address ranges the load balancer lets through.',
      ports: '[]ServicePort|The ports the service listens on and where each one forwards to.',
      publishNotReadyAddresses:
        'boolean|When true, pods are published in DNS and endpoints even before they are ready.',
      selector:
        'map[string]string|Labels of the pods that receive the traffic. Without a selector, endpoints must be managed by hand.',
      sessionAffinity:
        'string=ClientIP,None|ClientIP sends each client to the same pod every time; None (the default) does not.',
      sessionAffinityConfig: 'SessionAffinityConfig|Settings of the session affinity.',
      trafficDistribution: 'string|A hint for routing, such as PreferClose to favor nearby endpoints.',
      type: 'string=ClusterIP,ExternalName,LoadBalancer,NodePort|How the service is reached: ClusterIP (inside the cluster, the default), NodePort (also on a port of every node), LoadBalancer, or ExternalName.',
    },
  },
  ServicePort: {
    d: 'One port of a service.',
    f: {
      appProtocol: 'string|The application protocol, such as http or kubernetes.io/h2c, for tools that care.',
      name: 'string|A name for the port. Required when the service has more than one port.',
      nodePort:
        'integer|For NodePort and LoadBalancer services: the port opened on every node. Picked when unset.',
      port: 'integer!|The port the service listens on.',
      protocol: `string${PROTOCOL}|The protocol of the port. Defaults to TCP.`,
      targetPort:
        'IntOrString|The port of the pods the traffic goes to: a number or the name of a container port. Defaults to port.',
    },
  },
  SessionAffinityConfig: {
    d: 'Settings of session affinity.',
    f: { clientIP: 'ClientIPConfig|Settings of ClientIP affinity.' },
  },
  ClientIPConfig: {
    d: 'Settings of ClientIP affinity.',
    f: { timeoutSeconds: 'integer|How long a client sticks to its pod. Defaults to 10800 (3 hours).' },
  },
  ServiceStatus: {
    d: 'The observed state of a service.',
    f: {
      conditions: '[]Condition|The current conditions of the service.',
      loadBalancer: 'LoadBalancerStatus|The load balancer of the service, if any.',
    },
  },
  LoadBalancerStatus: {
    d: 'The state of a load balancer.',
    f: { ingress: '[]LoadBalancerIngress|The addresses traffic for the service can be sent to.' },
  },
  LoadBalancerIngress: {
    d: 'An address of a load balancer.',
    f: {
      hostname: 'string|A DNS name, for load balancers reached by name.',
      ip: 'string|An IP address, for load balancers reached by IP.',
      ipMode: 'string|How the address behaves: VIP (traffic arrives for that address) or Proxy.',
      ports: '[]PortStatus|The state of each port of the service.',
    },
  },
  PortStatus: {
    d: 'The state of one port of a load balancer.',
    f: {
      error: 'string|Why the port failed, as a CamelCase reason. Empty when it works.',
      port: 'integer!|The port number.',
      protocol: `string!${PROTOCOL}|The protocol of the port.`,
    },
  },
  Namespace: {
    k: true,
    d: 'A named scope for objects: names must be unique within a namespace, and deleting it deletes everything inside.',
    f: {
      ...header('Namespace'),
      spec: 'NamespaceSpec|The desired state of the namespace.',
      status: 'NamespaceStatus|The observed state of the namespace.',
    },
  },
  NamespaceSpec: {
    d: 'The desired state of a namespace.',
    f: { finalizers: '[]string|Cleanup steps that must finish before the namespace is removed.' },
  },
  NamespaceStatus: {
    d: 'The observed state of a namespace.',
    f: { phase: 'string=Active,Terminating|Active, or Terminating while its objects are being deleted.' },
  },
  Node: {
    k: true,
    d: 'A machine, real or virtual, that runs pods. Its kubelet registers it and keeps its status up to date.',
    f: {
      ...header('Node'),
      spec: 'NodeSpec|How the node should be treated by the scheduler.',
      status: 'NodeStatus|What the kubelet last reported about the node.',
    },
  },
  NodeSpec: {
    d: 'The desired state of a node.',
    f: {
      podCIDR: 'string|The range of IP addresses given to pods on this node.',
      providerID: 'string|The id of the machine at its cloud provider, if any.',
      taints: '[]Taint|Marks that keep pods away from the node unless they tolerate them.',
      unschedulable: 'boolean|When true, no new pods are scheduled onto the node. kubectl cordon sets it.',
    },
  },
  Taint: {
    d: 'A mark on a node that repels pods which do not tolerate it.',
    f: {
      effect: `string!${EFFECT}|What happens to pods that do not tolerate the taint.`,
      key: 'string!|The key of the taint.',
      timeAdded: 'Time|When the taint was added. Only set for NoExecute taints.',
      value: 'string|The value of the taint.',
    },
  },
  NodeStatus: {
    d: 'The observed state of a node.',
    f: {
      addresses: '[]NodeAddress|The addresses of the node: host name and IP addresses.',
      allocatable: 'map[string]Quantity|The resources left for pods once the system has taken its share.',
      capacity: 'map[string]Quantity|The total resources of the node: cpu, memory, pods.',
      conditions: '[]NodeCondition|Health checks of the node, such as Ready and MemoryPressure.',
    },
  },
  NodeAddress: {
    d: 'One address of a node.',
    f: {
      address: 'string!|The address itself.',
      type: 'string!|The kind of address: Hostname, InternalIP or ExternalIP.',
    },
  },
  NodeCondition: {
    d: 'One aspect of the health of a node.',
    f: {
      lastHeartbeatTime: 'Time|The last time the kubelet confirmed the condition.',
      lastTransitionTime: 'Time|The last time the status changed.',
      message: 'string|A human-readable explanation of the status.',
      reason: 'string|A short CamelCase word for the last change.',
      status: 'string!|True, False or Unknown.',
      type: 'string!|Which aspect this is, such as Ready.',
    },
  },
  ConfigMap: {
    k: true,
    d: 'Non-secret settings as key/value pairs, which pods can read as environment variables or as files in a volume.',
    f: {
      ...header('ConfigMap'),
      binaryData: 'map[string]string|Keys whose values are arbitrary bytes, written in base64.',
      data: 'map[string]string|The settings, as text. Keys may contain letters, digits, "-", "_" and ".".',
      immutable: 'boolean|When true, the data can no longer be changed; only deleting the ConfigMap remains.',
    },
  },
  ServiceAccount: {
    k: true,
    d: 'An identity for the processes of a pod, which they use to talk to the API server. Every namespace has one named default; a pod runs as it unless its spec names another.',
    f: {
      ...header('ServiceAccount'),
      automountServiceAccountToken:
        "boolean|Whether pods running as this account get its API token mounted (unless the pod's spec says otherwise).",
      imagePullSecrets:
        '[]LocalObjectReference|Secrets used to pull the images of the pods that run as this account.',
      secrets:
        '[]ObjectReference|Secrets pods running as this account may use (no longer filled in since v1.24).',
    },
  },
  Secret: {
    k: true,
    d: 'Sensitive values such as passwords or tokens, kept apart from pod specs. The values are base64-encoded, not encrypted.',
    f: {
      ...header('Secret'),
      data: 'map[string]string|The secret values, each base64-encoded.',
      immutable: 'boolean|When true, the data can no longer be changed; only deleting the Secret remains.',
      stringData:
        'map[string]string|A write-only convenience: plain-text values the server encodes into data. It is never read back.',
      type: 'string|What the secret is for, such as Opaque (the default) or kubernetes.io/tls.',
    },
  },
  Event: {
    k: true,
    d: 'A record of something that happened to an object, such as a pod being scheduled or an image being pulled. Events expire after an hour.',
    f: {
      ...header('Event'),
      metadata: 'ObjectMeta!|The name and namespace of the event record itself.',
      action: 'string|What was done or tried, such as Binding.',
      count: 'integer|How many times this event happened, when repeats are folded into one record.',
      eventTime: 'MicroTime|When the event was first seen, with microseconds.',
      firstTimestamp: 'Time|When the event was first recorded.',
      involvedObject: 'ObjectReference!|The object the event is about.',
      lastTimestamp: 'Time|When the event was recorded most recently.',
      message: 'string|A human-readable description of what happened.',
      reason: 'string|A short CamelCase word for what happened, such as Scheduled or BackOff.',
      reportingComponent: 'string|The component that reported the event, such as kubelet.',
      reportingInstance: 'string|Which instance of the component reported it, such as the node name.',
      source: 'EventSource|The component and host that reported the event.',
      type: 'string|Normal, or Warning for something that went wrong.',
    },
  },
  EventSource: {
    d: 'Who reported an event.',
    f: {
      component: 'string|The reporting component.',
      host: 'string|The node it runs on.',
    },
  },
  ObjectReference: {
    d: 'Points at another object.',
    f: {
      apiVersion: 'string|The API version of the object.',
      fieldPath: 'string|A part of the object, such as one of its containers.',
      kind: 'string|The kind of the object.',
      name: 'string|The name of the object.',
      namespace: 'string|The namespace of the object.',
      resourceVersion: 'string|The version of the object the reference was made from.',
      uid: 'string|The uid of the object.',
    },
  },
  Endpoints: {
    k: true,
    d: 'The addresses behind a service, kept up to date by the endpoints controller from the ready pods its selector matches.',
    f: {
      ...header('Endpoints'),
      subsets: '[]EndpointSubset|Groups of addresses that share the same ports.',
    },
  },
  EndpointSubset: {
    d: 'Addresses that share a set of ports.',
    f: {
      addresses: '[]EndpointAddress|Addresses of ready pods.',
      notReadyAddresses: '[]EndpointAddress|Addresses of pods that are not ready yet.',
      ports: '[]EndpointPort|The ports open on every address.',
    },
  },
  EndpointAddress: {
    d: 'One address behind a service.',
    f: {
      ip: 'string!|The IP address of the pod.',
      nodeName: 'string|The node the pod runs on.',
      targetRef: 'ObjectReference|The pod behind the address.',
    },
  },
  EndpointPort: {
    d: 'One port of the endpoints.',
    f: {
      name: 'string|The name of the service port it belongs to.',
      port: 'integer!|The port number.',
      protocol: `string${PROTOCOL}|The protocol of the port.`,
    },
  },
};

const MIN_READY = 'integer|How long a new pod must be ready before it counts as available. Defaults to 0.';
const COLLISIONS =
  'integer|A counter the controller uses to make the name of the next revision unique when hashes collide.';

const APPS: Record<string, Src> = {
  Deployment: {
    k: true,
    d: 'Keeps a number of identical pods running and replaces them gradually when their template changes, through ReplicaSets.',
    f: {
      ...header('Deployment'),
      spec: 'DeploymentSpec|The pods the deployment should run and how updates roll out.',
      status: 'DeploymentStatus|What the deployment controller last observed.',
    },
  },
  DeploymentSpec: {
    d: 'The desired state of a deployment.',
    f: {
      minReadySeconds: MIN_READY,
      paused:
        'boolean|When true, changes to the template are not rolled out until the deployment is resumed.',
      progressDeadlineSeconds:
        'integer|How long a rollout may go without progress before it is reported as failed. Defaults to 600.',
      replicas: 'integer|How many pods to run. Defaults to 1.',
      revisionHistoryLimit: 'integer|How many old ReplicaSets to keep for rollbacks. Defaults to 10.',
      selector:
        "LabelSelector!|Which pods belong to the deployment. It must match the template's labels and cannot change.",
      strategy: 'DeploymentStrategy|How old pods are replaced by new ones.',
      template: 'PodTemplateSpec!|The pod every replica is made from.',
    },
  },
  DeploymentStrategy: {
    d: 'How a deployment replaces its pods.',
    f: {
      rollingUpdate: 'RollingUpdateDeployment|Limits for a RollingUpdate.',
      type: 'string=Recreate,RollingUpdate|RollingUpdate (the default) replaces pods a few at a time; Recreate stops all old pods first.',
    },
  },
  RollingUpdateDeployment: {
    d: 'How fast a rolling update goes.',
    f: {
      maxSurge:
        'IntOrString|How many pods may exist above the desired count, as a number or a percentage. Defaults to 25%.',
      maxUnavailable:
        'IntOrString|How many pods may be missing below the desired count, as a number or a percentage. Defaults to 25%.',
    },
  },
  DeploymentStatus: {
    d: 'The observed state of a deployment.',
    f: {
      availableReplicas: 'integer|Pods that have been ready for at least minReadySeconds.',
      collisionCount: COLLISIONS,
      conditions: '[]DeploymentCondition|Available, Progressing and ReplicaFailure, with their reasons.',
      observedGeneration: 'integer|The generation of the deployment the controller last acted on.',
      readyReplicas: 'integer|Pods that are ready.',
      replicas: 'integer|All pods of the deployment, old and new.',
      unavailableReplicas: 'integer|Pods still missing to reach the desired count.',
      updatedReplicas: 'integer|Pods made from the current template.',
    },
  },
  DeploymentCondition: {
    d: 'One aspect of the state of a deployment.',
    f: condition('deployment', { lastUpdateTime: 'Time|The last time the condition was updated.' }),
  },
  ReplicaSet: {
    k: true,
    d: 'Keeps a given number of identical pods running, creating or deleting pods to match. Deployments manage them for you.',
    f: {
      ...header('ReplicaSet'),
      spec: 'ReplicaSetSpec|How many pods to run and what they look like.',
      status: 'ReplicaSetStatus|What the ReplicaSet controller last observed.',
    },
  },
  ReplicaSetSpec: {
    d: 'The desired state of a ReplicaSet.',
    f: {
      minReadySeconds: MIN_READY,
      replicas: 'integer|How many pods to run. Defaults to 1.',
      selector: "LabelSelector!|Which pods count as replicas. It must match the template's labels.",
      template: 'PodTemplateSpec|The pod new replicas are made from.',
    },
  },
  ReplicaSetStatus: {
    d: 'The observed state of a ReplicaSet.',
    f: {
      availableReplicas: 'integer|Pods that have been ready for at least minReadySeconds.',
      conditions: '[]ReplicaSetCondition|Problems the controller met, such as ReplicaFailure.',
      fullyLabeledReplicas: "integer|Pods whose labels match the template's labels.",
      observedGeneration: 'integer|The generation of the ReplicaSet the controller last acted on.',
      readyReplicas: 'integer|Pods that are ready.',
      replicas: 'integer!|The pods the ReplicaSet currently has.',
    },
  },
  ReplicaSetCondition: { d: 'One aspect of the state of a ReplicaSet.', f: condition('ReplicaSet') },
  DaemonSet: {
    k: true,
    d: 'Runs one copy of a pod on every node (or every node its selector and tolerations allow).',
    f: {
      ...header('DaemonSet'),
      spec: 'DaemonSetSpec|The pod to run on each node and how updates roll out.',
      status: 'DaemonSetStatus|What the DaemonSet controller last observed.',
    },
  },
  DaemonSetSpec: {
    d: 'The desired state of a DaemonSet.',
    f: {
      minReadySeconds: MIN_READY,
      revisionHistoryLimit: 'integer|How many old revisions to keep for rollbacks. Defaults to 10.',
      selector: "LabelSelector!|Which pods belong to the DaemonSet. It must match the template's labels.",
      template: 'PodTemplateSpec!|The pod run on each node.',
      updateStrategy: 'DaemonSetUpdateStrategy|How old pods are replaced when the template changes.',
    },
  },
  DaemonSetUpdateStrategy: {
    d: 'How a DaemonSet replaces its pods.',
    f: {
      rollingUpdate: 'RollingUpdateDaemonSet|Limits for a RollingUpdate.',
      type: 'string=OnDelete,RollingUpdate|RollingUpdate (the default) replaces pods node by node; OnDelete waits for you to delete them.',
    },
  },
  RollingUpdateDaemonSet: {
    d: 'How fast a DaemonSet rolling update goes.',
    f: {
      maxSurge:
        'IntOrString|How many nodes may run an old and a new pod at once, as a number or a percentage. Defaults to 0.',
      maxUnavailable:
        'IntOrString|How many nodes may be without a ready pod during the update, as a number or a percentage. Defaults to 1.',
    },
  },
  DaemonSetStatus: {
    d: 'The observed state of a DaemonSet.',
    f: {
      collisionCount: COLLISIONS,
      conditions: '[]DaemonSetCondition|The latest observations of the state of the DaemonSet.',
      currentNumberScheduled: 'integer!|Nodes running a pod of the DaemonSet that should.',
      desiredNumberScheduled: 'integer!|Nodes that should run a pod of the DaemonSet.',
      numberAvailable: 'integer|Nodes whose pod has been ready for at least minReadySeconds.',
      numberMisscheduled: 'integer!|Nodes running a pod of the DaemonSet that should not.',
      numberReady: 'integer!|Nodes whose pod is ready.',
      numberUnavailable: 'integer|Nodes that should run a pod that is available, and do not.',
      observedGeneration: 'integer|The generation of the DaemonSet the controller last acted on.',
      updatedNumberScheduled: 'integer|Nodes running a pod made from the current template.',
    },
  },
  DaemonSetCondition: { d: 'One aspect of the state of a DaemonSet.', f: condition('DaemonSet') },
};

const BATCH: Record<string, Src> = {
  Job: {
    k: true,
    d: 'Runs pods until a number of them finish successfully, retrying failed ones up to a limit. Good for one-off tasks.',
    f: {
      ...header('Job'),
      spec: 'JobSpec|What the job runs and when it counts as done.',
      status: 'JobStatus|What the job controller last observed.',
    },
  },
  JobSpec: {
    d: 'The desired state of a job.',
    f: {
      activeDeadlineSeconds:
        'integer|How long the job may run in total before it is stopped and marked failed.',
      backoffLimit:
        'integer|How many times failed pods are retried before the job is marked failed. Defaults to 6.',
      backoffLimitPerIndex: 'integer|For Indexed jobs: how many retries each index gets.',
      completionMode:
        'string=Indexed,NonIndexed|NonIndexed (the default): any completions pods succeed. Indexed: each index from 0 to completions-1 must succeed once.',
      completions: 'integer|How many pods must succeed for the job to be complete. Defaults to 1.',
      managedBy: 'string|The controller that manages the job, when it is not the built-in one.',
      manualSelector:
        'boolean|When true, you provide the selector yourself instead of letting the server make one.',
      maxFailedIndexes:
        'integer|For Indexed jobs with backoffLimitPerIndex: how many indexes may fail before the job fails.',
      parallelism: 'integer|How many pods may run at the same time. Defaults to 1.',
      podFailurePolicy:
        'PodFailurePolicy|Rules that decide what a failed pod means, by exit code or condition.',
      podReplacementPolicy:
        'string=Failed,TerminatingOrFailed|When a replacement pod is created: as soon as the old one is terminating, or only once it has failed.',
      selector: 'LabelSelector|Which pods belong to the job. Usually generated by the server.',
      successPolicy:
        'SuccessPolicy|For Indexed jobs: when the job counts as succeeded before every index is done.',
      suspend:
        'boolean|When true, no pods are started, and running ones are stopped, until it is set back to false.',
      template: 'PodTemplateSpec!|The pod the job runs. Its restartPolicy must be Never or OnFailure.',
      ttlSecondsAfterFinished: 'integer|Deletes the job this many seconds after it finishes. Unset keeps it.',
    },
  },
  PodFailurePolicy: {
    d: 'How the failures of the pods of a job are handled.',
    f: { rules: '[]PodFailurePolicyRule!|The rules, checked in order; the first that matches decides.' },
  },
  PodFailurePolicyRule: {
    d: 'One rule of a pod failure policy: a match and an action.',
    f: {
      action:
        'string!=Count,FailIndex,FailJob,Ignore|What a match does: fail the job, fail the index, not count the failure (Ignore), or count it as usual.',
      onExitCodes: 'PodFailurePolicyOnExitCodesRequirement|Matches on the exit codes of the containers.',
      onPodConditions:
        '[]PodFailurePolicyOnPodConditionsPattern|Matches on the conditions of the pod, such as DisruptionTarget.',
    },
  },
  PodFailurePolicyOnExitCodesRequirement: {
    d: 'A match on container exit codes.',
    f: {
      containerName: 'string|Only look at this container. Empty looks at every one.',
      operator: 'string!=In,NotIn|Whether the exit code must be one of the values, or none of them.',
      values: '[]integer!|The exit codes.',
    },
  },
  PodFailurePolicyOnPodConditionsPattern: {
    d: 'A match on a pod condition.',
    f: {
      status: 'string!|The status the condition must have.',
      type: 'string!|The type of the condition.',
    },
  },
  SuccessPolicy: {
    d: 'When an Indexed job counts as succeeded.',
    f: { rules: '[]SuccessPolicyRule!|Any rule that is met makes the job succeed.' },
  },
  SuccessPolicyRule: {
    d: 'One rule of a success policy.',
    f: {
      succeededCount: 'integer|How many of the indexes must have succeeded.',
      succeededIndexes: 'string|Which indexes must have succeeded, such as "0,2-4".',
    },
  },
  JobStatus: {
    d: 'The observed state of a job.',
    f: {
      active: 'integer|Pods running now.',
      completedIndexes: 'string|For Indexed jobs: the indexes that succeeded, such as "1,3-5".',
      completionTime: 'Time|When the job completed successfully.',
      conditions: '[]JobCondition|Complete, Failed, Suspended and the other conditions of the job.',
      failed: 'integer|Pods that failed.',
      failedIndexes: 'string|For Indexed jobs with backoffLimitPerIndex: the indexes that failed.',
      ready: 'integer|Running pods that are ready.',
      startTime: 'Time|When the job controller started working on the job.',
      succeeded: 'integer|Pods that succeeded.',
      terminating: 'integer|Pods being stopped.',
      uncountedTerminatedPods:
        'UncountedTerminatedPods|Finished pods the controller has not counted yet. Internal bookkeeping.',
    },
  },
  JobCondition: {
    d: 'One aspect of the state of a job.',
    f: condition('job', { lastProbeTime: 'Time|The last time the condition was checked.' }),
  },
  UncountedTerminatedPods: {
    d: 'The uids of finished pods the job controller has yet to count.',
    f: {
      failed: '[]string|Uids of failed pods.',
      succeeded: '[]string|Uids of pods that succeeded.',
    },
  },
  CronJob: {
    k: true,
    d: 'Creates a Job on a repeating schedule written in cron syntax, such as every night at 2:00.',
    f: {
      ...header('CronJob'),
      spec: 'CronJobSpec|The schedule and the job to create each time.',
      status: 'CronJobStatus|What the CronJob controller last observed.',
    },
  },
  CronJobSpec: {
    d: 'The desired state of a CronJob.',
    f: {
      concurrencyPolicy:
        'string=Allow,Forbid,Replace|What to do when a run is due while the previous one is still going: Allow (the default), Forbid or Replace.',
      failedJobsHistoryLimit: 'integer|How many failed jobs to keep. Defaults to 1.',
      jobTemplate: 'JobTemplateSpec!|The job created at each scheduled time.',
      schedule:
        'string!|When to run, in cron syntax: minute, hour, day of month, month, day of week. For example "0 2 * * *".',
      startingDeadlineSeconds: 'integer|How late a missed run may still start. Later runs are skipped.',
      successfulJobsHistoryLimit: 'integer|How many successful jobs to keep. Defaults to 3.',
      suspend: 'boolean|When true, no new jobs are created until it is set back to false.',
      timeZone:
        "string|The time zone the schedule is read in, such as Europe/Paris. Defaults to the controller's.",
    },
  },
  JobTemplateSpec: {
    d: 'The blueprint a CronJob copies for each job it creates.',
    f: {
      metadata: 'ObjectMeta|Labels and annotations given to every job made from this template.',
      spec: 'JobSpec|The spec of every job made from this template.',
    },
  },
  CronJobStatus: {
    d: 'The observed state of a CronJob.',
    f: {
      active: '[]ObjectReference|The jobs running now.',
      lastScheduleTime: 'Time|When a job was last created.',
      lastSuccessfulTime: 'Time|When a job last completed successfully.',
    },
  },
};

const COORDINATION: Record<string, Src> = {
  Lease: {
    k: true,
    d: 'A lock with an expiry, renewed by its holder. Nodes use one to say they are alive, and control plane components to elect a leader.',
    f: { ...header('Lease'), spec: 'LeaseSpec|Who holds the lease and until when.' },
  },
  LeaseSpec: {
    d: 'The state of a lease.',
    f: {
      acquireTime: 'MicroTime|When the current holder took the lease.',
      holderIdentity: 'string|Who holds the lease.',
      leaseDurationSeconds: 'integer|How long the lease lasts after each renewal.',
      leaseTransitions: 'integer|How many times the lease changed hands.',
      preferredHolder: 'string|The holder the lease should pass to, in coordinated leader election.',
      renewTime: 'MicroTime|When the holder last renewed the lease.',
      strategy: 'string|How the next holder is chosen, in coordinated leader election.',
    },
  },
};

const DISCOVERY: Record<string, Src> = {
  EndpointSlice: {
    k: true,
    d: "A set of a Service's endpoints: the pods behind it, their addresses and readiness, and the ports they serve. The endpoint slice controller keeps one or more per Service; kube-proxy reads them.",
    f: {
      addressType:
        'string!=FQDN,IPv4,IPv6|The kind of addresses this slice carries: IPv4, IPv6 or FQDN. It cannot change.',
      ...header('EndpointSlice'),
      endpoints: '[]Endpoint!|The endpoints of this slice, each unique within it (at most 1000).',
      ports:
        '[]EndpointPort|The ports every endpoint of this slice serves (at most 100). Empty means none is known.',
    },
  },
  Endpoint: {
    d: 'One backend of a Service: its addresses, its condition, and where it runs.',
    f: {
      addresses: '[]string!|The addresses of the endpoint (one, for a pod: its IP).',
      conditions: 'EndpointConditions|Whether the endpoint is ready, serving, or terminating.',
      deprecatedTopology: 'map[string]string|Topology labels of the endpoint, kept for old clients.',
      hints: 'EndpointHints|Where traffic to this endpoint should preferably come from.',
      hostname: 'string|The hostname of the endpoint, for DNS.',
      nodeName: 'string|The node the endpoint runs on.',
      targetRef: 'ObjectReference|The object behind the endpoint, usually a Pod.',
      zone: 'string|The zone the endpoint runs in.',
    },
  },
  EndpointConditions: {
    d: 'The state of an endpoint.',
    f: {
      ready: 'boolean|Whether the endpoint should take new connections: ready and not terminating.',
      serving: 'boolean|Whether the endpoint passes its readiness checks, even while terminating.',
      terminating: 'boolean|Whether the endpoint is shutting down.',
    },
  },
  EndpointHints: {
    d: 'Hints for routing to an endpoint.',
    f: { forZones: '[]ForZone|The zones whose traffic should go to this endpoint.' },
  },
  ForZone: {
    d: 'A zone, in routing hints.',
    f: { name: 'string!|The name of the zone.' },
  },
  EndpointPort: {
    d: 'A port the endpoints of a slice serve.',
    f: {
      appProtocol: 'string|The application protocol of the port, such as http.',
      name: "string|The port's name, matching a Service port's name (empty when the Service has one unnamed port).",
      port: 'integer|The port number.',
      protocol: 'string=SCTP,TCP,UDP|TCP, UDP or SCTP (TCP when empty).',
    },
  },
};

/** Packages: the id prefix of their types, their group version, and their types. */
const PACKAGES: readonly [string, string, string, Record<string, Src>][] = [
  ['io.k8s.apimachinery.pkg.apis.meta.v1.', '', '', META],
  ['io.k8s.api.core.v1.', '', 'v1', CORE],
  ['io.k8s.api.apps.v1.', 'apps', 'v1', APPS],
  ['io.k8s.api.batch.v1.', 'batch', 'v1', BATCH],
  ['io.k8s.api.coordination.v1.', 'coordination.k8s.io', 'v1', COORDINATION],
  ['io.k8s.api.discovery.v1.', 'discovery.k8s.io', 'v1', DISCOVERY],
  [
    'io.k8s.apimachinery.pkg.api.resource.',
    '',
    '',
    {
      Quantity: {
        d: 'An amount of a resource, written as a number with an optional suffix, such as 250m (a quarter of a CPU) or 128Mi.',
      },
    },
  ],
  [
    'io.k8s.apimachinery.pkg.util.intstr.',
    '',
    '',
    {
      IntOrString: {
        d: 'A value that is either a number or a string, such as a port number or a named port.',
      },
    },
  ],
];

const PRIMITIVES = new Set(['string', 'integer', 'boolean', 'number']);

function expand(): Record<string, TypeDoc> {
  // A name means the package's own type first (discovery's EndpointPort is not core's), else the
  // first package that has it.
  const ids = new Map<string, string>();
  for (const [prefix, , , types] of PACKAGES)
    for (const name of Object.keys(types)) if (!ids.has(name)) ids.set(name, prefix + name);
  let own: { prefix: string; types: Record<string, Src> } | undefined;
  const typeOf = (t: string): FieldType => {
    if (PRIMITIVES.has(t)) return { prim: t as 'string' };
    if (t.startsWith('[]')) return { array: typeOf(t.slice(2)) };
    if (t.startsWith('map[string]')) return { map: typeOf(t.slice(11)) };
    const id = own && t in own.types ? own.prefix + t : ids.get(t);
    if (id === undefined) throw new Error(`explain schema: unknown type ${t}`);
    return { ref: id };
  };
  const field = (spec: string): FieldDoc => {
    const bar = spec.indexOf('|');
    const [, t, required, values] = /^([^!=]+)(!?)(?:=(.*))?$/.exec(spec.slice(0, bar))!;
    return {
      type: typeOf(t!),
      description: spec.slice(bar + 1),
      ...(required ? { required: true } : {}),
      ...(values !== undefined ? { enum: values.split(',') } : {}),
    };
  };
  const out: Record<string, TypeDoc> = {};
  for (const [prefix, group, version, types] of PACKAGES)
    for (const [name, src] of Object.entries(types)) {
      own = { prefix, types };
      const fields: Record<string, FieldDoc> = {};
      for (const [f, spec] of Object.entries(src.f ?? {})) fields[f] = field(spec);
      out[prefix + name] = {
        description: src.d,
        ...(src.p ? { primitive: src.p } : {}),
        ...(src.f ? { fields } : {}),
        ...(src.k ? { gvk: { group, version, kind: name } } : {}),
      };
    }
  return out;
}

export const TYPES: Readonly<Record<string, TypeDoc>> = expand();

/** The component schema documenting a kind, with its id. */
export function typeForKind(gvk: GroupVersionKind): { id: string; doc: TypeDoc } | undefined {
  for (const [id, doc] of Object.entries(TYPES))
    if (
      doc.gvk &&
      doc.gvk.group === gvk.group &&
      doc.gvk.version === gvk.version &&
      doc.gvk.kind === gvk.kind
    )
      return { id, doc };
  return undefined;
}

/**
 * The documentation `kubectl explain` reads: a small model of the OpenAPI v3 schemas a v1.32 API
 * server publishes, limited to the kinds this lab serves and the fields a beginner meets. Names,
 * types, required fields and enums follow the Kubernetes API; every description is written for
 * this lab (short and plain), not taken from the upstream documentation.
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
  /** A type that is a string on the wire (Time, MicroTime): explain names it `string`. */
  readonly primitive?: 'string';
  readonly fields?: Readonly<Record<string, FieldDoc>>;
  /** Set on the top-level kinds (x-kubernetes-group-version-kind). */
  readonly gvk?: GroupVersionKind;
}

const CORE = 'io.k8s.api.core.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const BATCH = 'io.k8s.api.batch.v1.';
const COORD = 'io.k8s.api.coordination.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';

const str = (description: string, more: Partial<FieldDoc> = {}): FieldDoc => ({
  type: { prim: 'string' },
  description,
  ...more,
});
const int = (description: string, more: Partial<FieldDoc> = {}): FieldDoc => ({
  type: { prim: 'integer' },
  description,
  ...more,
});
const bool = (description: string): FieldDoc => ({ type: { prim: 'boolean' }, description });
const ref = (id: string, description: string, more: Partial<FieldDoc> = {}): FieldDoc => ({
  type: { ref: id },
  description,
  ...more,
});
const list = (id: string, description: string, more: Partial<FieldDoc> = {}): FieldDoc => ({
  type: { array: { ref: id } },
  description,
  ...more,
});
const strings = (description: string): FieldDoc => ({
  type: { array: { prim: 'string' } },
  description,
});
const stringMap = (description: string): FieldDoc => ({ type: { map: { prim: 'string' } }, description });
const quantities = (description: string): FieldDoc => ({ type: { map: { ref: QUANTITY } }, description });

const TAINT_EFFECTS = ['NoExecute', 'NoSchedule', 'PreferNoSchedule'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** apiVersion, kind and metadata: the fields every object starts with. */
function objectHeader(what: string): Record<string, FieldDoc> {
  return {
    apiVersion: str(
      'The API group and version this object is written in, such as v1 or apps/v1. The server uses it to decode the object.',
    ),
    kind: str(`The type of the object, here ${what}. It is written in CamelCase and cannot change.`),
    metadata: ref(
      `${META}ObjectMeta`,
      'Identity and bookkeeping of the object: its name, namespace, labels, annotations and the values the server fills in.',
    ),
  };
}

const kind = (group: string, version: string, k: string): GroupVersionKind => ({ group, version, kind: k });

export const TYPES: Readonly<Record<string, TypeDoc>> = {
  // --- meta and shared types ---------------------------------------------------------------
  [`${META}ObjectMeta`]: {
    description:
      'The metadata every stored object carries: what it is called, where it lives, how it is labelled, and what the server has recorded about it.',
    fields: {
      annotations: stringMap(
        'Free-form key/value notes for tools and people. Unlike labels they cannot be used to select objects.',
      ),
      creationTimestamp: ref(
        `${META}Time`,
        'When the server created the object, in UTC. Set by the server and read-only.',
      ),
      deletionTimestamp: ref(
        `${META}Time`,
        'Set by the server when a deletion was asked for; the object goes away once its finalizers are done.',
      ),
      finalizers: strings(
        'Names of cleanup steps that must finish before the object is removed from storage.',
      ),
      generateName: str(
        'A prefix for a name the server makes up when no name is given; it appends a few random characters.',
      ),
      generation: int(
        'A counter of changes to the desired state, raised by the server on every spec update.',
      ),
      labels: stringMap(
        'Key/value tags used to group and select objects, for example by Services and ReplicaSets.',
      ),
      name: str(
        'The name of the object, unique among objects of this kind in its namespace. It cannot change.',
      ),
      namespace: str(
        'The namespace the object belongs to. Empty for cluster-wide kinds; defaults to "default" for the others.',
      ),
      ownerReferences: list(
        `${META}OwnerReference`,
        'The objects this one belongs to. When every owner is deleted, the garbage collector removes this object too.',
      ),
      resourceVersion: str(
        'An opaque version of the object that changes on every write. Clients send it back to detect conflicting updates.',
      ),
      uid: str('A unique id the server gives the object when it is created. It is never reused.'),
    },
  },
  [`${META}OwnerReference`]: {
    description: 'Points at an object that owns this one.',
    fields: {
      apiVersion: str('The API version of the owner.', { required: true }),
      blockOwnerDeletion: bool('When true, the owner is not fully deleted until this object is gone.'),
      controller: bool('True when the owner is the controller that manages this object.'),
      kind: str('The kind of the owner.', { required: true }),
      name: str('The name of the owner.', { required: true }),
      uid: str('The uid of the owner.', { required: true }),
    },
  },
  [`${META}Time`]: {
    description: 'A point in time, written as an RFC 3339 string with a precision of one second.',
    primitive: 'string',
  },
  [`${META}MicroTime`]: {
    description: 'A point in time, written as an RFC 3339 string with microseconds.',
    primitive: 'string',
  },
  [`${META}LabelSelector`]: {
    description:
      'Selects objects by their labels. All conditions must hold; an empty selector matches every object.',
    fields: {
      matchExpressions: list(
        `${META}LabelSelectorRequirement`,
        'Conditions on labels, such as "tier In (web, api)". All of them must hold.',
      ),
      matchLabels: stringMap('Labels an object must have, each with exactly this value.'),
    },
  },
  [`${META}LabelSelectorRequirement`]: {
    description: 'One condition of a label selector: a key, an operator and possibly some values.',
    fields: {
      key: str('The label key the condition is about.', { required: true }),
      operator: str('How the label is compared: In, NotIn, Exists or DoesNotExist.', { required: true }),
      values: strings('The values for In and NotIn. Must be empty for Exists and DoesNotExist.'),
    },
  },
  [QUANTITY]: {
    description:
      'An amount of a resource, written as a number with an optional suffix, such as 250m (a quarter of a CPU) or 128Mi.',
  },
  [INT_OR_STRING]: {
    description: 'A value that is either a number or a string, such as a port number or a named port.',
  },

  // --- core/v1 -------------------------------------------------------------------------------
  [`${CORE}Pod`]: {
    gvk: kind('', 'v1', 'Pod'),
    description:
      'A group of one or more containers that run together on one node and share its network. Pods are usually created by a controller such as a Deployment.',
    fields: {
      ...objectHeader('Pod'),
      spec: ref(
        `${CORE}PodSpec`,
        'What the pod should run and how: its containers, volumes and scheduling wishes.',
      ),
      status: ref(
        `${CORE}PodStatus`,
        'What the kubelet last reported about the pod. It is read-only and may lag behind reality.',
      ),
    },
  },
  [`${CORE}PodTemplateSpec`]: {
    description: 'The blueprint a controller copies each time it creates a pod.',
    fields: {
      metadata: ref(
        `${META}ObjectMeta`,
        'Labels and annotations given to every pod made from this template.',
      ),
      spec: ref(`${CORE}PodSpec`, 'The spec of every pod made from this template.'),
    },
  },
  [`${CORE}PodSpec`]: {
    description: 'The desired state of a pod.',
    fields: {
      containers: list(
        `${CORE}Container`,
        'The containers of the pod. There must be at least one, and the list cannot change once the pod exists.',
        { required: true },
      ),
      hostNetwork: bool("When true, the pod uses the node's network directly instead of its own IP address."),
      initContainers: list(
        `${CORE}Container`,
        'Containers that run one after the other, each to completion, before the main containers start.',
      ),
      nodeName: str(
        'The node the pod runs on. The scheduler sets it; setting it yourself skips the scheduler.',
      ),
      nodeSelector: stringMap(
        'Node labels the pod requires: it is only scheduled onto nodes that have all of them.',
      ),
      restartPolicy: str(
        'What the kubelet does when a container exits. Defaults to Always; Jobs use OnFailure or Never.',
        { enum: ['Always', 'Never', 'OnFailure'] },
      ),
      schedulerName: str('The scheduler that places this pod. Defaults to default-scheduler.'),
      serviceAccountName: str('The service account whose identity the pod runs with.'),
      terminationGracePeriodSeconds: int(
        'How many seconds the containers get to stop after being asked to, before they are killed. Defaults to 30.',
      ),
      tolerations: list(
        `${CORE}Toleration`,
        'Node taints this pod accepts, so it can be scheduled onto (or keep running on) tainted nodes.',
      ),
      volumes: list(`${CORE}Volume`, 'Storage the containers of the pod can mount.'),
    },
  },
  [`${CORE}Container`]: {
    description: 'One container of a pod: the image it runs and how it is started.',
    fields: {
      args: strings(
        "Arguments given to the command. When empty, the image's own default arguments are used.",
      ),
      command: strings(
        "The program to run, replacing the image's entrypoint. It is not run in a shell unless you run one.",
      ),
      env: list(`${CORE}EnvVar`, 'Environment variables set in the container.'),
      image: str('The container image to run, such as nginx:1.27 or busybox.'),
      imagePullPolicy: str(
        'When the kubelet pulls the image. Defaults to Always for the :latest tag and IfNotPresent otherwise.',
        { enum: ['Always', 'IfNotPresent', 'Never'] },
      ),
      name: str('The name of the container, unique within the pod.', { required: true }),
      ports: list(
        `${CORE}ContainerPort`,
        'Ports the container listens on. The list is informational: an unlisted port can still be reached.',
      ),
      resources: ref(
        `${CORE}ResourceRequirements`,
        'CPU and memory the container asks for (requests) and may not exceed (limits).',
      ),
      volumeMounts: list(
        `${CORE}VolumeMount`,
        "Where the pod's volumes appear in the container's filesystem.",
      ),
      workingDir: str("The folder the command starts in. Defaults to the image's own setting."),
    },
  },
  [`${CORE}ContainerPort`]: {
    description: 'A network port of a container.',
    fields: {
      containerPort: int('The port number the container listens on, between 1 and 65535.', {
        required: true,
      }),
      hostPort: int('A port of the node forwarded to this one. Rarely needed; most pods leave it unset.'),
      name: str('A name for the port, which Services can refer to instead of its number.'),
      protocol: str('The protocol of the port. Defaults to TCP.', { enum: PROTOCOLS }),
    },
  },
  [`${CORE}EnvVar`]: {
    description: 'One environment variable of a container.',
    fields: {
      name: str('The name of the variable.', { required: true }),
      value: str('The value of the variable. $(OTHER) refers to a variable defined earlier in the list.'),
      valueFrom: ref(
        `${CORE}EnvVarSource`,
        'Takes the value from a ConfigMap or Secret instead of writing it here.',
      ),
    },
  },
  [`${CORE}EnvVarSource`]: {
    description: 'Where the value of an environment variable comes from.',
    fields: {
      configMapKeyRef: ref(`${CORE}ConfigMapKeySelector`, 'A key of a ConfigMap in the same namespace.'),
      secretKeyRef: ref(`${CORE}SecretKeySelector`, 'A key of a Secret in the same namespace.'),
    },
  },
  [`${CORE}ConfigMapKeySelector`]: {
    description: 'Picks one key of a ConfigMap.',
    fields: {
      key: str('The key to read.', { required: true }),
      name: str('The name of the ConfigMap.'),
      optional: bool('When true, a missing ConfigMap or key is not an error.'),
    },
  },
  [`${CORE}SecretKeySelector`]: {
    description: 'Picks one key of a Secret.',
    fields: {
      key: str('The key to read.', { required: true }),
      name: str('The name of the Secret.'),
      optional: bool('When true, a missing Secret or key is not an error.'),
    },
  },
  [`${CORE}ResourceRequirements`]: {
    description: 'The compute resources a container asks for and the most it may use.',
    fields: {
      limits: quantities(
        'The most the container may use, such as cpu: 500m or memory: 256Mi. Going over the memory limit kills the container.',
      ),
      requests: quantities(
        'What the container is guaranteed. The scheduler only places the pod on a node with this much room left.',
      ),
    },
  },
  [`${CORE}VolumeMount`]: {
    description: 'Mounts one volume of the pod into a container.',
    fields: {
      mountPath: str('The path in the container where the volume appears.', { required: true }),
      name: str('The name of the volume, as listed in the pod spec.', { required: true }),
      readOnly: bool('When true, the volume is mounted read-only.'),
      subPath: str('A path inside the volume to mount instead of its root.'),
    },
  },
  [`${CORE}Volume`]: {
    description: 'A named piece of storage the containers of a pod can mount. Set exactly one source.',
    fields: {
      configMap: ref(`${CORE}ConfigMapVolumeSource`, 'Shows the keys of a ConfigMap as files.'),
      emptyDir: ref(`${CORE}EmptyDirVolumeSource`, 'An empty folder that lives as long as the pod.'),
      name: str('The name of the volume, used by volume mounts.', { required: true }),
      secret: ref(`${CORE}SecretVolumeSource`, 'Shows the keys of a Secret as files.'),
    },
  },
  [`${CORE}ConfigMapVolumeSource`]: {
    description: 'A volume filled from a ConfigMap, one file per key.',
    fields: {
      name: str('The name of the ConfigMap.'),
      optional: bool('When true, a missing ConfigMap gives an empty volume instead of an error.'),
    },
  },
  [`${CORE}SecretVolumeSource`]: {
    description: 'A volume filled from a Secret, one file per key.',
    fields: {
      optional: bool('When true, a missing Secret gives an empty volume instead of an error.'),
      secretName: str('The name of the Secret.'),
    },
  },
  [`${CORE}EmptyDirVolumeSource`]: {
    description: 'A scratch folder, created empty when the pod starts and deleted with it.',
    fields: {
      medium: str('Where the folder is kept: empty for the node\'s disk, or "Memory" for RAM.'),
      sizeLimit: ref(QUANTITY, 'The most data the folder may hold.'),
    },
  },
  [`${CORE}Toleration`]: {
    description: 'Lets a pod be scheduled onto, or stay on, nodes with a matching taint.',
    fields: {
      effect: str('The taint effect to match. Empty matches every effect.', { enum: TAINT_EFFECTS }),
      key: str('The taint key to match. Empty, with the Exists operator, matches every taint.'),
      operator: str(
        'How the value is compared. Equal (the default) needs the same value; Exists ignores it.',
        {
          enum: ['Equal', 'Exists'],
        },
      ),
      tolerationSeconds: int(
        'For NoExecute taints: how long the pod may stay on the node once the taint appears. Unset means forever.',
      ),
      value: str('The taint value to match, for the Equal operator.'),
    },
  },
  [`${CORE}PodStatus`]: {
    description: 'The observed state of a pod, as its kubelet reports it.',
    fields: {
      hostIP: str('The IP address of the node the pod runs on.'),
      message: str('A human-readable note on why the pod is in its current state.'),
      phase: str('Where the pod is in its life: Pending, Running, Succeeded, Failed or Unknown.', {
        enum: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
      }),
      podIP: str('The IP address given to the pod. Empty until it is assigned.'),
      reason: str('A short CamelCase word saying why the pod is in its current state, such as Evicted.'),
      startTime: ref(`${META}Time`, 'When the kubelet accepted the pod, before its images were pulled.'),
    },
  },
  [`${CORE}Service`]: {
    gvk: kind('', 'v1', 'Service'),
    description:
      'A stable name and virtual IP address in front of a set of pods, chosen by a label selector. Traffic sent to it is spread over the ready pods.',
    fields: {
      ...objectHeader('Service'),
      spec: ref(`${CORE}ServiceSpec`, 'How the service is exposed and which pods it sends traffic to.'),
    },
  },
  [`${CORE}ServiceSpec`]: {
    description: 'The desired state of a service.',
    fields: {
      clusterIP: str(
        'The virtual IP address of the service inside the cluster. Usually assigned by the server; "None" makes a headless service.',
      ),
      externalName: str('For type ExternalName: the DNS name the service points to.'),
      ports: list(`${CORE}ServicePort`, 'The ports the service listens on and where each one forwards to.'),
      selector: stringMap(
        'Labels of the pods that receive the traffic. Without a selector, endpoints must be managed by hand.',
      ),
      sessionAffinity: str(
        'ClientIP sends each client to the same pod every time; None (the default) does not.',
        {
          enum: ['ClientIP', 'None'],
        },
      ),
      type: str(
        'How the service is reached: ClusterIP (inside the cluster, the default), NodePort (also on a port of every node), LoadBalancer, or ExternalName.',
        { enum: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] },
      ),
    },
  },
  [`${CORE}ServicePort`]: {
    description: 'One port of a service.',
    fields: {
      name: str('A name for the port. Required when the service has more than one port.'),
      nodePort: int(
        'For NodePort and LoadBalancer services: the port opened on every node. Picked when unset.',
      ),
      port: int('The port the service listens on.', { required: true }),
      protocol: str('The protocol of the port. Defaults to TCP.', { enum: PROTOCOLS }),
      targetPort: ref(
        INT_OR_STRING,
        'The port of the pods the traffic goes to: a number or the name of a container port. Defaults to port.',
      ),
    },
  },
  [`${CORE}Namespace`]: {
    gvk: kind('', 'v1', 'Namespace'),
    description:
      'A named scope for objects: names must be unique within a namespace, and deleting it deletes everything inside.',
    fields: {
      ...objectHeader('Namespace'),
      spec: ref(`${CORE}NamespaceSpec`, 'The desired state of the namespace.'),
      status: ref(`${CORE}NamespaceStatus`, 'The observed state of the namespace.'),
    },
  },
  [`${CORE}NamespaceSpec`]: {
    description: 'The desired state of a namespace.',
    fields: {
      finalizers: strings('Cleanup steps that must finish before the namespace is removed.'),
    },
  },
  [`${CORE}NamespaceStatus`]: {
    description: 'The observed state of a namespace.',
    fields: {
      phase: str('Active, or Terminating while its objects are being deleted.', {
        enum: ['Active', 'Terminating'],
      }),
    },
  },
  [`${CORE}Node`]: {
    gvk: kind('', 'v1', 'Node'),
    description:
      'A machine, real or virtual, that runs pods. Its kubelet registers it and keeps its status up to date.',
    fields: {
      ...objectHeader('Node'),
      spec: ref(`${CORE}NodeSpec`, 'How the node should be treated by the scheduler.'),
      status: ref(`${CORE}NodeStatus`, 'What the kubelet last reported about the node.'),
    },
  },
  [`${CORE}NodeSpec`]: {
    description: 'The desired state of a node.',
    fields: {
      podCIDR: str('The range of IP addresses given to pods on this node.'),
      providerID: str('The id of the machine at its cloud provider, if any.'),
      taints: list(`${CORE}Taint`, 'Marks that keep pods away from the node unless they tolerate them.'),
      unschedulable: bool('When true, no new pods are scheduled onto the node. kubectl cordon sets it.'),
    },
  },
  [`${CORE}Taint`]: {
    description: 'A mark on a node that repels pods which do not tolerate it.',
    fields: {
      effect: str('What happens to pods that do not tolerate the taint.', {
        required: true,
        enum: TAINT_EFFECTS,
      }),
      key: str('The key of the taint.', { required: true }),
      timeAdded: ref(`${META}Time`, 'When the taint was added. Only set for NoExecute taints.'),
      value: str('The value of the taint.'),
    },
  },
  [`${CORE}NodeStatus`]: {
    description: 'The observed state of a node.',
    fields: {
      addresses: list(`${CORE}NodeAddress`, 'The addresses of the node: host name and IP addresses.'),
      allocatable: quantities('The resources left for pods once the system has taken its share.'),
      capacity: quantities('The total resources of the node: cpu, memory, pods.'),
      conditions: list(
        `${CORE}NodeCondition`,
        'Health checks of the node, such as Ready and MemoryPressure.',
      ),
    },
  },
  [`${CORE}NodeAddress`]: {
    description: 'One address of a node.',
    fields: {
      address: str('The address itself.', { required: true }),
      type: str('The kind of address: Hostname, InternalIP or ExternalIP.', { required: true }),
    },
  },
  [`${CORE}NodeCondition`]: {
    description: 'One aspect of the health of a node.',
    fields: {
      lastHeartbeatTime: ref(`${META}Time`, 'The last time the kubelet confirmed the condition.'),
      lastTransitionTime: ref(`${META}Time`, 'The last time the status changed.'),
      message: str('A human-readable explanation of the status.'),
      reason: str('A short CamelCase word for the last change.'),
      status: str('True, False or Unknown.', { required: true }),
      type: str('Which aspect this is, such as Ready.', { required: true }),
    },
  },
  [`${CORE}ConfigMap`]: {
    gvk: kind('', 'v1', 'ConfigMap'),
    description:
      'Non-secret settings as key/value pairs, which pods can read as environment variables or as files in a volume.',
    fields: {
      ...objectHeader('ConfigMap'),
      binaryData: stringMap('Keys whose values are arbitrary bytes, written in base64.'),
      data: stringMap('The settings, as text. Keys may contain letters, digits, "-", "_" and ".".'),
      immutable: bool('When true, the data can no longer be changed; only deleting the ConfigMap remains.'),
    },
  },
  [`${CORE}Secret`]: {
    gvk: kind('', 'v1', 'Secret'),
    description:
      'Sensitive values such as passwords or tokens, kept apart from pod specs. The values are base64-encoded, not encrypted.',
    fields: {
      ...objectHeader('Secret'),
      data: stringMap('The secret values, each base64-encoded.'),
      immutable: bool('When true, the data can no longer be changed; only deleting the Secret remains.'),
      stringData: stringMap(
        'A write-only convenience: plain-text values the server encodes into data. It is never read back.',
      ),
      type: str('What the secret is for, such as Opaque (the default) or kubernetes.io/tls.'),
    },
  },
  [`${CORE}Event`]: {
    gvk: kind('', 'v1', 'Event'),
    description:
      'A record of something that happened to an object, such as a pod being scheduled or an image being pulled. Events expire after an hour.',
    fields: {
      ...objectHeader('Event'),
      metadata: ref(`${META}ObjectMeta`, 'The name and namespace of the event record itself.', {
        required: true,
      }),
      action: str('What was done or tried, such as Binding.'),
      count: int('How many times this event happened, when repeats are folded into one record.'),
      eventTime: ref(`${META}MicroTime`, 'When the event was first seen, with microseconds.'),
      firstTimestamp: ref(`${META}Time`, 'When the event was first recorded.'),
      involvedObject: ref(`${CORE}ObjectReference`, 'The object the event is about.', { required: true }),
      lastTimestamp: ref(`${META}Time`, 'When the event was recorded most recently.'),
      message: str('A human-readable description of what happened.'),
      reason: str('A short CamelCase word for what happened, such as Scheduled or BackOff.'),
      reportingComponent: str('The component that reported the event, such as kubelet.'),
      reportingInstance: str('Which instance of the component reported it, such as the node name.'),
      source: ref(`${CORE}EventSource`, 'The component and host that reported the event.'),
      type: str('Normal, or Warning for something that went wrong.'),
    },
  },
  [`${CORE}EventSource`]: {
    description: 'Who reported an event.',
    fields: {
      component: str('The reporting component.'),
      host: str('The node it runs on.'),
    },
  },
  [`${CORE}ObjectReference`]: {
    description: 'Points at another object.',
    fields: {
      apiVersion: str('The API version of the object.'),
      fieldPath: str('A part of the object, such as one of its containers.'),
      kind: str('The kind of the object.'),
      name: str('The name of the object.'),
      namespace: str('The namespace of the object.'),
      resourceVersion: str('The version of the object the reference was made from.'),
      uid: str('The uid of the object.'),
    },
  },
  [`${CORE}Endpoints`]: {
    gvk: kind('', 'v1', 'Endpoints'),
    description:
      'The addresses behind a service, kept up to date by the endpoints controller from the ready pods its selector matches.',
    fields: {
      ...objectHeader('Endpoints'),
      subsets: list(`${CORE}EndpointSubset`, 'Groups of addresses that share the same ports.'),
    },
  },
  [`${CORE}EndpointSubset`]: {
    description: 'Addresses that share a set of ports.',
    fields: {
      addresses: list(`${CORE}EndpointAddress`, 'Addresses of ready pods.'),
      notReadyAddresses: list(`${CORE}EndpointAddress`, 'Addresses of pods that are not ready yet.'),
      ports: list(`${CORE}EndpointPort`, 'The ports open on every address.'),
    },
  },
  [`${CORE}EndpointAddress`]: {
    description: 'One address behind a service.',
    fields: {
      ip: str('The IP address of the pod.', { required: true }),
      nodeName: str('The node the pod runs on.'),
      targetRef: ref(`${CORE}ObjectReference`, 'The pod behind the address.'),
    },
  },
  [`${CORE}EndpointPort`]: {
    description: 'One port of the endpoints.',
    fields: {
      name: str('The name of the service port it belongs to.'),
      port: int('The port number.', { required: true }),
      protocol: str('The protocol of the port.', { enum: PROTOCOLS }),
    },
  },

  // --- apps/v1 -------------------------------------------------------------------------------
  [`${APPS}Deployment`]: {
    gvk: kind('apps', 'v1', 'Deployment'),
    description:
      'Keeps a number of identical pods running and replaces them gradually when their template changes, through ReplicaSets.',
    fields: {
      ...objectHeader('Deployment'),
      spec: ref(`${APPS}DeploymentSpec`, 'The pods the deployment should run and how updates roll out.'),
      status: ref(`${APPS}DeploymentStatus`, 'What the deployment controller last observed.'),
    },
  },
  [`${APPS}DeploymentSpec`]: {
    description: 'The desired state of a deployment.',
    fields: {
      minReadySeconds: int('How long a new pod must be ready before it counts as available. Defaults to 0.'),
      paused: bool('When true, changes to the template are not rolled out until the deployment is resumed.'),
      progressDeadlineSeconds: int(
        'How long a rollout may go without progress before it is reported as failed. Defaults to 600.',
      ),
      replicas: int('How many pods to run. Defaults to 1.'),
      revisionHistoryLimit: int('How many old ReplicaSets to keep for rollbacks. Defaults to 10.'),
      selector: ref(
        `${META}LabelSelector`,
        "Which pods belong to the deployment. It must match the template's labels and cannot change.",
        { required: true },
      ),
      strategy: ref(`${APPS}DeploymentStrategy`, 'How old pods are replaced by new ones.'),
      template: ref(`${CORE}PodTemplateSpec`, 'The pod every replica is made from.', { required: true }),
    },
  },
  [`${APPS}DeploymentStrategy`]: {
    description: 'How a deployment replaces its pods.',
    fields: {
      rollingUpdate: ref(`${APPS}RollingUpdateDeployment`, 'Limits for a RollingUpdate.'),
      type: str(
        'RollingUpdate (the default) replaces pods a few at a time; Recreate stops all old pods first.',
        { enum: ['Recreate', 'RollingUpdate'] },
      ),
    },
  },
  [`${APPS}RollingUpdateDeployment`]: {
    description: 'How fast a rolling update goes.',
    fields: {
      maxSurge: ref(
        INT_OR_STRING,
        'How many pods may exist above the desired count, as a number or a percentage. Defaults to 25%.',
      ),
      maxUnavailable: ref(
        INT_OR_STRING,
        'How many pods may be missing below the desired count, as a number or a percentage. Defaults to 25%.',
      ),
    },
  },
  [`${APPS}DeploymentStatus`]: {
    description: 'The observed state of a deployment.',
    fields: {
      availableReplicas: int('Pods that have been ready for at least minReadySeconds.'),
      observedGeneration: int('The generation of the deployment the controller last acted on.'),
      readyReplicas: int('Pods that are ready.'),
      replicas: int('All pods of the deployment, old and new.'),
      unavailableReplicas: int('Pods still missing to reach the desired count.'),
      updatedReplicas: int('Pods made from the current template.'),
    },
  },
  [`${APPS}ReplicaSet`]: {
    gvk: kind('apps', 'v1', 'ReplicaSet'),
    description:
      'Keeps a given number of identical pods running, creating or deleting pods to match. Deployments manage them for you.',
    fields: {
      ...objectHeader('ReplicaSet'),
      spec: ref(`${APPS}ReplicaSetSpec`, 'How many pods to run and what they look like.'),
      status: ref(`${APPS}ReplicaSetStatus`, 'What the ReplicaSet controller last observed.'),
    },
  },
  [`${APPS}ReplicaSetSpec`]: {
    description: 'The desired state of a ReplicaSet.',
    fields: {
      minReadySeconds: int('How long a new pod must be ready before it counts as available. Defaults to 0.'),
      replicas: int('How many pods to run. Defaults to 1.'),
      selector: ref(
        `${META}LabelSelector`,
        "Which pods count as replicas. It must match the template's labels.",
        {
          required: true,
        },
      ),
      template: ref(`${CORE}PodTemplateSpec`, 'The pod new replicas are made from.'),
    },
  },
  [`${APPS}ReplicaSetStatus`]: {
    description: 'The observed state of a ReplicaSet.',
    fields: {
      availableReplicas: int('Pods that have been ready for at least minReadySeconds.'),
      fullyLabeledReplicas: int("Pods whose labels match the template's labels."),
      observedGeneration: int('The generation of the ReplicaSet the controller last acted on.'),
      readyReplicas: int('Pods that are ready.'),
      replicas: int('The pods the ReplicaSet currently has.', { required: true }),
    },
  },
  [`${APPS}DaemonSet`]: {
    gvk: kind('apps', 'v1', 'DaemonSet'),
    description: 'Runs one copy of a pod on every node (or every node its selector and tolerations allow).',
    fields: {
      ...objectHeader('DaemonSet'),
      spec: ref(`${APPS}DaemonSetSpec`, 'The pod to run on each node and how updates roll out.'),
      status: ref(`${APPS}DaemonSetStatus`, 'What the DaemonSet controller last observed.'),
    },
  },
  [`${APPS}DaemonSetSpec`]: {
    description: 'The desired state of a DaemonSet.',
    fields: {
      minReadySeconds: int('How long a new pod must be ready before it counts as available. Defaults to 0.'),
      revisionHistoryLimit: int('How many old revisions to keep for rollbacks. Defaults to 10.'),
      selector: ref(
        `${META}LabelSelector`,
        "Which pods belong to the DaemonSet. It must match the template's labels.",
        {
          required: true,
        },
      ),
      template: ref(`${CORE}PodTemplateSpec`, 'The pod run on each node.', { required: true }),
      updateStrategy: ref(
        `${APPS}DaemonSetUpdateStrategy`,
        'How old pods are replaced when the template changes.',
      ),
    },
  },
  [`${APPS}DaemonSetUpdateStrategy`]: {
    description: 'How a DaemonSet replaces its pods.',
    fields: {
      type: str(
        'RollingUpdate (the default) replaces pods node by node; OnDelete waits for you to delete them.',
        {
          enum: ['OnDelete', 'RollingUpdate'],
        },
      ),
    },
  },
  [`${APPS}DaemonSetStatus`]: {
    description: 'The observed state of a DaemonSet.',
    fields: {
      currentNumberScheduled: int('Nodes running a pod of the DaemonSet that should.', { required: true }),
      desiredNumberScheduled: int('Nodes that should run a pod of the DaemonSet.', { required: true }),
      numberAvailable: int('Nodes whose pod has been ready for at least minReadySeconds.'),
      numberMisscheduled: int('Nodes running a pod of the DaemonSet that should not.', { required: true }),
      numberReady: int('Nodes whose pod is ready.', { required: true }),
      updatedNumberScheduled: int('Nodes running a pod made from the current template.'),
    },
  },

  // --- batch/v1 ------------------------------------------------------------------------------
  [`${BATCH}Job`]: {
    gvk: kind('batch', 'v1', 'Job'),
    description:
      'Runs pods until a number of them finish successfully, retrying failed ones up to a limit. Good for one-off tasks.',
    fields: {
      ...objectHeader('Job'),
      spec: ref(`${BATCH}JobSpec`, 'What the job runs and when it counts as done.'),
      status: ref(`${BATCH}JobStatus`, 'What the job controller last observed.'),
    },
  },
  [`${BATCH}JobSpec`]: {
    description: 'The desired state of a job.',
    fields: {
      activeDeadlineSeconds: int('How long the job may run in total before it is stopped and marked failed.'),
      backoffLimit: int(
        'How many times failed pods are retried before the job is marked failed. Defaults to 6.',
      ),
      completions: int('How many pods must succeed for the job to be complete. Defaults to 1.'),
      manualSelector: bool(
        'When true, you provide the selector yourself instead of letting the server make one.',
      ),
      parallelism: int('How many pods may run at the same time. Defaults to 1.'),
      selector: ref(`${META}LabelSelector`, 'Which pods belong to the job. Usually generated by the server.'),
      suspend: bool(
        'When true, no pods are started, and running ones are stopped, until it is set back to false.',
      ),
      template: ref(
        `${CORE}PodTemplateSpec`,
        'The pod the job runs. Its restartPolicy must be Never or OnFailure.',
        {
          required: true,
        },
      ),
      ttlSecondsAfterFinished: int('Deletes the job this many seconds after it finishes. Unset keeps it.'),
    },
  },
  [`${BATCH}JobStatus`]: {
    description: 'The observed state of a job.',
    fields: {
      active: int('Pods running now.'),
      completionTime: ref(`${META}Time`, 'When the job completed successfully.'),
      failed: int('Pods that failed.'),
      ready: int('Running pods that are ready.'),
      startTime: ref(`${META}Time`, 'When the job controller started working on the job.'),
      succeeded: int('Pods that succeeded.'),
    },
  },
  [`${BATCH}CronJob`]: {
    gvk: kind('batch', 'v1', 'CronJob'),
    description: 'Creates a Job on a repeating schedule written in cron syntax, such as every night at 2:00.',
    fields: {
      ...objectHeader('CronJob'),
      spec: ref(`${BATCH}CronJobSpec`, 'The schedule and the job to create each time.'),
      status: ref(`${BATCH}CronJobStatus`, 'What the CronJob controller last observed.'),
    },
  },
  [`${BATCH}CronJobSpec`]: {
    description: 'The desired state of a CronJob.',
    fields: {
      concurrencyPolicy: str(
        'What to do when a run is due while the previous one is still going: Allow (the default), Forbid or Replace.',
        { enum: ['Allow', 'Forbid', 'Replace'] },
      ),
      failedJobsHistoryLimit: int('How many failed jobs to keep. Defaults to 1.'),
      jobTemplate: ref(`${BATCH}JobTemplateSpec`, 'The job created at each scheduled time.', {
        required: true,
      }),
      schedule: str(
        'When to run, in cron syntax: minute, hour, day of month, month, day of week. For example "0 2 * * *".',
        {
          required: true,
        },
      ),
      startingDeadlineSeconds: int('How late a missed run may still start. Later runs are skipped.'),
      successfulJobsHistoryLimit: int('How many successful jobs to keep. Defaults to 3.'),
      suspend: bool('When true, no new jobs are created until it is set back to false.'),
      timeZone: str(
        "The time zone the schedule is read in, such as Europe/Paris. Defaults to the controller's.",
      ),
    },
  },
  [`${BATCH}JobTemplateSpec`]: {
    description: 'The blueprint a CronJob copies for each job it creates.',
    fields: {
      metadata: ref(
        `${META}ObjectMeta`,
        'Labels and annotations given to every job made from this template.',
      ),
      spec: ref(`${BATCH}JobSpec`, 'The spec of every job made from this template.'),
    },
  },
  [`${BATCH}CronJobStatus`]: {
    description: 'The observed state of a CronJob.',
    fields: {
      active: list(`${CORE}ObjectReference`, 'The jobs running now.'),
      lastScheduleTime: ref(`${META}Time`, 'When a job was last created.'),
      lastSuccessfulTime: ref(`${META}Time`, 'When a job last completed successfully.'),
    },
  },

  // --- coordination.k8s.io/v1 ------------------------------------------------------------------
  [`${COORD}Lease`]: {
    gvk: kind('coordination.k8s.io', 'v1', 'Lease'),
    description:
      'A lock with an expiry, renewed by its holder. Nodes use one to say they are alive, and control plane components to elect a leader.',
    fields: {
      ...objectHeader('Lease'),
      spec: ref(`${COORD}LeaseSpec`, 'Who holds the lease and until when.'),
    },
  },
  [`${COORD}LeaseSpec`]: {
    description: 'The state of a lease.',
    fields: {
      acquireTime: ref(`${META}MicroTime`, 'When the current holder took the lease.'),
      holderIdentity: str('Who holds the lease.'),
      leaseDurationSeconds: int('How long the lease lasts after each renewal.'),
      leaseTransitions: int('How many times the lease changed hands.'),
      renewTime: ref(`${META}MicroTime`, 'When the holder last renewed the lease.'),
    },
  },
};

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

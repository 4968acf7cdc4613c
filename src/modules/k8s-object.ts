/** One Kubernetes object of a manifest, as far as the k8s module reads it. */
export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string };
} & Record<string, unknown>;

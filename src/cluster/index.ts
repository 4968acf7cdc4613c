/**
 * `quorum/cluster`: what the built-in cluster roles share and site roles for a cluster may use
 * too. Pure functions only (no engine state): address arithmetic, the kubeadm configuration,
 * the offline preflight of a cluster plan.
 */

export * from '../execute/kept-answers.ts';
export { DPKG_DATABASE } from '../modules/apt-parts.ts';
export * from './addons.ts';
export * from './certs.ts';
export * from './certs-cache.ts';
export * from './etcd.ts';
export * from './join.ts';
export * from './kubeadm-config.ts';
export * from './net.ts';
export * from './node-files.ts';
export * from './preflight.ts';
export * from './reset.ts';
export * from './upgrade.ts';

// The pinned releases the gateway role installs, each file by the sha256 of its bytes at the
// release tag (computed from the tags' git objects: gateway-api v1.5.1 = e7677b70, nginx-gateway-
// fabric v2.6.7 = 5e34a17a). NGINX Gateway Fabric 2.6.7 builds on Gateway API v1.5.1 (its
// config/crd/gateway-api/standard kustomization points at that tag).

/** Gateway API, standard channel: the CRDs of config/crd/standard at the tag. */
export const GATEWAY_API = {
  version: 'v1.5.1',
  baseUrl: 'https://raw.githubusercontent.com/kubernetes-sigs/gateway-api/v1.5.1/config/crd/standard',
  crds: {
    'gateway.networking.k8s.io_backendtlspolicies.yaml':
      '9b8818172153d72f9c84032db0be0a4a657277d13f5bbc22226ad9481ff57971',
    'gateway.networking.k8s.io_gatewayclasses.yaml':
      '234ad4b2757ee1b3596a4187bb98df071c5bbdd9e1806f692f2dbf8387e6bef4',
    'gateway.networking.k8s.io_gateways.yaml':
      '7416e8300eb4d8c0a71a23445609075bbacbe8bc80104584b019cfe1ebe77c31',
    'gateway.networking.k8s.io_grpcroutes.yaml':
      '979f4125d44d3df24659ba00d1d04ff8e76c45423193e8aae82dd5810d7827df',
    'gateway.networking.k8s.io_httproutes.yaml':
      '682203b109baecb18d38073a578f7bc2c17d22fe9b0c27bf030850abe014c370',
    'gateway.networking.k8s.io_listenersets.yaml':
      '9221468d19fdfbb0026113b1ef64abac64f27607975aff2410361b8b38f0e0bb',
    'gateway.networking.k8s.io_referencegrants.yaml':
      'a8902c486eed0b7339f5bb8a476ccaba0918eb038048402bdc01cbb69b0fbb51',
    'gateway.networking.k8s.io_tlsroutes.yaml':
      '818e4827c469a40e2527a2851591e656782c50fea8dd44812c900d219da09345',
  } as Record<string, string>,
  /** The ValidatingAdmissionPolicy (and binding) of the standard install: it refuses older or
   * experimental-channel CRDs over these. Not a CRD, so applied on its own (no Established). */
  policy: {
    file: 'gateway.networking.k8s.io_vap_safeupgrades.yaml',
    sha256: '981a4da92706cb567c051e006ff229429947f054b90cd0719c297abe14f958a1',
  },
} as const;

/** NGINX Gateway Fabric: its own CRDs and the default install (a LoadBalancer per Gateway). */
export const NGF = {
  version: 'v2.6.7',
  crds: {
    url: 'https://raw.githubusercontent.com/nginx/nginx-gateway-fabric/v2.6.7/deploy/crds.yaml',
    sha256: '942d031b4f5d0cd57194c8d0d6e7a09bddf4ced3e59609dd390db013434ec8fa',
  },
  deploy: {
    url: 'https://raw.githubusercontent.com/nginx/nginx-gateway-fabric/v2.6.7/deploy/default/deploy.yaml',
    sha256: '33c493b6233975913a1628dd0219ef787e3fff5a17bd9d6e3108b41139c7c05b',
  },
  namespace: 'nginx-gateway',
  gatewayClass: 'nginx',
} as const;

// Knobs of the elastic-IP and firewall routes (/elastic_ips, /firewalls).

export interface NetworkSecurityKnobs {
  /** An elastic IP stays `configuring` (with `id` null in answers) this long before `active`. */
  elasticIpProvisionMs: number;
}

export function defaultNetworkSecurityKnobs(): NetworkSecurityKnobs {
  return { elasticIpProvisionMs: 300 };
}

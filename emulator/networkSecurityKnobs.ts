// Knobs of the elastic-IP and firewall routes (/elastic_ips, /firewalls).
import type { HostnamePredicate } from "./types";

export interface NetworkSecurityKnobs {
  /** An elastic IP stays `configuring` (with `id` null in answers) this long before `active`. */
  elasticIpProvisionMs: number;
  /** A moved elastic IP stays `moving` this long before `active` again. */
  elasticIpMoveMs: number;
  /** A released elastic IP stays listed as `releasing` this long before it is gone. */
  elasticIpReleaseMs: number;
  /** Next N successful POST /elastic_ips: the IP is created (202), then the socket is destroyed. */
  loseNextElasticIpPosts: number;
  /** Next N POST /elastic_ips answer 422 IP_ALLOCATION_FAILED and create nothing. */
  failNextElasticIpAllocations: number;
  /** Next N created elastic IPs end provisioning in `error` instead of `active`. */
  failNextElasticIpProvisions: number;
  /**
   * Servers (by hostname) whose "outdated network configuration" makes elastic-IP create and
   * move answer 422 SERVER_NETWORK_INCOMPATIBLE. What makes a real server outdated is not in
   * the API (the spec only gives the code and its text), so the default is none.
   */
  elasticIpNetworkIncompatible: HostnamePredicate;
}

export function defaultNetworkSecurityKnobs(): NetworkSecurityKnobs {
  return {
    elasticIpProvisionMs: 300,
    elasticIpMoveMs: 300,
    elasticIpReleaseMs: 300,
    loseNextElasticIpPosts: 0,
    failNextElasticIpAllocations: 0,
    failNextElasticIpProvisions: 0,
    elasticIpNetworkIncompatible: false,
  };
}

// Small secret generators: dynamic resources on node:crypto whose values are made once, at create.
export { AdminPassword, type AdminPasswordArgs } from "./adminPassword";
export { RandomSecret, type RandomSecretArgs } from "./randomSecret";
export { SshKeyPair, type SshKeyPairArgs } from "./sshKeyPair";
export { GENERATORS_PROVIDER_VERSION, type SecretEncoding } from "./generatorSupport";

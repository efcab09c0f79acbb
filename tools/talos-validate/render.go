package main

// Rendering: what the pulumi talos plugin 0.8.1 does to produce `machineConfiguration` for one node.
//
// The plugin (pulumiverse/pulumi-talos v0.8.1, provider/go.mod) wraps
// github.com/siderolabs/terraform-provider-talos v0.11.0, which pins
// github.com/siderolabs/talos/pkg/machinery v1.13.0. Every choice below is taken from that tag:
//
//   - Secrets, once per run: pkg/talos/talos_machine_secrets_resource.go, (*talosMachineSecretsResource).Create:
//     validateVersionContract(talos_version) then secrets.NewBundle(secrets.NewFixedClock(time.Now()), contract).
//     The data source then rebuilds a secrets.Bundle from the stored state with a fresh fixed clock
//     (pkg/talos/talos_machine_configuration_data_source.go, (*talosMachineConfigurationDataSource).Read):
//     see dataSourceSecrets.
//   - Defaults when an input is null: same Read function: kubernetes_version defaults to
//     constants.DefaultKubernetesVersion, talos_version to semver.MajorMinor(gendata.VersionTag).
//   - machine_type: "controlplane" -> machine.TypeControlPlane, "worker" -> machine.TypeWorker (Read).
//   - Generate options: pkg/talos/util.go, (*machineConfigGenerateOptions).generate:
//     generate.WithClusterDiscovery(true), generate.WithDNSDomain(constants.DefaultDNSDomain),
//     generate.WithInstallDisk("/dev/sda"), generate.WithInstallImage(GenerateInstallerImage()) where
//     GenerateInstallerImage() is "<gendata.ImagesRegistry>/<gendata.ImagesUsername>/installer:<gendata.VersionTag>",
//     generate.WithSecretsBundle(bundle), generate.WithVersionContract(validateVersionContract(talos_version))
//     (validateVersionContract = config.ParseContractFromVersion).
//   - Bundle: same function: bundle.NewBundle(bundle.WithInputOptions(&bundle.InputOptions{ClusterName,
//     Endpoint, KubeVersion: strings.TrimPrefix(kubernetes_version, "v"), GenOptions}), bundle.WithVerbose(false),
//     bundle.WithPatchControlPlane(patches) or bundle.WithPatchWorker(patches)), with
//     patches = configpatcher.LoadPatches(config_patches). machinery's bundle.NewBundle applies them with
//     configpatcher.Apply(configpatcher.WithConfig(cfg), patches) (config/bundle/bundle.go, ApplyPatches).
//   - Output: configBundle.Serialize(encoder.CommentsDisabled [| CommentsDocs if docs] [| CommentsExamples
//     if examples], machineType). Our program passes docs=false, examples=false: CommentsDisabled.
//   - Plan-time checks: (*talosMachineConfigurationDataSource).ValidateConfig -> validateMachineConfigurationConfig:
//     validateClusterEndpoint(cluster_endpoint) and configpatcher.LoadPatches(config_patches).
//
// The ConfigurationApply resource (pkg/talos/talos_machine_configuration_apply_resource.go,
// computeMachineConfiguration) sends configpatcher.Apply(configpatcher.WithBytes(input), its own patches).Bytes();
// our program gives it no patches, so the node receives exactly the bytes rendered here.

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	sideronet "github.com/siderolabs/net"
	"github.com/siderolabs/talos/pkg/machinery/config"
	"github.com/siderolabs/talos/pkg/machinery/config/bundle"
	"github.com/siderolabs/talos/pkg/machinery/config/configpatcher"
	"github.com/siderolabs/talos/pkg/machinery/config/encoder"
	"github.com/siderolabs/talos/pkg/machinery/config/generate"
	"github.com/siderolabs/talos/pkg/machinery/config/generate/secrets"
	"github.com/siderolabs/talos/pkg/machinery/config/machine"
	"github.com/siderolabs/talos/pkg/machinery/constants"
	"github.com/siderolabs/talos/pkg/machinery/gendata"
)

// newClusterSecrets makes the one secrets bundle of a run, as talos_machine_secrets does on create.
func newClusterSecrets(contract *config.VersionContract) (*secrets.Bundle, error) {
	return secrets.NewBundle(secrets.NewFixedClock(time.Now()), contract)
}

// dataSourceSecrets is the bundle the machine-configuration data source rebuilds from the secrets'
// state: the same fields, a fresh fixed clock.
func dataSourceSecrets(stored *secrets.Bundle) *secrets.Bundle {
	return &secrets.Bundle{
		Clock:      secrets.NewFixedClock(time.Now()),
		Cluster:    &secrets.Cluster{ID: stored.Cluster.ID, Secret: stored.Cluster.Secret},
		Secrets:    &secrets.Secrets{BootstrapToken: stored.Secrets.BootstrapToken, SecretboxEncryptionSecret: stored.Secrets.SecretboxEncryptionSecret, AESCBCEncryptionSecret: stored.Secrets.AESCBCEncryptionSecret},
		TrustdInfo: &secrets.TrustdInfo{Token: stored.TrustdInfo.Token},
		Certs:      stored.Certs,
	}
}

// pluginInstallerImage is the install image the plugin passes to generate (its own default; a patch overrides it).
func pluginInstallerImage() string {
	return fmt.Sprintf("%s/%s/installer:%s", gendata.ImagesRegistry, gendata.ImagesUsername, gendata.VersionTag)
}

// renderRequest is one node's machine-configuration data source call.
type renderRequest struct {
	clusterName       string
	endpoint          string
	machineType       machine.Type
	kubernetesVersion string
	contract          *config.VersionContract
	secrets           *secrets.Bundle
	patches           []string
}

// renderError tells which stage of the plugin refused the node, with the plugin's own wording.
type renderError struct {
	stage string
	err   error
}

func (e *renderError) Error() string { return e.stage + ": " + e.err.Error() }
func (e *renderError) Unwrap() error { return e.err }

// render returns the node's config bytes exactly as the data source's machine_configuration output.
func render(req renderRequest) ([]byte, error) {
	genOptions := []generate.Option{
		generate.WithClusterDiscovery(true),
		generate.WithDNSDomain(constants.DefaultDNSDomain),
		generate.WithInstallDisk("/dev/sda"),
		generate.WithInstallImage(pluginInstallerImage()),
		generate.WithSecretsBundle(dataSourceSecrets(req.secrets)),
		generate.WithVersionContract(req.contract),
	}

	// ValidateConfig loads the patches at plan time, before Read loads them again for generate: the
	// same call, so a patch that does not load fails here, with ValidateConfig's summary.
	patches, err := configpatcher.LoadPatches(req.patches)
	if err != nil {
		return nil, &renderError{"config_patches are invalid", err}
	}

	opts := []bundle.Option{
		bundle.WithInputOptions(&bundle.InputOptions{
			ClusterName: req.clusterName,
			Endpoint:    req.endpoint,
			KubeVersion: strings.TrimPrefix(req.kubernetesVersion, "v"),
			GenOptions:  genOptions,
		}),
		bundle.WithVerbose(false),
	}

	switch req.machineType { //nolint:exhaustive
	case machine.TypeControlPlane:
		opts = append(opts, bundle.WithPatchControlPlane(patches))
	case machine.TypeWorker:
		opts = append(opts, bundle.WithPatchWorker(patches))
	}

	configBundle, err := bundle.NewBundle(opts...)
	if err != nil {
		return nil, &renderError{"failed to generate machine configuration", err}
	}

	out, err := configBundle.Serialize(encoder.CommentsDisabled, req.machineType)
	if err != nil {
		return nil, &renderError{"failed to generate machine configuration", err}
	}

	return out, nil
}

// checkClusterEndpoint is the data source's plan-time cluster_endpoint check (validateClusterEndpoint
// in pkg/talos/util.go @ v0.11.0), written anew: an https URL that sideronet.ValidateEndpointURI accepts.
func checkClusterEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		if strings.Contains(endpoint, "/") {
			return fmt.Errorf("failed to parse the cluster endpoint URL: %w", err)
		}

		u = &url.URL{Host: endpoint}
	}

	switch {
	case u.Scheme == "" && u.Port() == "":
		return errors.New("no scheme and port specified for the cluster endpoint URL")
	case u.Scheme == "":
		return errors.New("no scheme specified for the cluster endpoint URL")
	case u.Scheme != "https":
		return errors.New("the control plane endpoint URL should have scheme https://")
	}

	if err := sideronet.ValidateEndpointURI(endpoint); err != nil {
		return fmt.Errorf("error validating the cluster endpoint URL: %w", err)
	}

	return nil
}

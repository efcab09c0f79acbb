// Command talos-validate renders the Talos machine configs of cto-metal's nodes the way the pulumi talos
// plugin 0.8.1 does (terraform-provider-talos v0.11.0 on machinery v1.13.0: see render.go) and validates
// each one the way a Talos v1.13.0 node and `talosctl validate --mode metal --strict` do (validate.go).
//
// Usage: talos-validate [--accept-warning REGEXP]... [--out-dir DIR] [INPUT.json | -]
//
// INPUT (stdin when absent or "-"), decoded strictly (an unknown key is bad input):
//
//	{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "talosVersion": "v1.13.0",
//	 "kubernetesVersion": "v1.36.0",
//	 "nodes": [{"name": "cp1", "role": "controlplane", "patches": ["<patch>", ...]}]}
//
// talosVersion and kubernetesVersion may be left out: the plugin's defaults apply (the machinery's
// major.minor, constants.DefaultKubernetesVersion). Each patch is what configpatcher.LoadPatches takes:
// a strategic merge patch (JSON or YAML, several documents separated by "---") or a JSON patch.
//
// One secrets bundle is generated per run and shared by all nodes, as talos_machine_secrets would;
// the secrets are throwaway.
//
// Output: a JSON report on stdout,
//
//	{"machinery": "v1.13.0", "nodes": [{"name", "role", "valid", "errors": [...], "warnings": [...]}]}
//
// and one line per node on stderr. Exit status: 0 when every node is valid and each warning matches an
// --accept-warning regexp; 1 when a node has an error or an unaccepted warning; 2 on bad input or usage.
// --out-dir DIR writes each node's rendered config (comments off, as the plugin outputs it) to DIR/<name>.yaml.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/siderolabs/talos/pkg/machinery/config"
	"github.com/siderolabs/talos/pkg/machinery/config/machine"
	"github.com/siderolabs/talos/pkg/machinery/constants"
	"github.com/siderolabs/talos/pkg/machinery/gendata"
)

// machineryVersion is the machinery release this module pins (go.mod); gendata carries its tag.
var machineryVersion = gendata.VersionTag

type input struct {
	ClusterName       string      `json:"clusterName"`
	Endpoint          string      `json:"endpoint"`
	TalosVersion      *string     `json:"talosVersion"`
	KubernetesVersion *string     `json:"kubernetesVersion"`
	Nodes             []inputNode `json:"nodes"`
}

type inputNode struct {
	Name    string   `json:"name"`
	Role    string   `json:"role"`
	Patches []string `json:"patches"`
}

type report struct {
	Machinery string       `json:"machinery"`
	Nodes     []nodeReport `json:"nodes"`
}

type nodeReport struct {
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Valid    bool     `json:"valid"`
	Errors   []string `json:"errors"`
	Warnings []string `json:"warnings"`
}

// usageError is bad input or usage: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func badInput(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

type regexps []*regexp.Regexp

func (r *regexps) String() string { return fmt.Sprint(*r) }

func (r *regexps) Set(s string) error {
	re, err := regexp.Compile(s)
	if err != nil {
		return err
	}

	*r = append(*r, re)

	return nil
}

func (r regexps) accepts(warning string) bool {
	for _, re := range r {
		if re.MatchString(warning) {
			return true
		}
	}

	return false
}

const usage = "usage: talos-validate [--accept-warning REGEXP]... [--out-dir DIR] [INPUT.json | -]"

type options struct {
	accept    regexps
	outDir    string
	inputPath string
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	opts, err := parseArgs(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}

		fmt.Fprintln(stderr, "talos-validate:", err)
		fmt.Fprintln(stderr, usage)

		return 2
	}

	in, err := readInput(opts.inputPath, stdin)
	if err != nil {
		fmt.Fprintln(stderr, "talos-validate: bad input:", err)

		return 2
	}

	rep, err := validateAll(context.Background(), in, opts.outDir)
	if err != nil {
		var ue *usageError
		if errors.As(err, &ue) {
			fmt.Fprintln(stderr, "talos-validate: bad input:", err)

			return 2
		}

		fmt.Fprintln(stderr, "talos-validate:", err)

		return 2
	}

	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")

	if err := enc.Encode(rep); err != nil {
		fmt.Fprintln(stderr, "talos-validate:", err)

		return 2
	}

	status := 0

	for _, n := range rep.Nodes {
		var unaccepted, accepted []string

		for _, w := range n.Warnings {
			if opts.accept.accepts(w) {
				accepted = append(accepted, w)
			} else {
				unaccepted = append(unaccepted, w)
			}
		}

		if !n.Valid || len(unaccepted) > 0 {
			status = 1
		}

		fmt.Fprintln(stderr, summary(n, unaccepted, accepted))
	}

	return status
}

func parseArgs(args []string, stderr io.Writer) (options, error) {
	var opts options

	fs := flag.NewFlagSet("talos-validate", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports a parse error once; -h prints the usage below
	fs.Var(&opts.accept, "accept-warning", "a `regexp`; warnings it matches do not fail the run (repeatable)")
	fs.StringVar(&opts.outDir, "out-dir", "", "write each node's rendered config to `dir`/<node>.yaml")
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.SetOutput(stderr)
		fs.PrintDefaults()
	}

	// Flags may come before or after the input path.
	var positional []string

	for {
		if err := fs.Parse(args); err != nil {
			return opts, err
		}

		if fs.NArg() == 0 {
			break
		}

		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}

	switch len(positional) {
	case 0:
		opts.inputPath = "-"
	case 1:
		opts.inputPath = positional[0]
	default:
		return opts, badInput("one input path expected, got %d: %s", len(positional), strings.Join(positional, " "))
	}

	return opts, nil
}

func readInput(path string, stdin io.Reader) (*input, error) {
	var (
		data []byte
		err  error
	)

	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}

	if err != nil {
		return nil, err
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()

	var in input
	if err := dec.Decode(&in); err != nil {
		return nil, err
	}

	if dec.More() {
		return nil, errors.New("trailing data after the JSON object")
	}

	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON object")
	}

	return &in, checkInput(&in)
}

func checkInput(in *input) error {
	if in.ClusterName == "" {
		return badInput("clusterName is required")
	}

	if in.Endpoint == "" {
		return badInput("endpoint is required")
	}

	if len(in.Nodes) == 0 {
		return badInput("nodes must list at least one node")
	}

	seen := map[string]bool{}

	for i, n := range in.Nodes {
		switch {
		case n.Name == "":
			return badInput("nodes[%d]: name is required", i)
		case n.Name == "." || n.Name == ".." || strings.ContainsAny(n.Name, `/\`):
			return badInput("nodes[%d]: name %q cannot be a file name", i, n.Name)
		case seen[n.Name]:
			return badInput("nodes[%d]: duplicate name %q", i, n.Name)
		case n.Role != "controlplane" && n.Role != "worker":
			return badInput("nodes[%d] (%s): role must be \"controlplane\" or \"worker\", not %q", i, n.Name, n.Role)
		}

		seen[n.Name] = true
	}

	return nil
}

func validateAll(ctx context.Context, in *input, outDir string) (*report, error) {
	// The plugin's defaults for a null talos_version / kubernetes_version (data source Read).
	talosVersion := majorMinor(gendata.VersionTag)
	if in.TalosVersion != nil {
		talosVersion = *in.TalosVersion
	}

	kubernetesVersion := constants.DefaultKubernetesVersion
	if in.KubernetesVersion != nil {
		kubernetesVersion = *in.KubernetesVersion
	}

	contract, err := config.ParseContractFromVersion(talosVersion)
	if err != nil {
		return nil, badInput("talosVersion: %v", err)
	}

	clusterSecrets, err := newClusterSecrets(contract)
	if err != nil {
		return nil, fmt.Errorf("failed to generate secrets bundle: %w", err)
	}

	if outDir != "" {
		if err := os.MkdirAll(outDir, 0o700); err != nil {
			return nil, err
		}
	}

	endpointErr := checkClusterEndpoint(in.Endpoint)
	rep := &report{Machinery: machineryVersion, Nodes: []nodeReport{}}

	for _, n := range in.Nodes {
		nr := nodeReport{Name: n.Name, Role: n.Role, Errors: []string{}, Warnings: []string{}}

		if endpointErr != nil {
			nr.Errors = append(nr.Errors, "cluster_endpoint is invalid: "+endpointErr.Error())
		}

		machineType := machine.TypeWorker
		if n.Role == "controlplane" {
			machineType = machine.TypeControlPlane
		}

		rendered, err := render(renderRequest{
			clusterName:       in.ClusterName,
			endpoint:          in.Endpoint,
			machineType:       machineType,
			kubernetesVersion: kubernetesVersion,
			contract:          contract,
			secrets:           clusterSecrets,
			patches:           n.Patches,
		})
		if err != nil {
			nr.Errors = append(nr.Errors, flatten(err)...)
		} else {
			if outDir != "" {
				if err := os.WriteFile(filepath.Join(outDir, n.Name+".yaml"), rendered, 0o600); err != nil {
					return nil, err
				}
			}

			errs, warnings := validateAsNode(ctx, rendered)
			nr.Errors = append(nr.Errors, errs...)
			nr.Warnings = append(nr.Warnings, warnings...)
		}

		nr.Valid = len(nr.Errors) == 0
		rep.Nodes = append(rep.Nodes, nr)
	}

	return rep, nil
}

func summary(n nodeReport, unaccepted, accepted []string) string {
	var b strings.Builder

	fmt.Fprintf(&b, "%s (%s): ", n.Name, n.Role)

	var parts []string

	if len(n.Errors) > 0 {
		parts = append(parts, count(len(n.Errors), "error")+": "+bullets(n.Errors))
	}

	if len(unaccepted) > 0 {
		parts = append(parts, count(len(unaccepted), "warning")+": "+bullets(unaccepted))
	}

	if len(accepted) > 0 {
		parts = append(parts, count(len(accepted), "accepted warning")+": "+bullets(accepted))
	}

	if len(n.Errors) == 0 && len(unaccepted) == 0 {
		parts = append([]string{"valid"}, parts...)
	}

	b.WriteString(strings.Join(parts, "; "))

	return b.String()
}

func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}

	return fmt.Sprintf("%d %ss", n, noun)
}

func bullets(items []string) string {
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "* " + strings.Join(strings.Fields(s), " ")
	}

	return strings.Join(out, " ")
}

// majorMinor is "v1.13" for "v1.13.0" (what semver.MajorMinor gives the plugin for a release tag).
func majorMinor(tag string) string {
	parts := strings.SplitN(tag, ".", 3)
	if len(parts) < 2 {
		return tag
	}

	return parts[0] + "." + parts[1]
}

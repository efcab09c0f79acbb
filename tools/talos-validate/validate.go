package main

// Validation: what a Talos v1.13.0 node and `talosctl validate --mode metal --strict` do with a config.
//
// Mirrored from github.com/siderolabs/talos v1.13.0:
//   - internal/app/machined/internal/server/v1alpha1/v1alpha1_server.go, (*Server).ApplyConfiguration (the
//     same handler serves maintenance mode, inMaintenance = !ConfigCompleteForBoot()):
//     configloader.NewFromBytes(data); outside maintenance, a config without v1alpha1 is refused;
//     cfg.Validate(modeWrapper{platform mode, installed}) with no options; then
//     cfg.RuntimeValidate(ctx, resources, mode); warnings of both are concatenated.
//     On a metal node booted over iPXE and not yet installed, modeWrapper is metal with
//     RequiresInstall() true: nodeMode below.
//   - internal/app/machined/pkg/controllers/config/acquire.go (config from platform/cmdline): the same
//     Validate + RuntimeValidate pair.
//   - cmd/talosctl/cmd/mgmt/validate.go: configloader.NewFromFile, runtime.ParseMode("metal"),
//     cfg.Validate(mode, validation.WithLocal(), validation.WithStrict()). In machinery v1.13.0 nothing reads
//     Options.Local, and Options.Strict is read only by (*v1alpha1.Config).Validate
//     (config/types/v1alpha1/v1alpha1_validation.go), which then returns each warning as the error
//     "warning: <text>". So --strict fails exactly when the node's call has an error or a v1alpha1 warning;
//     this tool reports the node's errors and warnings apart and fails on any warning not accepted with
//     --accept-warning, which is --strict with an allow-list.
//   - internal/app/machined/pkg/runtime/mode.go: ModeMetal is "metal", RequiresInstall() true,
//     InContainer() false.
//
// RuntimeValidate gets an empty in-memory COSI state: a fresh node before any disk or link is known.
// Its checks then are the Kubernetes image tags against this machinery's Talos version (gendata tag
// v1.13.0, the version the node runs) and install.diskSelector matching, which cannot match any disk
// offline: that one error is reported as a warning (see offlineDiskSelector).

import (
	"context"
	"errors"
	"strings"

	"github.com/cosi-project/runtime/pkg/state"
	"github.com/cosi-project/runtime/pkg/state/impl/inmem"
	"github.com/cosi-project/runtime/pkg/state/impl/namespaced"
	"github.com/siderolabs/talos/pkg/machinery/config/configloader"
)

// nodeMode is runtime.ModeMetal as the ApplyConfiguration handler wraps it on a node not installed yet.
type nodeMode struct{}

func (nodeMode) String() string        { return "metal" }
func (nodeMode) RequiresInstall() bool { return true }
func (nodeMode) InContainer() bool     { return false }

const offlineDiskSelector = "no disks matched the expression: "

// validateAsNode returns the errors and warnings a node would answer an ApplyConfiguration of data with.
func validateAsNode(ctx context.Context, data []byte) (errs, warnings []string) {
	cfg, err := configloader.NewFromBytes(data)
	if err != nil {
		return flatten(err), nil
	}

	if cfg.RawV1Alpha1() == nil {
		errs = append(errs, "the applied machine configuration doesn't contain v1alpha1 config, did you mean to patch the machine config instead?")
	}

	w, err := cfg.Validate(nodeMode{})
	warnings = append(warnings, w...)
	errs = append(errs, flatten(err)...)

	st := state.WrapCore(namespaced.NewState(inmem.Build))

	w, err = cfg.RuntimeValidate(ctx, st, nodeMode{})
	warnings = append(warnings, w...)

	for _, e := range flatten(err) {
		if strings.Contains(e, offlineDiskSelector) {
			warnings = append(warnings, "offline, no disk is known, so install.diskSelector was not matched: "+e)

			continue
		}

		errs = append(errs, e)
	}

	// Validate and RuntimeValidate both report some warnings (e.g. .machine.install.extensions); the node
	// concatenates them, here each is listed once.
	return errs, unique(warnings)
}

// flatten splits the multierror/errors.Join trees machinery returns into one message per problem,
// keeping the prefix of a wrapper (e.g. "v1alpha1.Config: ", "HostnameConfig: ") on each of its parts.
func flatten(err error) []string {
	var out []string

	var walk func(err error, prefix string)

	walk = func(err error, prefix string) {
		if err == nil {
			return
		}

		if parts := children(err); parts != nil {
			for _, part := range parts {
				walk(part, prefix)
			}

			return
		}

		// A single wrapper whose text is "<prefix><inner text>" around a list: keep the prefix on each part.
		if inner := errors.Unwrap(err); inner != nil && children(inner) != nil {
			if p, ok := strings.CutSuffix(err.Error(), inner.Error()); ok {
				walk(inner, prefix+p)

				return
			}
		}

		out = append(out, prefix+err.Error())
	}

	walk(err, "")

	return out
}

// children returns the parts of a list error (hashicorp/go-multierror or errors.Join), nil otherwise.
func children(err error) []error {
	switch e := err.(type) {
	case interface{ WrappedErrors() []error }:
		return e.WrappedErrors()
	case interface{ Unwrap() []error }:
		return e.Unwrap()
	}

	return nil
}

// unique keeps the first of equal strings, in order.
func unique(items []string) []string {
	seen := make(map[string]bool, len(items))
	out := items[:0]

	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}

	return out
}

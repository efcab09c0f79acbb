package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// invoke runs the command as the binary would and decodes its report (nil when it printed none).
func invoke(t *testing.T, stdin string, args ...string) (int, *report, string) {
	t.Helper()

	var stdout, stderr bytes.Buffer

	status := run(args, strings.NewReader(stdin), &stdout, &stderr)

	var rep *report

	if stdout.Len() > 0 {
		rep = &report{}
		if err := json.Unmarshal(stdout.Bytes(), rep); err != nil {
			t.Fatalf("stdout is not a report: %v\n%s", err, stdout.String())
		}
	}

	return status, rep, stderr.String()
}

func node(t *testing.T, rep *report, name string) nodeReport {
	t.Helper()

	for _, n := range rep.Nodes {
		if n.Name == name {
			return n
		}
	}

	t.Fatalf("no node %q in %+v", name, rep)

	return nodeReport{}
}

func TestLegacyHostnameConflictsWithGeneratedHostnameConfig(t *testing.T) {
	status, rep, stderr := invoke(t, "", "testdata/today.json")
	if status != 1 {
		t.Fatalf("status %d, want 1\n%s", status, stderr)
	}

	cp1 := node(t, rep, "cp1")
	if cp1.Valid || len(cp1.Errors) != 1 || cp1.Errors[0] != "static hostname is already set in v1alpha1 config" {
		t.Fatalf("cp1: %+v", cp1)
	}

	if !strings.Contains(stderr, "cp1 (controlplane): 1 error: * static hostname is already set in v1alpha1 config") {
		t.Fatalf("stderr: %s", stderr)
	}
}

func TestValidNodes(t *testing.T) {
	for _, file := range []string{"hostname-config.json", "typical.json", "network-documents.json"} {
		t.Run(file, func(t *testing.T) {
			status, rep, stderr := invoke(t, "", filepath.Join("testdata", file))
			if status != 0 {
				t.Fatalf("status %d, want 0\n%s", status, stderr)
			}

			for _, n := range rep.Nodes {
				if !n.Valid || len(n.Errors) != 0 || len(n.Warnings) != 0 {
					t.Fatalf("%s: %+v", n.Name, n)
				}
			}
		})
	}
}

func TestHostnameConfigPatchReplacesGeneratedDocument(t *testing.T) {
	dir := t.TempDir()

	if status, _, stderr := invoke(t, "", "--out-dir", dir, "testdata/hostname-config.json"); status != 0 {
		t.Fatalf("status %d\n%s", status, stderr)
	}

	rendered, err := os.ReadFile(filepath.Join(dir, "cp1.yaml"))
	if err != nil {
		t.Fatal(err)
	}

	want := "kind: HostnameConfig\nauto: \"off\"\nhostname: cto-dev-cp1\n"
	if !strings.Contains(string(rendered), want) || strings.Count(string(rendered), "kind: HostnameConfig") != 1 {
		t.Fatalf("rendered config lacks %q once:\n%s", want, rendered)
	}
}

func TestUnknownKeyInPatch(t *testing.T) {
	status, rep, _ := invoke(t, "", "testdata/bogus.json")
	if status != 1 {
		t.Fatalf("status %d, want 1", status)
	}

	cp1 := node(t, rep, "cp1")
	if cp1.Valid || len(cp1.Errors) != 1 || !strings.Contains(cp1.Errors[0], "bogus") || !strings.HasPrefix(cp1.Errors[0], "config_patches are invalid: ") {
		t.Fatalf("cp1: %+v", cp1)
	}
}

func TestLegacyVIPOnWorker(t *testing.T) {
	status, rep, _ := invoke(t, "", "testdata/network-legacy.json")
	if status != 1 {
		t.Fatalf("status %d, want 1", status)
	}

	if cp1 := node(t, rep, "cp1"); !cp1.Valid {
		t.Fatalf("cp1: %+v", cp1)
	}

	w1 := node(t, rep, "w1")
	if w1.Valid || len(w1.Errors) != 1 || w1.Errors[0] != "v1alpha1.Config: virtual (shared) IP is not allowed on non-controlplane nodes" {
		t.Fatalf("w1: %+v", w1)
	}
}

const extensionsInput = `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": [{"name": "w1", "role": "worker",
 "patches": ["{\"machine\":{\"install\":{\"disk\":\"/dev/sda\",\"extensions\":[{\"image\":\"ghcr.io/siderolabs/iscsi-tools:v0.2.0\"}]}}}"]}]}`

func TestWarningsFailUnlessAccepted(t *testing.T) {
	status, rep, _ := invoke(t, extensionsInput)
	w1 := node(t, rep, "w1")

	if status != 1 || !w1.Valid || len(w1.Warnings) != 1 || !strings.Contains(w1.Warnings[0], ".machine.install.extensions is deprecated") {
		t.Fatalf("status %d, w1: %+v", status, w1)
	}

	if status, _, stderr := invoke(t, extensionsInput, "--accept-warning", `extensions is deprecated`, "-"); status != 0 {
		t.Fatalf("accepted: status %d\n%s", status, stderr)
	}
}

func TestBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"unknown top-level key": `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": [{"name": "a", "role": "worker"}], "extra": 1}`,
		"unknown node key":      `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": [{"name": "a", "role": "worker", "patch": []}]}`,
		"bad role":              `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": [{"name": "a", "role": "master"}]}`,
		"no nodes":              `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": []}`,
		"duplicate node":        `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": [{"name": "a", "role": "worker"}, {"name": "a", "role": "worker"}]}`,
		"bad talosVersion":      `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "talosVersion": "latest", "nodes": [{"name": "a", "role": "worker"}]}`,
		"trailing data":         `{"clusterName": "cto", "endpoint": "https://203.0.113.10:6443", "nodes": [{"name": "a", "role": "worker"}]} {}`,
		"not JSON":              `clusterName: cto`,
	} {
		t.Run(name, func(t *testing.T) {
			if status, rep, _ := invoke(t, in); status != 2 || rep != nil {
				t.Fatalf("status %d, report %+v; want 2 and none", status, rep)
			}
		})
	}
}

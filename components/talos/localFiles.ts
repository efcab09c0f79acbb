// Writes kubeconfig and talosconfig into the configured output directory (like talosctl's
// --output-dir), where kubectl and talosctl users pick them up: mode 0600, contents fed through
// stdin so they never appear on a command line, and removed again on destroy.
import { createHash } from "node:crypto";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export interface LocalSecretFilesArgs {
  directory: string;
  /** File name → contents (secrets). */
  files: Record<string, pulumi.Input<string>>;
}

/** The shell that writes one file: umask first, so the file is never readable by others. */
export const WRITE_FILE = 'umask 077 && mkdir -p "$DIR" && cat > "$DIR/$FILE.tmp" && chmod 600 "$DIR/$FILE.tmp" && mv "$DIR/$FILE.tmp" "$DIR/$FILE"';
export const REMOVE_FILE = 'rm -f "$DIR/$FILE"';

export class LocalSecretFiles extends pulumi.ComponentResource {
  readonly paths: pulumi.Output<string[]>;

  constructor(name: string, args: LocalSecretFilesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("cto:talos:LocalSecretFiles", name, {}, opts);
    const written = Object.entries(args.files).map(
      ([file, contents]) =>
        new command.local.Command(
          `${name}-${file}`,
          {
            create: WRITE_FILE,
            delete: REMOVE_FILE,
            stdin: pulumi.secret(contents),
            environment: { DIR: args.directory, FILE: file },
            // Write again when the contents change (the stdin is a secret, so compare a hash).
            triggers: [pulumi.output(contents).apply((text) => createHash("sha256").update(text).digest("hex"))],
            logging: "none",
          },
          { parent: this },
        ),
    );
    this.paths = pulumi.output(Object.keys(args.files).map((file) => `${args.directory}/${file}`));
    this.registerOutputs({ paths: this.paths, written: written.length });
  }
}

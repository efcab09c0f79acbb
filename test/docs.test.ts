// The docs a newcomer follows: every relative link leads to a file that exists, and the
// configuration page names every key the program reads and every secret it accepts.
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, SECRET_KEYS } from "../config/schema";
import { CHANGE_MATRIX } from "./fixtures/changeMatrix";

const REPO = path.resolve(__dirname, "..");
const pages = ["README.md", ...fs.readdirSync(path.join(REPO, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`), "bench/README.md"];

describe("docs", () => {
  it.each(pages)("%s links only to files that exist", (page) => {
    const text = fs.readFileSync(path.join(REPO, page), "utf8");
    const targets = [...text.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]!).filter((t) => !/^[a-z]+:/.test(t));
    for (const target of targets) expect(fs.existsSync(path.resolve(path.dirname(path.join(REPO, page)), target)), `${page} → ${target}`).toBe(true);
  });

  it("documents every config key and every secret key", () => {
    const configuration = fs.readFileSync(path.join(REPO, "docs/configuration.md"), "utf8");
    for (const key of CONFIG_KEYS) expect(configuration, key).toContain(`\`${key}\``);
    const readme = fs.readFileSync(path.join(REPO, "README.md"), "utf8");
    for (const key of SECRET_KEYS) expect(readme, key).toContain(`cto-metal:${key}`);
  });

  it("states in its change table exactly what the change matrix proves, each row with a test that exists", () => {
    const configuration = fs.readFileSync(path.join(REPO, "docs/configuration.md"), "utf8");
    const section = configuration.split("## What each change does")[1]?.split("\n## ")[0] ?? "";
    const rows = section.split("\n").filter((line) => line.startsWith("| ") && !line.startsWith("| change |"));
    const changes = rows.map((line) => line.slice(2).split(" | ")[0]!);
    expect(changes).toStrictEqual(CHANGE_MATRIX.map((row) => row.change));
    for (const row of CHANGE_MATRIX) {
      const source = fs.readFileSync(path.join(REPO, row.file), "utf8");
      expect(source, `${row.change} → ${row.file}`).toContain(row.test);
    }
  });
});

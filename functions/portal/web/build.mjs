// Builds the portal into ../dist (embedded by the Go function):
//   node build.mjs           write ../dist
//   node build.mjs --check   build into a temp dir and fail if ../dist differs
//                            (CI proves the committed bundle comes from src/)
// esbuild is pinned by package-lock.json, and its output depends only on the
// sources and options, so the same commit always builds the same bytes.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, "..", "dist");
const check = process.argv.includes("--check");
const out = check ? mkdtempSync(join(tmpdir(), "portal-")) : dist;

const result = await build({
  absWorkingDir: here,
  entryPoints: ["src/main.tsx", "src/app.css"],
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2022", "chrome110", "firefox110", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  outdir: "out",
  entryNames: "[name]-[hash]",
  legalComments: "none",
  charset: "utf8",
  define: { "process.env.NODE_ENV": '"production"' },
  write: false,
  logLevel: "warning",
});

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, "assets"), { recursive: true });
const names = {};
for (const f of result.outputFiles) {
  const name = relative(join(here, "out"), f.path);
  writeFileSync(join(out, "assets", name), f.contents);
  names[name.endsWith(".js") ? "JS" : "CSS"] = name;
}
// The licences of what the bundle contains, as one file next to it.
const licences = ["preact", "firebase", "@firebase/app", "@firebase/auth", "@firebase/util", "@firebase/component", "@firebase/logger", "idb", "tslib"]
  .map((p) => {
    for (const f of ["LICENSE", "LICENSE.md", "license"]) {
      try {
        return "== " + p + " ==\n" + readFileSync(join(here, "node_modules", p, f), "utf8").trim() + "\n";
      } catch {}
    }
    return "";
  })
  .filter(Boolean)
  .join("\n");
writeFileSync(join(out, "assets", "licenses.txt"), licences);
const html = readFileSync(join(here, "src/index.html"), "utf8").replace("{{JS}}", names.JS).replace("{{CSS}}", names.CSS);
writeFileSync(join(out, "index.html"), html);

if (check) {
  const list = (d) => readdirSync(d, { recursive: true }).filter((p) => statSync(join(d, p)).isFile()).sort();
  const hash = (d, p) => createHash("sha256").update(readFileSync(join(d, p))).digest("hex");
  const a = list(out), b = list(dist);
  const diff = [...new Set([...a, ...b])].filter((p) => !a.includes(p) || !b.includes(p) || hash(out, p) !== hash(dist, p));
  rmSync(out, { recursive: true, force: true });
  if (diff.length) {
    console.error("functions/portal/dist is not what web/src builds; run `npm run build` in functions/portal/web and commit. Differs: " + diff.join(", "));
    process.exit(1);
  }
  console.log("functions/portal/dist matches a fresh build of web/src");
}

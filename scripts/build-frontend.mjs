// Builds the front-end assets into static/dist/ (git-ignored): `npm run build`.
//
// - static/src/portal.scss -> static/dist/portal.css (GOV.UK Frontend + MOJ Frontend, compressed)
// - GOV.UK Frontend and MOJ Frontend JavaScript (ES modules) and their source maps
// - GOV.UK Frontend images and MOJ Frontend images (referenced by the CSS) -> static/dist/assets/
// - static/src/portal.mjs and static/src/favicon.svg
//
// Files are only written when their content changes, so running it twice is a no-op.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const nodeModules = join(root, "node_modules");
const src = join(root, "static", "src");
const dist = join(root, "static", "dist");
const govuk = join(nodeModules, "govuk-frontend", "dist", "govuk");
const moj = join(nodeModules, "@ministryofjustice", "frontend", "moj");

let written = 0;
let unchanged = 0;

function digest(data) {
  return createHash("sha256").update(data).digest("hex");
}

function write(target, data) {
  if (existsSync(target) && digest(readFileSync(target)) === digest(data)) {
    unchanged += 1;
    return;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, data);
  written += 1;
}

function copy(from, to) {
  write(to, readFileSync(from));
}

function copyDirectory(from, to) {
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    if (statSync(source).isDirectory()) {
      copyDirectory(source, target);
    } else {
      copy(source, target);
    }
  }
}

// The stylesheet depends on portal.scss and the installed versions of the frameworks and of Sass.
function stylesKey() {
  const inputs = [
    readFileSync(join(src, "portal.scss")),
    readFileSync(join(nodeModules, "govuk-frontend", "package.json")),
    readFileSync(join(nodeModules, "@ministryofjustice", "frontend", "package.json")),
    readFileSync(join(nodeModules, "sass", "package.json")),
  ];
  return digest(Buffer.concat(inputs));
}

function compileStyles() {
  const key = stylesKey();
  const keyFile = join(dist, ".portal.css.key");
  if (existsSync(join(dist, "portal.css")) && existsSync(keyFile)) {
    if (readFileSync(keyFile, "utf8") === key) {
      unchanged += 1;
      return;
    }
  }
  const warnings = [];
  const result = sass.compile(join(src, "portal.scss"), {
    // The project root resolves MOJ Frontend's own "node_modules/govuk-frontend/..." imports.
    loadPaths: [root, nodeModules],
    style: "compressed",
    quietDeps: true,
    logger: {
      warn(message, { span, stack }) {
        // Deprecation notices raised inside the frameworks are theirs to fix, not ours.
        const origin = span?.url?.pathname ?? stack?.split("\n")[0] ?? "";
        if (!/(^|\/)node_modules\//.test(origin)) {
          warnings.push(message);
        }
      },
    },
  });
  for (const message of warnings) {
    console.warn(`sass warning: ${message}`);
  }
  if (result.css.includes("@font-face")) {
    throw new Error("portal.css declares a web font; the portal uses system fonts only");
  }
  write(join(dist, "portal.css"), `${result.css}\n`);
  write(keyFile, key);
}

const started = Date.now();

compileStyles();

copy(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
copy(join(govuk, "govuk-frontend.min.js.map"), join(dist, "govuk-frontend.min.js.map"));
copy(join(moj, "moj-frontend.min.js"), join(dist, "moj-frontend.min.js"));
copy(join(moj, "moj-frontend.min.js.map"), join(dist, "moj-frontend.min.js.map"));

// GOV.UK's images and manifest (not its fonts), and MOJ's images, side by side: both frameworks'
// CSS refers to them through the same "assets/images/" path.
copyDirectory(join(govuk, "assets", "images"), join(dist, "assets", "images"));
copy(join(govuk, "assets", "manifest.json"), join(dist, "assets", "manifest.json"));
copyDirectory(join(moj, "assets", "images"), join(dist, "assets", "images"));

copy(join(src, "portal.mjs"), join(dist, "portal.mjs"));
copy(join(src, "favicon.svg"), join(dist, "favicon.svg"));

console.log(
  `Built ${relative(root, dist)}/: ${written} written, ${unchanged} unchanged ` +
    `(${Date.now() - started} ms)`,
);

// The run page's entry point (bundled by esbuild.js into dist/webview/run.js).
import "../compare/elements";
import { RunPageApp } from "./app";
import { runPageApi } from "./vscodeApi";

const root = document.getElementById("app");
if (root) new RunPageApp(root, runPageApi());

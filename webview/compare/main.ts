// The comparison webview's entry point (bundled by esbuild.js into dist/webview/compare.js).
import "./elements";
import { CompareApp } from "./app";
import { vscodeApi } from "./vscodeApi";

const root = document.getElementById("app");
if (root) new CompareApp(root, vscodeApi());

import { createRequire } from "node:module";
import * as path from "node:path";
import { locateAsset } from "../util/assets";

export type Tf = typeof import("@tensorflow/tfjs");

export interface TfRuntime {
  tf: Tf;
  /** The backend that is really in use: "tensorflow" (tfjs-node), "wasm" or "cpu". */
  backend: string;
}

let loading: Promise<TfRuntime> | undefined;
let uses = 0;

/**
 * TensorFlow.js with the fastest backend that works here: tfjs-node when it is installed (it is an
 * optional dependency that needs a native download), otherwise the wasm backend, otherwise cpu.
 * Loaded on first use only, so nothing pays for it unless a tfjs model trains.
 */
export function loadTf(): Promise<TfRuntime> {
  uses++;
  loading ??= chooseBackend();
  return loading;
}

async function chooseBackend(): Promise<TfRuntime> {
  const native = tryTfjsNode();
  if (native && (await switchTo(native, "tensorflow"))) return { tf: native, backend: "tensorflow" };
  const tf = await import("@tensorflow/tfjs");
  if (process.env.MLEXP_TF_BACKEND !== "cpu" && (await enableWasm(tf))) return { tf, backend: "wasm" };
  if (await switchTo(tf, "cpu")) return { tf, backend: "cpu" };
  throw new Error(`TensorFlow.js could not start any backend (it reports "${tf.getBackend()}").`);
}

function tryTfjsNode(): Tf | undefined {
  if (process.env.MLEXP_TF_BACKEND && process.env.MLEXP_TF_BACKEND !== "tensorflow") return undefined;
  try {
    // Resolved at run time, never bundled: the package is optional and native.
    const optionalPackage = "@tensorflow/tfjs-node";
    return createRequire(__filename)(optionalPackage) as Tf;
  } catch {
    return undefined;
  }
}

async function enableWasm(tf: Tf): Promise<boolean> {
  try {
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    const file = locateAsset("tfjs/tfjs-backend-wasm.wasm", "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm");
    wasm.setWasmPaths(path.dirname(file) + path.sep);
    return await switchTo(tf, "wasm");
  } catch {
    return false;
  }
}

/** Switches and checks that the switch really happened: setBackend can fail quietly. */
async function switchTo(tf: Tf, name: string): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Lets a run find out whether its model used TensorFlow.js, and on which backend: call it
 * before training and `backend()` after.
 */
export function watchTfUse(): { backend(): Promise<string | null> } {
  const before = uses;
  return {
    backend: async () => (uses > before && loading ? (await loading).backend : null),
  };
}

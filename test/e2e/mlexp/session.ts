import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startCodeServer, type CodeServer } from "../harness/codeServer";
import { e2eArtifactsDir, openWorkbench, type Workbench } from "../harness/workbench";
import { requireFreshVsix, writeFixtureWorkspace } from "./scenarios";
import { recordNotifications } from "./ui";

export interface MlexpSessionOptions {
  /** Creates the folder VS Code opens inside the session's temp folder and returns it; default: the fixture workspace "churn-project". */
  folder?: (tmp: string) => string;
  /** Runs on that folder before code-server starts (e.g. CLI trainings, commits). */
  prepareWorkspace?: (workspace: string) => void;
  /** Merged over the dark theme into the user settings. */
  settings?: Record<string, unknown>;
  /** See StartCodeServerOptions.workspaceTrust. */
  workspaceTrust?: boolean;
  /** Install the notification recorder (seenNotifications) once the workbench is open; default true. */
  recordNotifications?: boolean;
  /** Prefix of the artifacts written on the way out: `<prefix>exthost.log`, `<prefix>durations.json`; default `<name>-`. */
  artifactsPrefix?: string;
  /** When given, the durations of timed() steps are saved and logged as `[e2e] <durationsLabel> (ms): …`. */
  durationsLabel?: string;
}

export interface MlexpSession {
  /** Where screenshots and logs go. */
  readonly artifacts: string;
  /** Step durations in ms, filled by timed(). */
  readonly durations: Record<string, number>;
  page(): Workbench["page"];
  /** The folder opened in VS Code. */
  workspace(): string;
  server(): CodeServer | undefined;
  /** Runs a step and records how long it took under `name`. */
  timed(name: string, step: () => Promise<void>): Promise<void>;
}

/**
 * The packaged extension in code-server + Chromium on a fresh temp folder (`mlexp-e2e-<name>-…`):
 * registers the beforeAll that starts it all and the afterAll that saves the extension host's log
 * (and the durations) next to the screenshots, then stops everything. Call it inside the describe;
 * hooks the suite registers after this call run after the session started and, vitest running
 * afterAll hooks in reverse, before it stops.
 */
export function useMlexpSession(name: string, options: MlexpSessionOptions = {}): MlexpSession {
  let tmp: string | undefined;
  let workspace: string | undefined;
  let server: CodeServer | undefined;
  let workbench: Workbench | undefined;
  const artifacts = e2eArtifactsDir();
  const durations: Record<string, number> = {};
  const prefix = options.artifactsPrefix ?? `${name}-`;

  beforeAll(async () => {
    const vsix = requireFreshVsix();
    tmp = mkdtempSync(join(tmpdir(), `mlexp-e2e-${name}-`));
    workspace = (options.folder ?? ((dir) => writeFixtureWorkspace(join(dir, "churn-project"))))(tmp);
    options.prepareWorkspace?.(workspace);
    server = await startCodeServer({
      workspace,
      vsixOrExtensionDir: vsix,
      workspaceTrust: options.workspaceTrust,
      settings: { "workbench.colorTheme": "Default Dark Modern", ...options.settings },
    });
    workbench = await openWorkbench(server.url);
    if (options.recordNotifications ?? true) await recordNotifications(page());
  }, 240_000);

  afterAll(async () => {
    if (server) {
      writeFileSync(join(artifacts, `${prefix}exthost.log`), server.extensionHostLogs());
      if (options.durationsLabel !== undefined) {
        writeFileSync(join(artifacts, `${prefix}durations.json`), JSON.stringify(durations, null, 2));
        console.log(`[e2e] ${options.durationsLabel} (ms): ${JSON.stringify(durations)}`);
      }
    }
    await workbench?.close();
    await server?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  function page(): Workbench["page"] {
    if (!workbench) throw new Error("the workbench did not open");
    return workbench.page;
  }

  return {
    artifacts,
    durations,
    page,
    workspace() {
      if (workspace === undefined) throw new Error("the workspace was not created");
      return workspace;
    },
    server: () => server,
    async timed(name, step) {
      const start = Date.now();
      await step();
      durations[name] = Date.now() - start;
    },
  };
}

import * as path from "node:path";
import { CONFIG_FILE_NAMES } from "../../shared/configFiles";


/** An mlexp workspace: the folder of an mlexp.config.*, or a workspace folder without one. */
export interface Project {
  readonly root: string;
  readonly configPath?: string;
}

export function isConfigFile(file: string): boolean {
  return CONFIG_FILE_NAMES.includes(path.basename(file));
}

/**
 * Which mlexp workspace each file belongs to: the nearest folder above it with a config, as the
 * CLI resolves `--workspace`. Registrations, lookups and run counts are per mlexp workspace, so two
 * example projects in one repository never see each other's names.
 */
export class ProjectMap {
  private readonly byRoot = new Map<string, Project>();
  private readonly byFile = new Map<string, Project>();

  constructor(
    private readonly folders: readonly string[],
    configFiles: readonly string[],
  ) {
    for (const folder of folders) this.byRoot.set(folder, { root: folder });
    const preferred = [...configFiles].sort((a, b) => CONFIG_FILE_NAMES.indexOf(path.basename(b)) - CONFIG_FILE_NAMES.indexOf(path.basename(a)));
    for (const config of preferred) this.byRoot.set(path.dirname(config), { root: path.dirname(config), configPath: config });
  }

  get projects(): Project[] {
    return [...this.byRoot.values()];
  }

  projectOf(file: string): Project {
    let project = this.byFile.get(file);
    if (!project) {
      project = this.findProject(file);
      this.byFile.set(file, project);
    }
    return project;
  }

  private findProject(file: string): Project {
    const folder = this.folders.filter((f) => isInside(file, f)).sort((a, b) => b.length - a.length)[0];
    let dir = path.dirname(file);
    while (folder && isInside(dir, folder)) {
      const project = this.byRoot.get(dir);
      if (project) return project;
      if (dir === folder) break;
      dir = path.dirname(dir);
    }
    return this.byRoot.get(folder ?? path.dirname(file)) ?? { root: folder ?? path.dirname(file) };
  }
}

export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return !relative.startsWith("..") && !path.isAbsolute(relative);
}

// The Latitude Project dynamic provider, for a project the stack creates and owns (an adopted
// project is a read-only lookup, projectLookup.ts, and is never deleted). Project names are unique
// per team; our description names the Pulumi project and stack, so a same-named project with our
// description is ours from an interrupted create, and any other is someone else's: never taken.
// This object is serialized into state: dependencies are local modules or require()d inside.
import type * as pulumi from "@pulumi/pulumi";
import type { LatitudeClient } from "./client";
import { stillExisting } from "./deletions";
import { isLatitudeApiError, isUnknownOutcome } from "./errors";
import { errorText, providerClient, rememberProviderConfig, withEncodableOutputs } from "./providerRuntime";
import type { Project } from "./schemas";
import { UNKNOWN } from "./serverDecisions";

export type ProvisioningType = "on_demand" | "reserved";
export type ProjectEnvironment = "Development" | "Staging" | "Production";
export const PROVISIONING_TYPES: readonly ProvisioningType[] = ["on_demand", "reserved"];
export const PROJECT_ENVIRONMENTS: readonly ProjectEnvironment[] = ["Development", "Staging", "Production"];
/** The stack config key that chooses between creating and adopting a project. */
export const PROJECT_CONFIG_KEY = "cto-metal:project";
/** How long a project delete waits for servers deleted a moment ago to leave Latitude's lists. */
export const PROJECT_DELETE_TIMEOUT_SECONDS = 300;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface ProjectInputs {
  /** Bumped with the provider code, so the engine stores the new code in state. */
  providerVersion: string;
  name: string;
  /** Names the Pulumi project and stack: the proof that a same-named project is ours. */
  description: string;
  /** Managed only when set. */
  environment?: ProjectEnvironment;
  /** Latitude cannot change it: a change replaces the project. */
  provisioningType: ProvisioningType;
}

export interface ProjectOutputs extends ProjectInputs {
  projectId: string;
  /** Derived by Latitude from the name at creation; kept on rename. */
  slug: string;
}

type ProjectPatch = { name?: string; description?: string; environment?: string };

const lower = (text: string | null | undefined): string => (text ?? "").trim().toLowerCase();
/** Latitude's slug rule as recorded: lower-cased, spaces → "-". */
const slugOf = (name: string): string => lower(name).replace(/\s+/g, "-");

/** Projects a POST of this name would clash with. */
function clashing(projects: readonly Project[], name: string): Project[] {
  return projects.filter((p) => lower(p.name) === lower(name) || p.slug === slugOf(name));
}

function clashError(name: string, other: Project, ours: string): Error {
  const theirs = other.description ? JSON.stringify(other.description) : "no description";
  return new Error(
    `${PROJECT_CONFIG_KEY}: a Latitude project named "${other.name}" (slug ${other.slug}) already exists and is not managed by this stack ` +
      `(it has ${theirs}, this stack writes ${JSON.stringify(ours)}). Project names are unique per team: to use that project, set ` +
      `${PROJECT_CONFIG_KEY} to {"slug": "${other.slug}"} to adopt it instead (an adopted project is never deleted); ` +
      `to create a new one, choose another "name" than "${name}"`,
  );
}

/** A same-named project with our description is ours; any other same-named project is an error. */
async function findOurs(client: LatitudeClient, inputs: ProjectInputs): Promise<Project | undefined> {
  const sameName = clashing(await client.listProjects({ name: inputs.name }), inputs.name);
  const ours = sameName.find((p) => p.description === inputs.description);
  if (ours) return ours;
  const other = sameName[0];
  if (other) throw clashError(inputs.name, other, inputs.description);
  return undefined;
}

async function adoptOrCreate(client: LatitudeClient, inputs: ProjectInputs): Promise<Project> {
  const existing = await findOurs(client, inputs);
  if (existing) return existing;
  try {
    return await client.createProject({
      name: inputs.name,
      provisioning_type: inputs.provisioningType,
      description: inputs.description,
      ...(inputs.environment ? { environment: inputs.environment } : {}),
    });
  } catch (error) {
    if (isUnknownOutcome(error)) {
      // The POST may have gone through: look before deciding, never POST twice.
      const created = await findOurs(client, inputs);
      if (created) return created;
      throw new Error(`${errorText(error)}; no project named ${inputs.name} appeared afterwards, so run the command again`);
    }
    if (isLatitudeApiError(error, 422)) {
      // A clash the name filter did not show (same slug, other spelling): name it.
      const other = clashing(await client.listProjects(), inputs.name)[0];
      if (other && other.description !== inputs.description) throw clashError(inputs.name, other, inputs.description);
      if (other) throw new Error(`${errorText(error)}; project ${other.slug} carries this stack's description under another spelling of the name: rename it to "${inputs.name}" or delete it`);
    }
    throw error;
  }
}

/**
 * Why a project delete was refused (422), as its server list tells: servers that still exist, or
 * only servers already deleted that the list still shows (how long it does is unrecorded:
 * latitude-api.md §19), which is worth waiting for, since server deletes do not wait for it.
 */
async function serversLeft(client: LatitudeClient, projectId: string): Promise<{ live: string[]; deletedButListed: number }> {
  const listed = await client.listServers({ project: projectId });
  const live = await stillExisting("server", listed, (id) => client.getServer(id));
  return { live: live.map((server) => `${server.id} (${server.hostname ?? "no hostname"})`), deletedButListed: listed.length - live.length };
}

function outputsOf(inputs: ProjectInputs, project: Project): ProjectOutputs {
  return { ...inputs, projectId: project.id, slug: project.slug, name: project.name };
}

/** What the change means: replaced (provisioning type) or patched (name, description, environment). */
export function diffProject(olds: ProjectOutputs, news: ProjectInputs): { replaces: string[]; patch: ProjectPatch; changes: boolean } {
  const replaces = olds.provisioningType !== news.provisioningType ? ["provisioningType"] : [];
  const patch: ProjectPatch = {};
  if (olds.name !== news.name) patch.name = news.name;
  if (olds.description !== news.description) patch.description = news.description;
  if (news.environment !== undefined && olds.environment !== news.environment) patch.environment = news.environment;
  return { replaces, patch, changes: replaces.length > 0 || Object.keys(patch).length > 0 || olds.providerVersion !== news.providerVersion };
}

export const projectProvider: pulumi.dynamic.ResourceProvider<ProjectInputs, ProjectOutputs> = withEncodableOutputs({
  configure(request: pulumi.dynamic.ConfigureRequest): Promise<void> {
    rememberProviderConfig(request.config);
    return Promise.resolve();
  },

  check(_olds: ProjectInputs, news: ProjectInputs): Promise<pulumi.dynamic.CheckResult<ProjectInputs>> {
    const failures: pulumi.dynamic.CheckFailure[] = [];
    if (news.name !== UNKNOWN && (typeof news.name !== "string" || news.name.trim() === "")) failures.push({ property: "name", reason: `${PROJECT_CONFIG_KEY}: a project needs a name` });
    if (news.description !== UNKNOWN && (typeof news.description !== "string" || news.description.trim() === "")) {
      failures.push({ property: "description", reason: "a stack-owned project needs a description naming the stack: it proves a same-named project is ours" });
    }
    if ((news.provisioningType as string) !== UNKNOWN && !PROVISIONING_TYPES.includes(news.provisioningType)) {
      failures.push({ property: "provisioningType", reason: `${PROJECT_CONFIG_KEY}: provisioningType must be one of ${PROVISIONING_TYPES.join(", ")}, got ${JSON.stringify(news.provisioningType)}` });
    }
    if (news.environment !== undefined && (news.environment as string) !== UNKNOWN && !PROJECT_ENVIRONMENTS.includes(news.environment)) {
      failures.push({ property: "environment", reason: `${PROJECT_CONFIG_KEY}: environment must be one of ${PROJECT_ENVIRONMENTS.join(", ")}, got ${JSON.stringify(news.environment)}` });
    }
    return Promise.resolve({ inputs: news, failures });
  },

  diff(_id: string, olds: ProjectOutputs, news: ProjectInputs): Promise<pulumi.dynamic.DiffResult> {
    const change = diffProject(olds, news);
    // Names are unique: the new project can only be created once the old one is gone (and a
    // create-first would adopt the old one by its description, then lose it to the delete).
    return Promise.resolve({ changes: change.changes, replaces: change.replaces, deleteBeforeReplace: change.replaces.length > 0 });
  },

  async create(inputs: ProjectInputs): Promise<pulumi.dynamic.CreateResult<ProjectOutputs>> {
    const client = providerClient();
    let project = await adoptOrCreate(client, inputs);
    if (project.provisioning_type && project.provisioning_type !== inputs.provisioningType) {
      throw new Error(
        `Latitude project ${project.slug} is this stack's but is ${project.provisioning_type}, not ${inputs.provisioningType}; set provisioningType in ${PROJECT_CONFIG_KEY} to "${project.provisioning_type}", or delete the project`,
      );
    }
    // An adopted project may carry an older environment.
    if (inputs.environment !== undefined && project.environment !== inputs.environment) project = await client.updateProject(project.id, { environment: inputs.environment });
    return { id: project.id, outs: outputsOf(inputs, project) };
  },

  async read(id: string, props?: ProjectOutputs): Promise<pulumi.dynamic.ReadResult<ProjectOutputs>> {
    if (!props) throw new Error(`importing Latitude project ${id} is not supported: dynamic resources cannot be imported`);
    // No reliable single GET for projects: the client finds it through the list.
    const project = await providerClient().findProject(id);
    // Deleted behind our back: an empty id tells `pulumi refresh` to drop it from state.
    if (!project) return { id: "", props: {} as ProjectOutputs };
    const environment = (project.environment ?? undefined) as ProjectEnvironment | undefined;
    return { id, props: { ...props, name: project.name, slug: project.slug, description: project.description ?? "", environment } };
  },

  async update(id: string, olds: ProjectOutputs, news: ProjectInputs): Promise<pulumi.dynamic.UpdateResult<ProjectOutputs>> {
    const { patch } = diffProject(olds, news);
    if (Object.keys(patch).length === 0) return { outs: { ...olds, ...news, projectId: id, slug: olds.slug } };
    try {
      return { outs: outputsOf(news, await providerClient().updateProject(id, patch)) };
    } catch (error) {
      if (isLatitudeApiError(error, 404)) {
        throw new Error(`Latitude project ${id} (${olds.slug}) no longer exists; run \`pulumi refresh\` to drop it from state, then \`pulumi up\` creates it again`);
      }
      if (isLatitudeApiError(error, 422) && patch.name !== undefined) {
        throw new Error(`${PROJECT_CONFIG_KEY}: renaming project ${olds.slug} to "${news.name}": ${errorText(error)}; project names are unique per team, so choose another name`);
      }
      throw error;
    }
  },

  async delete(id: string, props: ProjectOutputs): Promise<void> {
    const client = providerClient();
    const deadline = Date.now() + PROJECT_DELETE_TIMEOUT_SECONDS * 1000;
    for (let attempt = 1; ; attempt++) {
      try {
        // false (404) means already gone, which is what we wanted.
        await client.deleteProject(id);
        return;
      } catch (error) {
        if (!isLatitudeApiError(error, 422)) throw error;
        const left = await serversLeft(client, id);
        const retry = left.live.length === 0 && left.deletedButListed > 0 && Date.now() < deadline;
        if (!retry) {
          const what =
            left.live.length > 0
              ? `it still holds server(s) ${left.live.join(", ")}: delete them`
              : left.deletedButListed > 0
                ? `${left.deletedButListed} deleted server(s) are still listed in it after ${PROJECT_DELETE_TIMEOUT_SECONDS} s: wait`
                : "delete what is left in it (servers, VMs)";
          throw new Error(`Latitude project ${props.slug} cannot be deleted yet: ${errorText(error)}; ${what} and run the command again`);
        }
        await sleep(Math.min(30_000, 2000 * attempt));
      }
    }
  },
});

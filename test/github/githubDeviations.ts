// Where GitHub's real behaviour differs from its REST description, and our code or the fake relies
// on the difference: the one list, each entry with its evidence. githubStatuses.test.ts fails on an
// entry that is dead (the description now documents it, or nothing of ours relies on it any more).

interface Deviation {
  id: string;
  operationId: string;
  /** What GitHub does that the description does not say. */
  behaviour: string;
  /** Pages that show it: GitHub's docs, its issue trackers, or third-party reports. */
  evidence: string[];
}

/** A status our code meets (and handles) that the operation's `responses` does not list. */
export interface StatusDeviation extends Deviation {
  kind: "status";
  status: number;
}

/** A path GitHub itself sends us to (a Link header) for an operation, under a template the description does not list. */
export interface PathDeviation extends Deviation {
  kind: "path";
  template: string;
  /** Its path parameters, judged like the description's own. */
  pathParameters: Record<string, { type: "integer" | "string" }>;
}

export type GitHubDeviation = StatusDeviation | PathDeviation;

export const GITHUB_DEVIATIONS: readonly GitHubDeviation[] = [
  {
    id: "contents-get-409-empty-repository",
    kind: "status",
    operationId: "repos/get-content",
    status: 409,
    behaviour:
      'A file read in a repository without a commit: GitHub answers 404 "This repository is empty." today, but file operations on an uninitialised repository have answered 409 "Git Repository is empty.", the status the Git-data reads document for it. The seed treats both as "no file yet".',
    evidence: [
      "https://github.com/googleapis/repo-automation-bots/pull/4863 (uninitialised repository: GitHub answers 409 on file operations)",
      "https://github.com/github/rest-api-description/issues/637 (undocumented 409 for an empty repository on git/trees)",
      "https://github.com/github/rest-api-description/issues/385 (409 \"Git Repository is empty.\" for list-commits, added to the description)",
      "https://github.com/GSA/codeinventory-github/issues/1 (GET contents of an empty repository: 404 \"This repository is empty.\")",
    ],
  },
  {
    id: "org-link-by-organization-id",
    kind: "path",
    operationId: "orgs/list-app-installations",
    template: "/organizations/{organization_id}/installations",
    pathParameters: { organization_id: { type: "integer" } },
    behaviour:
      "The rel=\"next\" URL of a paginated organisation listing names the organisation by its numeric id (/organizations/{id}/…), not by name (/orgs/{org}/…); clients are to follow the Link URLs as given.",
    evidence: [
      "https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api (the example for GET /repos/octocat/Spoon-Knife/issues links to /repositories/1300192/issues)",
      "https://github.com/philschatz/octokat.js/pull/246 (\"link header returns urls with /organizations/12345/repos?page=2\")",
    ],
  },
];

export const PATH_DEVIATIONS: readonly PathDeviation[] = GITHUB_DEVIATIONS.filter((d): d is PathDeviation => d.kind === "path");
export const STATUS_DEVIATIONS: readonly StatusDeviation[] = GITHUB_DEVIATIONS.filter((d): d is StatusDeviation => d.kind === "status");

/**
 * Breaking changes of a published API version: a client generated from the document on main must
 * keep working against the new one. api-smart-diff classifies each difference (it resolves `$ref`s,
 * so a change to a shared component shows up under every operation that uses it); on top of it we
 * count as breaking what it lets through but a generated client notices: a field removed from a
 * request (our bodies refuse unknown fields) or a response, and a response field changing type.
 * Only paths under a version that is already published (`/v1/...` when the base has `/v1` paths)
 * are held to this: a new version path is where breaking changes go.
 */
import { execFileSync } from 'node:child_process';
import { apiCompare, type Diff } from 'api-smart-diff';
import type { OpenApiDocument } from './contract-files';

export interface BreakingChange {
  /** Where, as a JSON pointer into the new document (or the base one, for a removal). */
  pointer: string;
  description: string;
}

const versionOf = (path: string) => /^\/(v\d+)\//.exec(path)?.[1];

function publishedVersions(document: OpenApiDocument): Set<string> {
  const paths = (document.paths ?? {}) as Record<string, unknown>;
  return new Set(Object.keys(paths).flatMap((path) => versionOf(path) ?? []));
}

/** What api-smart-diff calls non-breaking but a generated client notices. */
function breaksClients(diff: Diff): boolean {
  const path = diff.path.map(String);
  const inResponse = path.includes('responses');
  const removesProperty = diff.action === 'remove' && path.at(-2) === 'properties';
  const changesResponseType = inResponse && diff.action === 'replace' && path.at(-1) === 'type';
  return removesProperty || changesResponseType;
}

const pointerOf = (path: Diff['path']) => `/${path.map((segment) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/** Breaking changes from `base` to `next` in the API versions `base` already publishes. */
export function findBreakingChanges(base: OpenApiDocument, next: OpenApiDocument): BreakingChange[] {
  const published = publishedVersions(base);
  const { diffs } = apiCompare(base, next);
  return diffs
    .filter((diff) => diff.path[0] === 'paths' && published.has(versionOf(String(diff.path[1])) ?? ''))
    .filter((diff) => diff.type === 'breaking' || breaksClients(diff))
    .map((diff) => ({
      pointer: pointerOf(diff.path),
      description: diff.description ?? `${diff.action} ${diff.path.join('.')}`,
    }));
}

const git = (cwd: string, args: string[]) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
const gitOrUndefined = (cwd: string, args: string[]) => {
  try {
    return git(cwd, args);
  } catch {
    return undefined;
  }
};

/**
 * The commit whose documents the working tree is compared with: on a branch, where it left main
 * (the merge base with origin/main, else main); on main itself (or main's tip), the previous commit.
 * Undefined when there is no such commit (a first commit, a shallow clone without history).
 */
export function baseCommit(repository: string): string | undefined {
  const head = gitOrUndefined(repository, ['rev-parse', 'HEAD']);
  if (!head) return undefined;
  const main = ['origin/main', 'main'].find((ref) => gitOrUndefined(repository, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]));
  const mergeBase = main ? gitOrUndefined(repository, ['merge-base', 'HEAD', main]) : undefined;
  if (mergeBase && mergeBase !== head) return mergeBase;
  return gitOrUndefined(repository, ['rev-parse', '--verify', '--quiet', 'HEAD~1^{commit}']);
}

/** The document at `file` (relative to the repository root) as committed in `commit`; undefined if it did not exist there. */
export function documentAt(repository: string, commit: string, file: string): OpenApiDocument | undefined {
  const text = gitOrUndefined(repository, ['show', `${commit}:${file}`]);
  return text === undefined ? undefined : (JSON.parse(text) as OpenApiDocument);
}

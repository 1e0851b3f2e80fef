/**
 * skaha's container images and how the Science Portal offers them. `GET /skaha/v1/image` answers
 * `[{id, types, digest}]` (science-platform skaha/…/image/GetAction.java); the portal's BFF regroups
 * them by session type and project (science-portal f6823b5 src/app/api/sessions/images/route.ts:65-70,
 * src/lib/utils/image-parser.ts:188-243) and the launch form preselects one (sessionLaunchForm.tsx:408-463).
 * This module re-states those rules for the replica's own portal page; tests pin them.
 */

export interface ReplicaImage {
  /** `<registry>/<project>/<name>:<version>`, e.g. `images.canfar.net/skaha/astroml:latest`. */
  id: string;
  types: string[];
  digest?: string;
}

/** What the replica offers unless a test configures its own list (replica option `images`). */
export const DEFAULT_IMAGES: readonly ReplicaImage[] = [
  { id: 'images.canfar.net/skaha/astroml:latest', types: ['notebook', 'headless'], digest: 'sha256:5e1f0a7c' },
  { id: 'images.canfar.net/skaha/astroml:24.07', types: ['notebook', 'headless'], digest: 'sha256:77aa01b2' },
  { id: 'images.canfar.net/skaha/desktop:latest', types: ['desktop'], digest: 'sha256:0c9d33e4' },
  { id: 'images.canfar.net/skaha/carta:4.1', types: ['carta'], digest: 'sha256:91bb2a10' },
  { id: 'images.canfar.net/skaha/stress-ng:latest', types: ['headless'], digest: 'sha256:ab12cd34' },
];

/** One image as the portal's BFF lists it; `label` (= `name`) is the option text, `name:version`. */
export interface OfferedImage {
  id: string;
  registry: string;
  project: string;
  name: string;
  imageName: string;
  version: string;
  label: string;
}

/** session type → project → images, sorted; headless and desktop-app are never offered (image-parser.ts:11). */
export type ImagesByTypeAndProject = Record<string, Record<string, OfferedImage[]>>;

const NOT_OFFERED_TYPES = ['headless', 'desktop-app'];

/** `registry/project/name:version`, else undefined (image-parser.ts:59-76: exactly three parts and a version). */
export function parseImageId(id: string): Omit<OfferedImage, 'id'> | undefined {
  const parts = id.split('/');
  if (parts.length !== 3) return undefined;
  const [registry = '', project = '', name = ''] = parts;
  const [imageName = '', version = ''] = name.split(':');
  if (!registry || !project || !imageName || !version) return undefined;
  return { registry, project, name, imageName, version, label: name };
}

/** By image name; within one name `latest` first, then versions newest first (image-parser.ts:127-143). */
export function compareImages(a: OfferedImage, b: OfferedImage): number {
  if (a.imageName === b.imageName) {
    if (a.version === 'latest') return -1;
    if (b.version === 'latest') return 1;
    return b.version.localeCompare(a.version, undefined, { numeric: true, sensitivity: 'base' });
  }
  return a.imageName.localeCompare(b.imageName, undefined, { sensitivity: 'base' });
}

export function groupImages(images: readonly ReplicaImage[]): ImagesByTypeAndProject {
  const out: ImagesByTypeAndProject = {};
  for (const raw of images) {
    const parsed = parseImageId(raw.id);
    if (!parsed || !Array.isArray(raw.types)) continue;
    for (const type of raw.types) {
      if (NOT_OFFERED_TYPES.includes(type)) continue;
      const byProject = (out[type] ??= {});
      (byProject[parsed.project] ??= []).push({ id: raw.id, ...parsed });
    }
  }
  for (const byProject of Object.values(out)) for (const list of Object.values(byProject)) list.sort(compareImages);
  return out;
}

/** The image the launch form preselects per type (science-portal src/lib/config/constants.ts:39-52). */
export const DEFAULT_IMAGE_NAMES: Readonly<Record<string, string>> = {
  carta: 'carta:latest',
  contributed: 'vscode:latest',
  desktop: 'desktop:latest',
  notebook: 'astroml:latest',
  firefly: 'firefly:2025.2',
};

/** The project the form preselects: `skaha` if offered, else the first by name (sessionLaunchForm.tsx:404-411). */
export function defaultProject(projects: readonly string[]): string | undefined {
  const sorted = [...projects].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  return sorted.includes('skaha') ? 'skaha' : sorted[0];
}

/**
 * The image the form preselects among a project's sorted images: the type's default name
 * (`astroml:latest` for notebook) if offered, else the first with the same image name (another
 * `astroml:*`), else the first (sessionLaunchForm.tsx:455-463).
 */
export function defaultImage(type: string, sorted: readonly OfferedImage[]): OfferedImage | undefined {
  const desired = DEFAULT_IMAGE_NAMES[type];
  const base = desired?.split(':')[0];
  return sorted.find((i) => i.name === desired) ?? sorted.find((i) => i.imageName === base) ?? sorted[0];
}

/**
 * The replica's data, generated deterministically at start (no downloads): CAOM observations for
 * Advanced Search, public and private files for `/data/pub`, and the users' VOSpace home folders.
 * The same seed gives the same observations, files and bytes on every run.
 */
import { createHash } from 'node:crypto';

/** mulberry32: a small, fast, seedable PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Observation {
  collection: string;
  observationID: string;
  productID: string;
  ra: number;
  dec: number;
  /** Start date as MJD (the grid shows it as a date, §11). */
  startMjd: number;
  instrument: string;
  exposure: number;
  targetName: string;
  filter: string;
  calibrationLevel: number;
  dataProductType: string;
  type: string;
  emBand: string;
  /** `ivo://cadc.nrc.ca/<COLLECTION>?<observationID>/<productID>` (?) (§3.5). */
  publisherID: string;
}

/** Targets the replica's resolver knows, with ICRS coordinates in degrees. */
export const TARGETS: Record<string, { ra: number; dec: number; service: string }> = {
  M101: { ra: 210.802429, dec: 54.34875, service: 'simbad' },
  M31: { ra: 10.684708, dec: 41.26875, service: 'simbad' },
  M87: { ra: 187.705931, dec: 12.391123, service: 'simbad' },
  'NGC 1275': { ra: 49.950667, dec: 41.511695, service: 'ned' },
  '3C 273': { ra: 187.277915, dec: 2.052388, service: 'simbad' },
  Vega: { ra: 279.234735, dec: 38.783689, service: 'simbad' },
  'Orion Nebula': { ra: 83.82208, dec: -5.39111, service: 'simbad' },
};

const COLLECTIONS: Record<string, { instruments: string[]; filters: string[]; band: string }> = {
  CFHT: { instruments: ['MegaPrime', 'WIRCam', 'ESPaDOnS'], filters: ['g.MP9402', 'r.MP9602', 'i.MP9703', 'J', 'H'], band: 'Optical' },
  JCMT: { instruments: ['SCUBA-2', 'HARP'], filters: ['450um', '850um'], band: 'Millimeter' },
  GEMINI: { instruments: ['GMOS-N', 'GMOS-S', 'NIRI'], filters: ['g', 'r', 'K'], band: 'Infrared' },
  VLASS: { instruments: ['VLA'], filters: ['S'], band: 'Radio' },
  HST: { instruments: ['ACS/WFC', 'WFC3/UVIS'], filters: ['F606W', 'F814W'], band: 'Optical' },
};

/** Normalises a target name for lookup (case and spaces do not matter). */
export function resolveTarget(term: string): { name: string; ra: number; dec: number; service: string } | undefined {
  const key = term.trim().toLowerCase().replace(/\s+/g, '');
  for (const [name, t] of Object.entries(TARGETS)) if (name.toLowerCase().replace(/\s+/g, '') === key) return { name, ...t };
  return undefined;
}

export function generateObservations(seed = 20260701, perTarget = 40): Observation[] {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out: Observation[] = [];
  let serial = 1_722_700;
  for (const [targetName, t] of Object.entries(TARGETS)) {
    for (let i = 0; i < perTarget; i++) {
      // CFHT holds most of CADC's optical data: weight it so a CFHT search finds a page of rows.
      const collection = rnd() < 0.4 ? 'CFHT' : pick(Object.keys(COLLECTIONS));
      const c = COLLECTIONS[collection] as (typeof COLLECTIONS)[string];
      const observationID = collection === 'CFHT' ? String(serial++) : `${collection.toLowerCase()}-${(serial++).toString(36)}`;
      const productID = collection === 'CFHT' ? `${observationID}p` : `${observationID}-cal`;
      out.push({
        collection,
        observationID,
        productID,
        ra: Number((t.ra + (rnd() - 0.5) * 0.3).toFixed(6)),
        dec: Number((t.dec + (rnd() - 0.5) * 0.3).toFixed(6)),
        startMjd: Number((55000 + rnd() * 6000).toFixed(5)),
        instrument: pick(c.instruments),
        exposure: Math.round(30 + rnd() * 1170),
        targetName,
        filter: pick(c.filters),
        calibrationLevel: rnd() < 0.6 ? 2 : 1,
        dataProductType: collection === 'VLASS' || collection === 'JCMT' ? 'cube' : 'image',
        type: 'OBJECT',
        emBand: c.band,
        publisherID: `ivo://cadc.nrc.ca/${collection}?${observationID}/${productID}`,
      });
    }
  }
  return out;
}

export interface ReplicaFile {
  archive: string;
  name: string;
  /** Artifact URI, e.g. `cadc:CFHT/1722795p.fits.fz`. */
  uri: string;
  size: number;
  public: boolean;
  contentType: string;
  lastModified: Date;
  /** The bytes and their MD5 (base64, for `Digest: md5=`), made once on first use. */
  bytes(): Buffer;
  md5(): string;
}

/** Default public files; `/data/pub/CFHT/1722795p.fits.fz` is the reference's example (§4.1). */
export const DEFAULT_FILE_SIZES: Record<string, number> = {
  'CFHT/1722795p.fits.fz': 4 * 1024 * 1024,
  'CFHT/1722800p.fits.fz': 256 * 1024,
  'JCMT/jcmt-demo-850um.sdf': 1024 * 1024,
};

/** `private:true` entries need a login (303 to /data/auth, then 401 Basic). */
export function generateFiles(sizes: Record<string, number> = DEFAULT_FILE_SIZES, seed = 7): Map<string, ReplicaFile> {
  const files = new Map<string, ReplicaFile>();
  const all: Array<[string, number, boolean]> = [
    ...Object.entries(sizes).map(([k, v]): [string, number, boolean] => [k, v, true]),
    ['CFHT/2000001p.fits.fz', 64 * 1024, false],
  ];
  all.forEach(([path, size, isPublic], i) => {
    const [archive = '', name = ''] = path.split('/');
    let cached: Buffer | undefined;
    let digest: string | undefined;
    const bytes = (): Buffer => {
      if (cached) return cached;
      const rnd = prng(seed * 1000 + i);
      const buf = Buffer.allocUnsafe(size);
      for (let o = 0; o + 4 <= size; o += 4) buf.writeUInt32LE(Math.floor(rnd() * 4294967296), o);
      for (let o = size - (size % 4); o < size; o++) buf[o] = Math.floor(rnd() * 256);
      // A FITS file starts with its primary header card.
      buf.write('SIMPLE  =                    T', 0, 'latin1');
      cached = buf;
      return buf;
    };
    files.set(`${archive}/${name}`, {
      archive,
      name,
      uri: `cadc:${archive}/${name}`,
      size,
      public: isPublic,
      contentType: 'application/fits',
      lastModified: new Date(Date.UTC(2024, 5, 1 + i, 12, 0, 0)),
      bytes,
      md5: () => (digest ??= createHash('md5').update(bytes()).digest('base64')),
    });
  });
  return files;
}

/** Start Date cells are MJD numbers rendered as dates (§11). */
export function mjdToIso(mjd: number): string {
  return new Date((mjd - 40587) * 86_400_000).toISOString().replace('T', ' ').slice(0, 19);
}

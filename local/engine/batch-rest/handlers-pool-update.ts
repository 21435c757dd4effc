// Changing a pool after it was added: PATCH replaces what it names, updateproperties replaces every
// updatable property (metadata, communication mode; start task, certificates and application packages must
// be absent or empty, as pool-spec.ts refuses them on add). What was sent reads back as given.
import type { NameValuePair } from '../../../shared/azurebatch/types';
import { invalidProperty, missingProperty } from './batch-http-error';
import type { BatchFacade, Handler } from './facade';
import { poolOf } from './handlers-pools';
import { record, requireMatch, updated } from './replies';
import { checkPoolSpec } from './pool-spec';
import { poolView } from './views';

function save(f: BatchFacade, id: string, patch: Record<string, unknown>, spec: Record<string, unknown>): void {
  const cur = f.store.pools.get(id) ?? { lastModified: f.core.now() };
  f.store.pools.set(id, { ...cur, ...patch, spec: { ...cur.spec, ...spec }, lastModified: f.core.now() });
  f.store.save();
}

function metadataOf(v: unknown): NameValuePair[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw invalidProperty('metadata', 'expected a list of name/value pairs');
  return v as NameValuePair[];
}

const patchPool: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  requireMatch(r, poolView(f, c));
  const b = record(r.body, 'pool');
  if (b.vmSize !== undefined && String(b.vmSize).toLowerCase() !== c.props.vmSize.toLowerCase())
    throw invalidProperty('vmSize', 'the local engine cannot change the VM size of a pool');
  const spec = checkPoolSpec(b);
  const patch: Record<string, unknown> = {};
  if (b.displayName !== undefined) patch.displayName = String(b.displayName);
  if (b.metadata !== undefined) patch.metadata = metadataOf(b.metadata);
  save(f, c.cluster, patch, spec);
  return updated(f, `/pools/${c.cluster}`, poolView(f, poolOf(f, r.params.poolId)).eTag);
};

const replaceProperties: Handler = (f, r) => {
  const c = poolOf(f, r.params.poolId);
  requireMatch(r, poolView(f, c));
  const b = record(r.body, 'pool');
  for (const name of ['certificateReferences', 'applicationPackageReferences', 'metadata'])
    if (b[name] === undefined) throw missingProperty(name);
  checkPoolSpec(b);
  save(
    f,
    c.cluster,
    { metadata: metadataOf(b.metadata) },
    { targetNodeCommunicationMode: b.targetNodeCommunicationMode },
  );
  return { ...updated(f, `/pools/${c.cluster}`, poolView(f, c).eTag), status: 204 };
};

export const poolUpdateRoutes: Array<[string, string, Handler]> = [
  ['PATCH', '/pools/{poolId}', patchPool],
  ['POST', '/pools/{poolId}/updateproperties', replaceProperties],
];

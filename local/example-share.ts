// The local default's example files (local/example-share/, e.g. the distributed training script that
// templates/ddp-linear.json runs), put under `examples/` on the cluster's file share at every start, as a team
// would upload its scripts to the share its cluster mounts.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './chat/static-files';

export function installExamples(shareDir: string): void {
  cpSync(join(repoRoot(), 'local', 'example-share'), join(shareDir, 'examples'), { recursive: true });
}

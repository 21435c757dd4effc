// Jest helper: one Azurite child process per test file (started in beforeAll, stopped in afterAll).
import { startAzurite, type RunningAzurite } from '../../local/azurite';

export function useAzurite(): { readonly connectionString: string } {
  let azurite: RunningAzurite | undefined;
  beforeAll(async () => { azurite = await startAzurite(); }, 30_000);
  afterAll(async () => { await azurite?.stop(); });
  return {
    get connectionString() {
      if (!azurite) throw new Error('useAzurite: Azurite is not running (use it inside tests, after beforeAll).');
      return azurite.connectionString;
    },
  };
}

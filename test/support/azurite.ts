// Jest helper: one Azurite child process per test file (started in beforeAll, stopped in afterAll).
import { startAzurite, type RunningAzurite } from '../../local/azurite';
import { useStarted } from './use-started';

export function useAzurite(): { readonly connectionString: string } {
  const azurite = useStarted<RunningAzurite>(
    'Azurite',
    () => startAzurite(),
    (a) => a.stop(),
  );
  return {
    get connectionString() {
      return azurite.current.connectionString;
    },
  };
}

// The engine's one storage account. Its Azure file shares are folders under `<data>/files/<name>/<share>`, served
// by the Files endpoint at `<filesUrl>/<name>/<share>`. A mount's key is not checked (a node would hand it to
// Azure Files); the key exists so that job files filled as az batchai filled them (BATCHAI_STORAGE_ACCOUNT /
// BATCHAI_STORAGE_KEY) make complete requests. It opens nothing: download links are signed by the engine.
import type { StorageAccountSetting } from '../../shared/config';

export const ENGINE_STORAGE_ACCOUNT: Required<StorageAccountSetting> = {
  name: 'local',
  key: 'bG9jYWwtZW5naW5lLWFjY291bnQta2V5',
};

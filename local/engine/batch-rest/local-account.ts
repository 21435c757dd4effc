// The local Batch account: a well-known name and key (like Azurite's devstoreaccount1 key), documented in the
// README, so that any Batch client can sign requests to the engine with Shared Key. It guards nothing secret:
// the engine listens on 127.0.0.1 only. Bearer tokens are accepted too (any token, as the ARM facade does).
export const LOCAL_BATCH_ACCOUNT = 'local';
export const LOCAL_BATCH_KEY = 'bG9jYWwtYmF0Y2gta2V5LWZvci10aGUtZW5naW5lLW9ubHktMTI3LjAuMC4x';

/** Every stable data-plane version from 2022-10-01.16.0 to the spec's, in order. */
export const BATCH_API_VERSIONS = [
  '2022-10-01.16.0',
  '2023-05-01.17.0',
  '2023-11-01.18.0',
  '2024-02-01.19.0',
  '2024-07-01.20.0',
  '2025-06-01.21.0',
] as const;

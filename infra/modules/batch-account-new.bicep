// A new Azure Batch account for the app (when no existing account's id is given): Batch-service pool allocation,
// Microsoft Entra ID only (no shared keys: the app signs in as its identity). Pools and roles come after, in
// azure-batch.bicep, which serves a new and an existing account alike.

param name string
param location string
param tags object = {}

resource account 'Microsoft.Batch/batchAccounts@2024-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    poolAllocationMode: 'BatchService'
    allowedAuthenticationModes: ['AAD']
    publicNetworkAccess: 'Enabled'
  }
}

output name string = account.name

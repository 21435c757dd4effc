// The storage account of the app: the Functions host's own state, our Tables (state) and Queues (events,
// follow-ups, Slack turns), the blob container Flex Consumption deploys the package from, and (Azure Batch) the
// container tasks upload their outputs to, which the app links to with user delegation SAS. Shared keys are off: every
// caller uses a managed identity (role assignments in storage-roles.bicep).

param name string
param location string
param tags object = {}
param deploymentContainerName string
@description('The Azure Batch output container (empty = none).')
param outputContainerName string = ''

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource outputs 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = if (!empty(outputContainerName)) {
  parent: blobs
  name: empty(outputContainerName) ? 'none' : outputContainerName
  properties: { publicAccess: 'None' }
}

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output tableEndpoint string = storage.properties.primaryEndpoints.table
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
output outputContainerUrl string = empty(outputContainerName) ? '' : '${storage.properties.primaryEndpoints.blob}${outputContainerName}'

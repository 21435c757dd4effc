// The one user-assigned managed identity of the app: the Function App runs as it (storage, the compute
// backend, Application Insights) and the Azure Bot signs in as it (msaAppType UserAssignedMSI). No secret exists.

param name string
param location string
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
output tenantId string = identity.properties.tenantId

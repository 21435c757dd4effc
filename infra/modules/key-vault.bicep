// The Key Vault of the app's secrets (secrets-key, which seals secret values at rest, and the Slack app's
// signing secret and bot token). Access by Azure RBAC only:
// the app's identity may read secrets (Key Vault Secrets User); a person puts them there with
// `az keyvault secret set` (README "Deploy to Azure"). The template creates no secret, so a redeploy never
// replaces one a person set; the app reads them through Key Vault references in its settings.

param name string
param location string
param tags object = {}
@description('The identity that reads the secrets (the app\'s).')
param readerPrincipalId string

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource reader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, readerPrincipalId, keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: readerPrincipalId
    principalType: 'ServicePrincipal'
  }
}

output name string = vault.name
@description('https://<name>.vault.azure.net/ (with the trailing slash).')
output uri string = vault.properties.vaultUri
